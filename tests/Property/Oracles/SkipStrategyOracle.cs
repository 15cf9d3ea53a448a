using Cep.Patterns;

namespace Cep.Tests.Oracles;

/// <summary>
/// Applies an after-match skip strategy to the oracle's matches of one key (cep-semantics.md §1): matches are taken in
/// order of their first event, then of the event that completes them (<see cref="OracleMatch.CompletedAt"/>: normally
/// their last event; events compared by processing order); each taken match is
/// emitted and discards every remaining match whose first event is &lt;= (SkipToNext: the match's first event;
/// SkipPastLastEvent: its last event) or &lt; (SkipToFirst / SkipToLast: the first / last event of the target stage in the
/// match; nothing if that stage took no event) the threshold.
/// </summary>
/// <remarks>
/// Ties: matches with the same first event that complete on the same event (or, for a trailing NotFollowedBy, at the
/// same window expiry), and which one the automaton
/// emits first is an implementation detail (Flink leaves it to its priority queue, cep-semantics.md §2 item 17). So
/// instead of fixing one order, <see cref="Accepts"/> allows every order of tied matches: an implementation is right
/// if its output is the result of one of them.
/// </remarks>
public static class SkipStrategyOracle
{
    /// <summary>
    /// Whether <paramref name="actual"/> (match descriptions, in any order) is the output of the skip strategy over
    /// <paramref name="matches"/> for some order of tied matches; null if deciding needs more than
    /// <paramref name="budget"/> steps. The search only picks, among tied matches, those that appear in the output.
    /// </summary>
    public static bool? Accepts<T>(AfterMatchSkipStrategy skip, IReadOnlyList<OracleMatch> matches, IReadOnlyList<T> events, IReadOnlyList<string> actual, int budget = 20_000)
    {
        var ordered = matches.OrderBy(m => m.First).ThenBy(m => m.CompletedAt).ToArray();
        var names = ordered.Select(m => m.Describe(events)).ToArray();
        var failed = new HashSet<string>();
        var work = 0;
        var left = actual.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        return Rec(Enumerable.Range(0, ordered.Length).ToList(), actual.Count);

        bool? Rec(List<int> remaining, int leftCount)
        {
            if (remaining.Count == 0)
            {
                return leftCount == 0;
            }

            var key = string.Join(",", remaining) + "|" + string.Join(",", left.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key}#{kv.Value}"));
            if (failed.Contains(key))
            {
                return false;
            }

            if (++work > budget)
            {
                return null;
            }

            var head = ordered[remaining[0]];
            var tied = remaining.TakeWhile(i => ordered[i].First == head.First && ordered[i].CompletedAt == head.CompletedAt).ToList();
            var tried = new HashSet<string>();
            foreach (var pick in tied)
            {
                var name = names[pick];
                if (!tried.Add(name) || !left.TryGetValue(name, out var n) || n == 0)
                {
                    continue;
                }

                var (threshold, inclusive) = Threshold(skip, ordered[pick]);
                var rest = remaining.Where(i => i != pick && !(threshold is { } t && (inclusive ? ordered[i].First <= t : ordered[i].First < t))).ToList();
                left[name] = n - 1;
                var ok = Rec(rest, leftCount - 1);
                left[name] = n;
                if (ok != false)
                {
                    return ok;
                }
            }

            failed.Add(key);
            return false;
        }
    }

    /// <summary>One output of the skip strategy: tied matches taken in description order (for reports).</summary>
    public static List<string> OneOutcome<T>(AfterMatchSkipStrategy skip, IReadOnlyList<OracleMatch> matches, IReadOnlyList<T> events)
    {
        var remaining = matches.OrderBy(m => m.First).ThenBy(m => m.CompletedAt).ThenBy(m => m.Describe(events), StringComparer.Ordinal).ToList();
        var result = new List<string>();
        while (remaining.Count > 0)
        {
            var pick = remaining[0];
            result.Add(pick.Describe(events));
            var (threshold, inclusive) = Threshold(skip, pick);
            remaining = remaining.Skip(1).Where(m => !(threshold is { } t && (inclusive ? m.First <= t : m.First < t))).ToList();
        }

        return result;
    }

    /// <summary>The event index below (or at, if inclusive) which later matches are discarded; null for none.</summary>
    public static (int? Threshold, bool Inclusive) Threshold(AfterMatchSkipStrategy skip, OracleMatch match) => skip.Kind switch
    {
        SkipKind.SkipToNext => (match.First, true),
        SkipKind.SkipPastLastEvent => (match.Last, true),
        SkipKind.SkipToFirst => (match.Of(skip.TargetStage!) is { Length: > 0 } e ? e[0] : null, false),
        SkipKind.SkipToLast => (match.Of(skip.TargetStage!) is { Length: > 0 } e ? e[^1] : null, false),
        _ => (null, false),
    };
}
