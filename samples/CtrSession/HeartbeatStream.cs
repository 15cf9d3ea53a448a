using Cep.Joins.AdAnalytics;
using NodaTime;

namespace CtrSession;

/// <summary>Knobs of the synthetic play heartbeats that follow some clicks.</summary>
public sealed record HeartbeatStreamOptions() : ArrivalOptions(seed: 11, lateProbability: 0.002)
{
    /// <summary>Probability that a click is followed by watching (a session of heartbeats).</summary>
    public double WatchProbability { get; init; } = 0.05;

    /// <summary>Among watching sessions: the share that lasts long enough (7 to 10 minutes).</summary>
    public double LongWatchShare { get; init; } = 0.5;

    /// <summary>Among watching sessions: the share that pauses for 10 to 60 s half-way.</summary>
    public double GapShare { get; init; } = 0.2;

    /// <summary>Probability that a heartbeat is sent twice.</summary>
    public double DuplicateProbability { get; init; } = 0.01;

    public Duration Interval { get; init; } = Duration.FromSeconds(3);
}

/// <summary>One record of the valid-click job's two inputs, with the time it arrives.</summary>
public readonly record struct WatchRecord(long ArrivalTicks, long Order, Click? Click, PlayHeartbeat? Heartbeat);

/// <summary>
/// The inputs of the valid-click job in arrival order: the clicks of the ad stream (arriving when the ad stream reached
/// them) and, for some clicks, a watching session of heartbeats every 3 seconds from the click on: long (7 to 10
/// minutes, valid), short (under 6 minutes), some with a pause, some heartbeats duplicated, shuffled within a bound,
/// a few delayed far enough to arrive late.
/// </summary>
public static class HeartbeatStream
{
    public static List<WatchRecord> Generate(IReadOnlyList<AdEvent> adStream, HeartbeatStreamOptions options)
    {
        var rng = new Random(options.Seed);
        var records = new List<WatchRecord>();
        var interval = options.Interval.BclCompatibleTicks;
        var bound = options.OutOfOrderness.BclCompatibleTicks;
        var maxTicks = long.MinValue;
        long order = 0;
        long Delay() => options.ArrivalDelay(rng, bound, NodaConstants.TicksPerSecond, NodaConstants.TicksPerSecond);
        foreach (var e in adStream)
        {
            var ticks = e.Timestamp.ToUnixTimeTicks();
            maxTicks = Math.Max(maxTicks, ticks); // the ad stream has reached this far when the record arrives
            if (!e.IsClick)
            {
                continue;
            }

            var click = new Click($"u{e.User}", $"ad{e.Ad}", e.Timestamp, $"click-{e.Id}");
            records.Add(new WatchRecord(maxTicks, order++, click, null));
            if (rng.NextDouble() >= options.WatchProbability)
            {
                continue;
            }

            var seconds = rng.NextDouble() < options.LongWatchShare ? rng.Next(420, 601) : rng.Next(10, 357);
            var beats = (int)(seconds * NodaConstants.TicksPerSecond / interval);
            var gapAt = rng.NextDouble() < options.GapShare ? beats / 2 : -1;
            var ts = ticks + rng.NextInt64(NodaConstants.TicksPerSecond); // the player starts within a second
            for (var i = 0; i < beats; i++)
            {
                if (i == gapAt)
                {
                    ts += rng.Next(10, 61) * NodaConstants.TicksPerSecond;
                }

                var beat = new PlayHeartbeat(click.UserId, click.TitleId, Instant.FromUnixTimeTicks(ts));
                records.Add(new WatchRecord(ts + Delay(), order++, null, beat));
                if (rng.NextDouble() < options.DuplicateProbability)
                {
                    records.Add(new WatchRecord(ts + Delay(), order++, null, beat));
                }

                ts += interval;
            }
        }

        return [.. records.OrderBy(r => r.ArrivalTicks).ThenBy(r => r.Order)];
    }
}
