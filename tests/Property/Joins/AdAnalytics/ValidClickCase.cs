using Cep.Joins.AdAnalytics;
using Cep.Joins.CoProcess;
using Cep.Tests.Joins.CoProcess;
using NodaTime;

namespace Cep.Tests.Joins.AdAnalytics;

/// <summary>One step of a generated run: a click, a heartbeat, or a watermark of one input.</summary>
public sealed record ValidClickStep(int Input, object? Record, Instant Time)
{
    public override string ToString() => Record switch
    {
        Click c => $"click {c.ClickId} {c.UserId}/{c.TitleId} @{c.Timestamp.ToUnixTimeMilliseconds()}",
        PlayHeartbeat h => $"beat {h.UserId}/{h.TitleId} @{h.Timestamp.ToUnixTimeMilliseconds()}",
        _ => $"wm{Input} {CollectingCoOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict>.Ms(Time)}",
    };
}

/// <summary>
/// A generated run in arrival order: clicks and heartbeat sessions (regular, jittered, with duplicates and gaps) of a
/// few users and titles, shuffled within an out-of-orderness bound, a few records delayed beyond it (so possibly late),
/// and each input's bounded-out-of-orderness watermark after each of its records.
/// </summary>
public sealed record ValidClickCase(int Seed, List<ValidClickStep> Steps)
{
    /// <summary>Small parameters so that short runs reach every outcome: 15 s of watching, 3 s heartbeats, 60 s TTL.</summary>
    public static readonly ValidClickOptions Options = new()
    {
        RequiredWatchTime = Duration.FromSeconds(15),
        HeartbeatInterval = Duration.FromSeconds(3),
        ClickTtl = Duration.FromSeconds(60),
    };

    public static ValidClickCase Generate(int seed)
    {
        var rng = new Random(seed);
        var records = new List<(long Ts, object Record)>();
        string User() => $"u{rng.Next(2)}";
        string Title() => $"t{rng.Next(2)}";
        var clicks = rng.Next(1, 6);
        for (var i = 0; i < clicks; i++)
        {
            var ts = rng.Next(0, 120_000);
            records.Add((ts, new Click(User(), Title(), Instant.FromUnixTimeMilliseconds(ts), $"c{i}")));
        }

        var sessions = rng.Next(0, 6);
        for (var s = 0; s < sessions; s++)
        {
            var (user, title) = (User(), Title());
            long ts = rng.Next(-10_000, 150_000);
            var count = rng.Next(1, 30);
            for (var i = 0; i < count; i++)
            {
                var beat = new PlayHeartbeat(user, title, Instant.FromUnixTimeMilliseconds(ts));
                records.Add((ts, beat));
                if (rng.Next(8) == 0)
                {
                    records.Add((ts, beat with { })); // a duplicate
                }

                var r = rng.Next(10);
                ts += r < 6 ? 3_000 : r < 8 ? rng.Next(500, 3_000) : r < 9 ? rng.Next(3_001, 20_000) : 3_000 * rng.Next(0, 2);
            }
        }

        const long bound = 5_000;
        var arrivals = records
            .Select((r, i) => (r.Ts, r.Record, Arrival: r.Ts + (rng.Next(20) == 0 ? bound + rng.Next(1, 30_000) : rng.Next(0, (int)bound + 1)), Index: i))
            .OrderBy(a => a.Arrival).ThenBy(a => a.Index)
            .ToList();
        var steps = new List<ValidClickStep>();
        var max = new long?[2];
        foreach (var a in arrivals)
        {
            var input = a.Record is Click ? 1 : 2;
            steps.Add(new ValidClickStep(input, a.Record, Instant.FromUnixTimeMilliseconds(a.Ts)));
            if (max[input - 1] is not { } m || a.Ts > m)
            {
                max[input - 1] = a.Ts;
                steps.Add(new ValidClickStep(input, null, Instant.FromUnixTimeMilliseconds(a.Ts - bound - 1)));
            }
        }

        steps.Add(new ValidClickStep(1, null, Instant.MaxValue));
        steps.Add(new ValidClickStep(2, null, Instant.MaxValue));
        return new ValidClickCase(seed, steps);
    }

    public static void Apply(KeyedCoProcessOperator<WatchKey, Click, PlayHeartbeat, ClickVerdict> op, ValidClickStep step)
    {
        switch (step.Record)
        {
            case Click c:
                op.OnInput1(c, step.Time);
                break;
            case PlayHeartbeat h:
                op.OnInput2(h, step.Time);
                break;
            default:
                if (step.Input == 1)
                {
                    op.OnWatermark1(step.Time);
                }
                else
                {
                    op.OnWatermark2(step.Time);
                }

                break;
        }
    }

    public override string ToString() => $"seed {Seed}: {string.Join("; ", Steps)}";
}

/// <summary>The definition of a valid click, computed directly from the records that were not late.</summary>
public static class ValidClickOracle
{
    /// <summary>"clickId:valid" for valid clicks, "clickId:not-valid:watched ms" for the others, sorted.</summary>
    public static List<string> Verdicts(IEnumerable<Click> clicks, IEnumerable<PlayHeartbeat> beats, ValidClickOptions options)
    {
        var ttl = options.ClickTtl.BclCompatibleTicks;
        var interval = options.HeartbeatInterval.BclCompatibleTicks;
        var byKey = beats.GroupBy(b => b.Key).ToDictionary(g => g.Key, g => g.Select(b => b.Timestamp.ToUnixTimeTicks()).Distinct().Order().ToList());
        var result = new List<string>();
        foreach (var c in clicks)
        {
            var start = c.Timestamp.ToUnixTimeTicks();
            var end = start + ttl;
            var covered = new List<(long From, long To)>();
            foreach (var h in byKey.GetValueOrDefault(c.Key, []).Where(h => h >= start && h < end))
            {
                covered.Add((h, Math.Min(h + interval, end)));
            }

            // Length of the union of the intervals, merging in order.
            long watched = 0, reach = long.MinValue;
            foreach (var (from, to) in covered.OrderBy(i => i.From))
            {
                var lo = Math.Max(from, reach);
                if (to > lo)
                {
                    watched += to - lo;
                }

                reach = Math.Max(reach, to);
            }

            result.Add(watched >= options.RequiredWatchTime.BclCompatibleTicks ? $"{c.ClickId}:valid" : $"{c.ClickId}:not-valid:{watched / NodaConstants.TicksPerMillisecond}");
        }

        return [.. result.Order(StringComparer.Ordinal)];
    }

    public static List<string> Describe(IEnumerable<ClickVerdict> verdicts) =>
        [.. verdicts.Select(v => v.IsValid ? $"{v.Click.ClickId}:valid" : $"{v.Click.ClickId}:not-valid:{v.Watched.BclCompatibleTicks / NodaConstants.TicksPerMillisecond}")
            .Order(StringComparer.Ordinal)];
}
