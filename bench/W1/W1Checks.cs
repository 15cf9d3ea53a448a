namespace Cep.Bench.W1;

/// <summary>The two independent ways W1's match count is computed besides the CEP operator.</summary>
public static class W1Checks
{
    /// <summary>
    /// The oracle: one backward pass keeping, per user, the timestamp of the next click. An exposure matches iff the
    /// next click of its user comes less than 5 minutes later (timestamps are the event indexes, in ms).
    /// </summary>
    public static long OracleCount(AdEvent[] events)
    {
        var nextClick = new long[W1Data.Users];
        Array.Fill(nextClick, long.MaxValue);
        long matches = 0;
        for (var i = events.Length - 1; i >= 0; i--)
        {
            var e = events[i];
            if (e.IsClick)
            {
                nextClick[e.User] = i;
            }
            else if (nextClick[e.User] != long.MaxValue && nextClick[e.User] - i < W1Data.WindowMs)
            {
                matches++;
            }
        }

        return matches;
    }
}

/// <summary>
/// The naive hand-written baseline: a dictionary from user to the timestamps of its pending exposures. A click
/// matches every pending exposure of its user that is less than 5 minutes old, then clears them. Processes the
/// events in arrival order (W1's timestamps are already in order), with no event-time buffer and no watermarks.
/// </summary>
public sealed class NaiveBaseline
{
    private readonly Dictionary<int, List<long>> _pending = [];

    public long Matches { get; private set; }

    public void OnEvent(in AdEvent e, long ms)
    {
        if (!e.IsClick)
        {
            if (!_pending.TryGetValue(e.User, out var list))
            {
                list = [];
                _pending.Add(e.User, list);
            }

            list.Add(ms);
            return;
        }

        if (_pending.TryGetValue(e.User, out var exposures))
        {
            foreach (var t in exposures)
            {
                if (ms - t < W1Data.WindowMs)
                {
                    Matches++;
                }
            }

            exposures.Clear();
        }
    }
}
