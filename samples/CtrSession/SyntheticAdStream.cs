using NodaTime;

namespace CtrSession;

/// <summary>Knobs of the synthetic stream; the defaults give a run of a few seconds at most.</summary>
public sealed record SyntheticAdStreamOptions() : ArrivalOptions(seed: 7, lateProbability: 0.005)
{
    public int Events { get; init; } = 200_000;

    public int Users { get; init; } = 2_000;

    public int Ads { get; init; } = 20;

    /// <summary>Mean event-time gap between consecutive exposures.</summary>
    public int MeanExposureGapMs { get; init; } = 10;

    /// <summary>Probability that an exposure is followed by a click (of the same user and ad).</summary>
    public double ClickProbability { get; init; } = 0.12;

    /// <summary>Among clicks: the share in the same millisecond as their exposure (arriving right after it).</summary>
    public double SameMillisecondShare { get; init; } = 0.1;

    /// <summary>Among clicks: the share that comes 5 to 10 minutes after the exposure (outside the window).</summary>
    public double TooLateClickShare { get; init; } = 0.2;

    public Instant Start { get; init; } = Instant.FromUtc(2025, 1, 6, 9, 0);
}

/// <summary>
/// A deterministic synthetic ad tracking stream in arrival order: exposures of many users and ads, some followed by
/// clicks (some in the same millisecond, most within 5 minutes, some after), shuffled within an out-of-orderness bound,
/// with a few records delayed far enough to arrive late.
/// </summary>
public static class SyntheticAdStream
{
    public static List<AdEvent> Generate(SyntheticAdStreamOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Events);
        var rng = new Random(options.Seed);
        var boundMs = (long)options.OutOfOrderness.TotalMilliseconds;
        var window = (long)Duration.FromMinutes(5).TotalMilliseconds;
        var pending = new List<(long ArrivalMs, AdEvent Event)>(options.Events);
        var t = 0L;
        long id = 0;
        while (pending.Count < options.Events)
        {
            t += rng.Next(2 * options.MeanExposureGapMs + 1);
            var user = rng.Next(options.Users);
            var ad = rng.Next(options.Ads);
            var exposure = new AdEvent(id++, user, ad, AdEventKind.Exposure, options.Start + Duration.FromMilliseconds(t));
            var delay = options.ArrivalDelay(rng, boundMs, 1000, 1);
            pending.Add((t + delay, exposure));
            if (pending.Count == options.Events || rng.NextDouble() >= options.ClickProbability)
            {
                continue;
            }

            var kind = rng.NextDouble();
            long clickDelay;
            long clickArrivalDelay;
            if (kind < options.SameMillisecondShare)
            {
                clickDelay = 0; // same millisecond, arriving right after the exposure
                clickArrivalDelay = delay;
            }
            else
            {
                clickDelay = kind < options.SameMillisecondShare + options.TooLateClickShare
                    ? window + rng.NextInt64(window + 1)
                    : 1 + rng.NextInt64(window - 1);
                clickArrivalDelay = options.ArrivalDelay(rng, boundMs, 1000, 1);
            }

            var click = new AdEvent(id++, user, ad, AdEventKind.Click, exposure.Timestamp + Duration.FromMilliseconds(clickDelay));
            pending.Add((t + clickDelay + clickArrivalDelay, click));
        }

        // Arrival order; ties keep generation order, so a same-millisecond click follows its exposure.
        return pending.OrderBy(p => p.ArrivalMs).ThenBy(p => p.Event.Id).Select(p => p.Event).ToList();
    }
}
