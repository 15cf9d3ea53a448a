using Cep.Patterns;
using FsCheck;
using FsCheck.Fluent;

namespace Cep.Tests.Generators;

/// <summary>
/// FsCheck generators for small patterns and short keyed event sequences. Generation is imperative from a seed that
/// FsCheck draws (so a failing seed replays), and cases shrink by dropping events, stages, the window and the skip strategy.
/// </summary>
/// <remarks>
/// Patterns have 1-4 stages over letters a, b, c (condition "letter == x"), mixing next / followedBy / followedByAny,
/// oneOrMore, times(n,m), optional, consecutive / allowCombinations, within, notNext and notFollowedBy, following the
/// DSL rules (no negated stage after an optional one, a trailing notFollowedBy has a window) and the oracle's scope
/// (see <c>BruteForceMatcher</c>): no optional stage right after a negated one, no two negated stages in a row, no
/// notFollowedBy next to a times(n,m) stage with n &lt; m. Events: 1-3 keys, at most 8 per key, timestamps 0-9 ms
/// with ties.
/// </remarks>
public static class CepGenerators
{
    private static readonly char[] Letters = ['a', 'b', 'c'];

    /// <summary>Patterns with no skip strategy and events in arbitrary arrival order.</summary>
    public static Arbitrary<CepCase> Cases(bool withSkip = false) =>
        Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed), withSkip)), Shrink);

    /// <summary>A random case from <paramref name="random"/>.</summary>
    public static CepCase NewCase(Random random, bool withSkip)
    {
        var pattern = NewPattern(random);
        if (withSkip)
        {
            // With a skip strategy a completed match waits while an earlier-started partial match lives; without a
            // window a looping partial match lives for ever (as in Flink), so the matches behind it never come out.
            // The window makes the final watermark end every partial match, so every match that survives is emitted.
            pattern = pattern with { WindowMs = pattern.WindowMs ?? random.Next(1, 7) };
            pattern = pattern.WithSkip(NewSkip(random, pattern));
        }

        return new CepCase(pattern, NewEvents(random));
    }

    /// <summary>A random pattern within the rules above.</summary>
    public static PatternSpec NewPattern(Random r)
    {
        var count = r.Next(1, 5);
        var stages = new List<StageSpec>();
        for (var i = 0; i < count; i++)
        {
            var prev = i > 0 ? stages[^1] : null;
            var isLast = i == count - 1;
            var how = Contiguity.Begin;
            if (prev is not null)
            {
                var canNegate = !prev.IsNegated && !prev.Optional;
                var canNotFollow = canNegate && !IsRange(prev);
                var roll = r.Next(100);
                how = roll switch
                {
                    < 25 => Contiguity.Next,
                    < 55 => Contiguity.FollowedBy,
                    < 75 => Contiguity.FollowedByAny,
                    < 87 when canNegate => Contiguity.NotNext,
                    < 100 when canNotFollow => Contiguity.NotFollowedBy,
                    _ => Contiguity.FollowedBy,
                };
            }

            var name = ((char)('p' + i)).ToString();
            var letter = Letters[r.Next(Letters.Length)];
            if (how is Contiguity.NotNext or Contiguity.NotFollowedBy)
            {
                stages.Add(new StageSpec(name, how, letter));
                continue;
            }

            var afterNot = prev is { IsNegated: true };
            var afterNotFollow = prev is { How: Contiguity.NotFollowedBy };
            var quant = r.Next(100) switch
            {
                < 55 => QuantKind.Single,
                < 75 => QuantKind.OneOrMore,
                _ => QuantKind.Times,
            };
            int from = 1, to = 1;
            if (quant == QuantKind.Times)
            {
                from = r.Next(1, 3);
                to = afterNotFollow ? from : r.Next(from, 4);
            }

            var inner = quant == QuantKind.Single ? InnerKind.Relaxed : (InnerKind)r.Next(3);
            var optional = !afterNot && r.Next(100) < 25;
            stages.Add(new StageSpec(name, how, letter, quant, from, to, optional, inner));
        }

        // At least one stage must take an event.
        var firstPositive = stages.FindIndex(s => !s.IsNegated);
        if (stages.All(s => s.IsNegated || s.Optional))
        {
            stages[firstPositive] = stages[firstPositive] with { Optional = false };
        }

        long? window = r.Next(100) < 45 ? r.Next(1, 7) : null;
        if (stages[^1].How == Contiguity.NotFollowedBy)
        {
            window ??= r.Next(1, 7);
        }

        return new PatternSpec(stages, window, SkipSpec.None);
    }

    /// <summary>A random skip strategy other than NoSkip; a SkipToFirst / SkipToLast target is a positive stage.</summary>
    public static SkipSpec NewSkip(Random r, PatternSpec pattern)
    {
        var targets = pattern.Stages.Where(s => !s.IsNegated).Select(s => s.Name).ToArray();
        return r.Next(4) switch
        {
            0 => new SkipSpec(SkipKind.SkipToNext),
            1 => new SkipSpec(SkipKind.SkipPastLastEvent),
            2 => new SkipSpec(SkipKind.SkipToFirst, targets[r.Next(targets.Length)]),
            _ => new SkipSpec(SkipKind.SkipToLast, targets[r.Next(targets.Length)]),
        };
    }

    /// <summary>1-3 keys with up to 8 events each, interleaved in a random arrival order, timestamps 0-9 ms.</summary>
    public static List<GenEvent> NewEvents(Random r)
    {
        var keys = r.Next(1, 4);
        var events = new List<GenEvent>();
        var id = 0;
        var maxTs = r.Next(2, 10);
        for (var k = 0; k < keys; k++)
        {
            var n = r.Next(0, 9);
            for (var i = 0; i < n; i++)
            {
                events.Add(new GenEvent(++id, k, Letters[r.Next(Letters.Length)], r.Next(0, maxTs + 1)));
            }
        }

        return events.OrderBy(_ => r.Next()).ToList();
    }

    /// <summary>The events of each key in processing order: timestamp, then arrival.</summary>
    public static IEnumerable<IGrouping<int, GenEvent>> ByKeyInProcessingOrder(IEnumerable<GenEvent> arrival) =>
        arrival.Select((e, i) => (e, i)).OrderBy(x => x.e.Ts).ThenBy(x => x.i).Select(x => x.e).GroupBy(e => e.Key).OrderBy(g => g.Key);

    /// <summary>Smaller variants: fewer events, then a simpler pattern (without window, skip, quantifier details, stages).</summary>
    public static IEnumerable<CepCase> Shrink(CepCase c)
    {
        for (var i = 0; i < c.Events.Count; i++)
        {
            yield return c with { Events = c.Events.Where((_, j) => j != i).ToList() };
        }

        var p = c.Pattern;
        if (p.Skip.Kind != SkipKind.NoSkip && p.Skip.Kind != SkipKind.SkipToNext)
        {
            yield return c with { Pattern = p.WithSkip(new SkipSpec(SkipKind.SkipToNext)) };
        }

        if (p.WindowMs is not null && p.Stages[^1].How != Contiguity.NotFollowedBy && p.Skip.Kind == SkipKind.NoSkip)
        {
            yield return c with { Pattern = p with { WindowMs = null } };
        }

        for (var i = 0; i < p.Stages.Count; i++)
        {
            var s = p.Stages[i];
            var simpler = new List<StageSpec>();
            if (s.Optional)
            {
                simpler.Add(s with { Optional = false });
            }

            if (s.Inner != InnerKind.Relaxed)
            {
                simpler.Add(s with { Inner = InnerKind.Relaxed });
            }

            if (s.How is Contiguity.Next or Contiguity.FollowedByAny)
            {
                simpler.Add(s with { How = Contiguity.FollowedBy });
            }

            if (s.Quant == QuantKind.Times && s.To > s.From)
            {
                simpler.Add(s with { To = s.To - 1 });
            }

            foreach (var replacement in simpler)
            {
                var stages = p.Stages.ToList();
                stages[i] = replacement;
                var candidate = p with { Stages = stages };
                if (IsValid(candidate))
                {
                    yield return c with { Pattern = candidate };
                }
            }
        }

        for (var i = p.Stages.Count - 1; i >= 1; i--)
        {
            var candidate = p with { Stages = p.Stages.Where((_, j) => j != i).ToList() };
            if (IsValid(candidate))
            {
                yield return c with { Pattern = candidate };
            }
        }
    }

    /// <summary>Whether a (shrunk) pattern still respects the DSL rules and the oracle's scope.</summary>
    public static bool IsValid(PatternSpec p)
    {
        var s = p.Stages;
        if (s.Count == 0 || s[0].How != Contiguity.Begin || s.All(x => x.IsNegated || x.Optional))
        {
            return false;
        }

        if (p.Skip.Target is { } t && !s.Any(x => x.Name == t && !x.IsNegated))
        {
            return false;
        }

        for (var i = 1; i < s.Count; i++)
        {
            if (s[i].IsNegated && (s[i - 1].IsNegated || s[i - 1].Optional))
            {
                return false;
            }

            if (s[i - 1].IsNegated && s[i].Optional)
            {
                return false;
            }

            var notFollow = s[i].How == Contiguity.NotFollowedBy ? s[i - 1] : s[i - 1].How == Contiguity.NotFollowedBy ? s[i] : null;
            if (notFollow is not null && IsRange(notFollow))
            {
                return false;
            }
        }

        return s[^1].How != Contiguity.NotFollowedBy || p.WindowMs is not null;
    }

    private static bool IsRange(StageSpec s) => s.Quant == QuantKind.Times && s.From < s.To;
}
