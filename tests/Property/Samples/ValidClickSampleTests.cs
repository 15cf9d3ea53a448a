using Cep.Joins.AdAnalytics;
using Cep.Tests.Joins.AdAnalytics;
using CtrSession;
using NodaTime;
using Xunit;

namespace Cep.Tests.Samples;

/// <summary>The valid-click part of the CTR session sample against an independent computation over the same seeded streams.</summary>
public sealed class ValidClickSampleTests
{
    [Theory]
    [MemberData(nameof(SampleStreams.Seeds), MemberType = typeof(SampleStreams))]
    public void VerdictsMatchAnIndependentComputation(int seed)
    {
        var ads = SampleStreams.Small(seed);
        var watch = new HeartbeatStreamOptions { Seed = seed, WatchProbability = 0.3, LateProbability = 0.01, DuplicateProbability = 0.05 };
        var records = HeartbeatStream.Generate(SyntheticAdStream.Generate(ads), watch);
        var job = new ValidClickJob(watch.OutOfOrderness);
        var report = job.Run(records);

        // Late: at or below the largest earlier timestamp of the same input minus the bound minus one tick.
        var bound = watch.OutOfOrderness.BclCompatibleTicks;
        var onTimeClicks = OnTime(records.Where(r => r.Click is not null).Select(r => r.Click!), c => c.Timestamp, bound);
        var onTimeBeats = OnTime(records.Where(r => r.Heartbeat is not null).Select(r => r.Heartbeat!), h => h.Timestamp, bound);
        var expected = ValidClickOracle.Verdicts(onTimeClicks, onTimeBeats, new ValidClickOptions());

        Assert.Equal(expected, ValidClickOracle.Describe(job.Verdicts));
        Assert.Equal(expected.Count(v => v.EndsWith(":valid", StringComparison.Ordinal)), report.Valid);
        Assert.Equal(records.Count(r => r.Click is not null), report.Clicks);
        Assert.Equal(records.Count(r => r.Heartbeat is not null), report.Heartbeats);
        Assert.Equal(report.Clicks - onTimeClicks.Count, report.LateClicks);
        Assert.Equal(report.Heartbeats - onTimeBeats.Count, report.LateHeartbeats);
        Assert.True(report.Balanced, report.Counters);

        // The streams exercise every outcome: valid, not valid with some watching, late clicks and heartbeats, duplicates.
        Assert.True(report.Valid > 0 && report.LateClicks > 0 && report.LateHeartbeats > 0, report.Counters);
        Assert.Contains(job.Verdicts, v => !v.IsValid && v.Watched > Duration.Zero);
        Assert.True(onTimeBeats.Count > onTimeBeats.Distinct().Count());
    }

    [Fact]
    public void SameSeedGivesTheSameReport()
    {
        var stream = SyntheticAdStream.Generate(SampleStreams.Small(5));
        var options = new HeartbeatStreamOptions { WatchProbability = 0.3 };
        var first = new ValidClickJob(options.OutOfOrderness).Run(HeartbeatStream.Generate(stream, options));
        var second = new ValidClickJob(options.OutOfOrderness).Run(HeartbeatStream.Generate(stream, options));
        Assert.Equal(first, second);
    }

    private static List<T> OnTime<T>(IEnumerable<T> arrivals, Func<T, Instant> time, long bound)
    {
        var result = new List<T>();
        var max = long.MinValue;
        foreach (var r in arrivals)
        {
            var ticks = time(r).ToUnixTimeTicks();
            if (max == long.MinValue || ticks > max - bound - 1)
            {
                result.Add(r);
            }

            max = Math.Max(max, ticks);
        }

        return result;
    }
}
