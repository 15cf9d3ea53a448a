using Cep.Bench.W1;

namespace Cep.Bench.W2;

/// <summary>The independent pair count and the naive baseline of W2.</summary>
public static class W2Checks
{
    /// <summary>
    /// The oracle: per user, the sorted timestamps (event indexes, in ms) of its exposures; each click at <c>c</c> pairs with
    /// every exposure of its user in <c>[c - 5 min, c]</c>, counted with two binary searches.
    /// </summary>
    public static long OraclePairs(AdEvent[] events)
    {
        var exposures = new List<int>[W1Data.Users];
        for (var u = 0; u < exposures.Length; u++)
        {
            exposures[u] = [];
        }

        for (var i = 0; i < events.Length; i++)
        {
            if (!events[i].IsClick)
            {
                exposures[events[i].User].Add(i);
            }
        }

        long pairs = 0;
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i].IsClick)
            {
                var list = exposures[events[i].User];
                pairs += UpperBound(list, i) - LowerBound(list, i - W1Data.WindowMs);
            }
        }

        return pairs;
    }

    private static int LowerBound(List<int> list, long value)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(List<int> list, long value) => LowerBound(list, value + 1);
}

/// <summary>
/// The naive hand-written baseline: a dictionary from user to the timestamps of its exposures of the last five minutes. A
/// click drops its user's exposures older than five minutes and pairs with all the others. It relies on the input being in
/// timestamp order: no watermarks, no out-of-order handling, no late output, no state accounting, no outer joins.
/// </summary>
public sealed class NaiveJoinBaseline
{
    private readonly Dictionary<int, List<long>> _exposures = [];

    public long Pairs { get; private set; }

    public void OnEvent(in AdEvent e, long ms)
    {
        if (!_exposures.TryGetValue(e.User, out var list))
        {
            list = [];
            _exposures.Add(e.User, list);
        }

        if (!e.IsClick)
        {
            list.Add(ms);
            return;
        }

        var expired = 0;
        while (expired < list.Count && list[expired] < ms - W1Data.WindowMs)
        {
            expired++;
        }

        list.RemoveRange(0, expired);
        Pairs += list.Count;
    }
}
