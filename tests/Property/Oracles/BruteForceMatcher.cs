using Cep.Patterns;

namespace Cep.Tests.Oracles;

/// <summary>A match found by the oracle: for each stage that took events, the indexes (in processing order) it took.</summary>
/// <remarks>
/// <see cref="CompletedAt"/> is the index of the event on which the automaton completes the match: its last event, the
/// event after it for a trailing NotNext, or <see cref="int.MaxValue"/> for a trailing NotFollowedBy, which completes
/// when its window expires (so all such matches with the same first event complete together).
/// </remarks>
public sealed record OracleMatch(IReadOnlyList<(string Stage, int[] Events)> Stages, int CompletedAt)
{
    /// <summary>Gets the index of the first event of the match.</summary>
    public int First => Stages.Min(s => s.Events[0]);

    /// <summary>Gets the index of the last event of the match.</summary>
    public int Last => Stages.Max(s => s.Events[^1]);

    /// <summary>Gets the events of <paramref name="stage"/>, empty if it took none.</summary>
    public int[] Of(string stage) => Stages.FirstOrDefault(s => s.Stage == stage).Events ?? [];

    /// <summary>"stage:event stage:event ..." in pattern order, the format of <c>CollectingOutput.Describe</c>.</summary>
    public string Describe<T>(IReadOnlyList<T> events) =>
        string.Join(" ", Stages.SelectMany(s => s.Events.Select(i => $"{s.Stage}:{events[i]}")));
}

/// <summary>
/// An obviously-correct, exponential matcher: it enumerates every assignment of events to the stages of a pattern and
/// keeps those that satisfy FlinkCEP's rules, stated declaratively (reference: cep-semantics.md §1 and §4).
/// </summary>
/// <remarks>
/// <para>Supported: top-level stages without groups, Until, Greedy or local windows, with simple conditions.</para>
/// <para>Rules, with events numbered in processing order (timestamp, then arrival) and "prev" the last event taken by
/// an earlier stage (none for the first event of a match, since a run can start at every event):</para>
/// <list type="bullet">
/// <item>Counts: single 1, Times(n,m) n..m, OneOrMore/TimesOrMore(n) at least n; an optional stage may take none.</item>
/// <item>Contiguity of a stage's first event after prev, and inside a repeating stage between its consecutive
/// events: strict = the very next event; relaxed = no event strictly between satisfies this stage's condition;
/// non-deterministic = anything. A skipped optional stage leaves prev unchanged.</item>
/// <item>Within(w): last.ts - first.ts &lt; w.</item>
/// <item>NotNext(x) after stage B: the event right after B's last event exists and does not satisfy x. Flink checks
/// this at every point where B could already have ended (a looping / times stage proceeds to the NotNext state after
/// each of its events from the minimum count on, and a forbidden event there kills the whole run), so it must hold
/// after each such event of B. As the last stage, the match is emitted when that next event arrives, which must
/// therefore lie inside the window.</item>
/// <item>NotFollowedBy(x) between B and the next stage C: no event satisfying x after B and up to and including C's
/// first event; the exception is C's first event when it completes the whole match (Flink keeps a match that reaches
/// the final state at the event that also reaches the stop state). "After B" means after B's last event for a
/// single-event stage, but after B's first event for a looping or times(n) stage, whose own states carry the stop
/// edge in Flink.</item>
/// <item>Trailing NotFollowedBy(x) (needs a window): no event satisfying x after B (as above) with ts &lt;
/// first.ts + w; emitted when time reaches first.ts + w. When B is looping (or a times range below its maximum) the
/// run only moves to the pending state on a following event, so some event must follow B's last event inside the
/// window.</item>
/// </list>
/// <para>Not modelled (generators avoid them): a NotFollowedBy next to a times(n,m) stage with n &lt; m, an optional
/// stage right after a negated stage, and two negated stages in a row.</para>
/// </remarks>
public static class BruteForceMatcher
{
    /// <summary>All matches the pattern has over <paramref name="events"/> (one key, in processing order) once the input is complete.</summary>
    public static List<OracleMatch> Matches<T>(Pattern<T> pattern, IReadOnlyList<T> events, Func<T, long> timestampMs)
    {
        var steps = pattern.Stages.Select(ToStep).ToArray();
        var window = pattern.Window is { } w ? (long?)w.TotalMilliseconds : null;
        var ts = events.Select(timestampMs).ToArray();
        var sat = steps.Select(s => events.Select(e => s.Test(e)).ToArray()).ToArray();
        var result = new List<OracleMatch>();
        var chosen = new int[steps.Length][];
        Enumerate(0, 0);
        return result;

        void Enumerate(int step, int from)
        {
            if (step == steps.Length)
            {
                if (IsMatch(steps, chosen, sat, ts, window))
                {
                    var taken = new List<(string, int[])>();
                    for (var i = 0; i < steps.Length; i++)
                    {
                        if (!steps[i].Negated && chosen[i].Length > 0)
                        {
                            taken.Add((steps[i].Name, chosen[i]));
                        }
                    }

                    var last = taken.Max(x => x.Item2[^1]);
                    var completedAt = steps[^1].Strategy switch
                    {
                        ConsumingStrategy.NotNext => last + 1,
                        ConsumingStrategy.NotFollow => int.MaxValue,
                        _ => last,
                    };
                    result.Add(new OracleMatch(taken, completedAt));
                }

                return;
            }

            var s = steps[step];
            if (s.Negated)
            {
                chosen[step] = [];
                Enumerate(step + 1, from);
                return;
            }

            var candidates = Enumerable.Range(from, events.Count - from).Where(i => sat[step][i]).ToArray();
            if (s.Optional || s.Min == 0)
            {
                chosen[step] = [];
                Enumerate(step + 1, from);
            }

            foreach (var subset in Subsets(candidates, Math.Max(1, s.Min), s.Max))
            {
                chosen[step] = subset;
                Enumerate(step + 1, subset[^1] + 1);
            }
        }
    }

    /// <summary>Checks one complete assignment against the rules.</summary>
    private static bool IsMatch<T>(Step<T>[] steps, int[][] chosen, bool[][] sat, long[] ts, long? window)
    {
        var all = chosen.SelectMany(c => c).ToArray();
        if (all.Length == 0)
        {
            return false;
        }

        int first = all[0], last = all[^1], n = ts.Length;
        if (window is { } w && ts[last] - ts[first] >= w)
        {
            return false;
        }

        var trailingNot = steps[^1].Negated;
        var prev = -1;
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var e = chosen[i];
            if (!s.Negated)
            {
                if (e.Length == 0)
                {
                    continue;
                }

                if (prev >= 0 && !Contiguous(s.Strategy, sat[i], prev, e[0]))
                {
                    return false;
                }

                for (var t = 1; t < e.Length; t++)
                {
                    if (!Contiguous(s.Inner, sat[i], e[t - 1], e[t]))
                    {
                        return false;
                    }
                }

                prev = e[^1];
                continue;
            }

            // A negated stage: B is the stage before it (positive and non-optional by the DSL rules).
            var b = steps[i - 1];
            var be = chosen[i - 1];
            if (b.Negated || be.Length == 0)
            {
                throw new NotSupportedException("A negated stage must follow a non-optional positive stage.");
            }

            var isLast = i == steps.Length - 1;
            if (s.Strategy == ConsumingStrategy.NotNext)
            {
                for (var t = Math.Max(1, b.Min); t <= be.Length; t++)
                {
                    var next = be[t - 1] + 1;
                    if (next >= n || sat[i][next])
                    {
                        return false;
                    }
                }

                if (isLast && window is { } w2 && ts[be[^1] + 1] - ts[first] >= w2)
                {
                    return false;
                }

                continue;
            }

            // NotFollowedBy.
            var start = b.Repeating ? be[0] : be[^1];
            if (!isLast)
            {
                var end = chosen.Skip(i + 1).First(c => c.Length > 0)[0];
                for (var j = start + 1; j <= end; j++)
                {
                    if (sat[i][j] && !(j == end && j == last && !trailingNot))
                    {
                        return false;
                    }
                }

                continue;
            }

            var deadline = ts[first] + (window ?? throw new NotSupportedException("A trailing NotFollowedBy needs a window."));
            for (var j = start + 1; j < n && ts[j] < deadline; j++)
            {
                if (sat[i][j])
                {
                    return false;
                }
            }

            var waitsInLoop = b.Kind == QuantifierKind.Looping || (b.Kind == QuantifierKind.Times && be.Length < b.Max);
            if (waitsInLoop && (be[^1] + 1 >= n || ts[be[^1] + 1] >= deadline))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether event <paramref name="q"/> may follow the accepted event <paramref name="p"/> under <paramref name="strategy"/>.</summary>
    private static bool Contiguous(ConsumingStrategy strategy, bool[] satisfies, int p, int q) => strategy switch
    {
        ConsumingStrategy.Strict => q == p + 1,
        ConsumingStrategy.SkipTillNext => !Enumerable.Range(p + 1, q - p - 1).Any(j => satisfies[j]),
        _ => true,
    };

    /// <summary>Every increasing subset of <paramref name="items"/> with between <paramref name="min"/> and <paramref name="max"/> elements.</summary>
    private static IEnumerable<int[]> Subsets(int[] items, int min, int max)
    {
        var stack = new List<int>();
        return Rec(0);

        IEnumerable<int[]> Rec(int from)
        {
            if (stack.Count >= min)
            {
                yield return stack.ToArray();
            }

            if (stack.Count == max)
            {
                yield break;
            }

            for (var i = from; i < items.Length; i++)
            {
                stack.Add(items[i]);
                foreach (var s in Rec(i + 1))
                {
                    yield return s;
                }

                stack.RemoveAt(stack.Count - 1);
            }
        }
    }

    private static Step<T> ToStep<T>(Stage<T> stage)
    {
        if (stage.IsGroup || stage.Until is not null || stage.LocalWindow is not null || stage.Quantifier.Greedy
            || stage.Condition is { IsIterative: true })
        {
            throw new NotSupportedException($"The oracle does not model stage '{stage.Name}' (group, until, greedy, local window or iterative condition).");
        }

        var q = stage.Quantifier;
        var (min, max) = q.Kind switch
        {
            QuantifierKind.Single => (1, 1),
            QuantifierKind.Times => (q.From, q.To),
            _ => (q.From, int.MaxValue),
        };
        var condition = stage.TakeCondition;
        return new Step<T>(stage.Name, stage.Strategy, q.Inner, q.Kind, min, max, q.Optional, stage.IsNegated, e => condition.Test(e, null!));
    }

    private sealed record Step<T>(string Name, ConsumingStrategy Strategy, ConsumingStrategy Inner, QuantifierKind Kind, int Min, int Max, bool Optional, bool Negated, Func<T, bool> Test)
    {
        public bool Repeating => Kind != QuantifierKind.Single;
    }
}
