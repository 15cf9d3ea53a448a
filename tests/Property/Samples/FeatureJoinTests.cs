using Cep.HBaseRestServer;
using Cep.Joins.Retry;
using CtrSession;
using NodaTime;
using Xunit;

namespace Cep.Tests.Samples;

/// <summary>
/// The feature stage of the CTR session sample against an oracle that knows only the generated feature arrival times,
/// the first lookup time of each sample, the tick grid and the retry schedule.
/// </summary>
public sealed class FeatureJoinTests
{
    private static readonly Duration Tick = Duration.FromSeconds(1);

    private static SyntheticAdStreamOptions SmallStream(int seed) => new()
    {
        Events = 3_000,
        Seed = seed,
        Users = 40,
        Ads = 3,
        MeanExposureGapMs = 200,
        LateProbability = 0.03,
    };

    private static FeatureStreamOptions Features(int seed) => new() { Seed = seed + 100, LateShare = 0.12, NeverShare = 0.05 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(42)]
    public async Task EverySampleEndsAsTheOracleSays(int seed)
    {
        var (ads, stream, features, run, outcomes) = await RunAsync(seed, null, new FeatureJoinOptions { KeepOutcomes = true });
        var report = run.Features;

        Assert.True(run.Sessions.Balanced, run.Sessions.Counters);
        Assert.True(report.Balanced, report.Retry);
        Assert.Equal(run.Sessions.Positives + run.Sessions.Negatives, report.Samples);
        Assert.Equal(report.Samples, outcomes.Count);
        Assert.Equal(features.Count(f => f.Arrival is not null), report.FeaturesWritten);
        Assert.Equal(0, report.Pending);
        Assert.Equal(report.Samples, report.Joined + report.Expired);

        var byExposure = features.ToDictionary(f => f.ExposureId);
        var expected = outcomes.Values.Select(o => Oracle.Expect(o, byExposure[o.ExposureId], ads.OutOfOrderness, null)).ToList();
        foreach (var (o, e) in outcomes.Values.Zip(expected))
        {
            Assert.Equal(e, (o.Kind, o.Level, o.Attempt, o.At, o.Reason));
        }

        Assert.Equal(expected.LongCount(e => e.Kind == SampleOutcomeKind.JoinedFirst), report.JoinedFirst);
        for (var level = 1; level <= 3; level++)
        {
            Assert.Equal(expected.LongCount(e => e.Kind == SampleOutcomeKind.JoinedAfterRetry && e.Level == level), report.JoinedAfterRetryPerLevel[level - 1]);
        }

        Assert.Equal(expected.LongCount(e => e.Kind == SampleOutcomeKind.Expired), report.ExpiredByReason.GetValueOrDefault(RetryExitReason.AttemptsExhausted));
        Assert.Equal(report.Expired, report.ExpiredByReason.GetValueOrDefault(RetryExitReason.AttemptsExhausted));

        // On-time features are found at once; late ones that arrive after the first lookup only after a retry; those that
        // never arrive expire with the attempts exhausted, after the last attempt of the last level.
        var late = 0;
        foreach (var o in outcomes.Values)
        {
            var f = byExposure[o.ExposureId];
            switch (f.Kind)
            {
                case FeatureArrivalKind.OnTime:
                    Assert.Equal(SampleOutcomeKind.JoinedFirst, o.Kind);
                    break;
                case FeatureArrivalKind.Late when f.Arrival > o.FirstLookupAt + ads.OutOfOrderness:
                    late++;
                    Assert.Equal(SampleOutcomeKind.JoinedAfterRetry, o.Kind);
                    Assert.True(o.At + ads.OutOfOrderness >= f.Arrival, $"joined at {o.At} before the feature arrived at {f.Arrival}");
                    break;
                case FeatureArrivalKind.Never:
                    Assert.Equal((SampleOutcomeKind.Expired, RetryExitReason.AttemptsExhausted, 3, 3), (o.Kind, o.Reason!.Value, o.Level, o.Attempt));
                    break;
            }
        }

        Assert.True(late > 0 && report.JoinedAfterRetryPerLevel[2] > 0 && report.Expired > 0 && report.JoinedFirst > 0);
    }

    [Fact]
    public async Task ADrainLimitLeavesSamplesPendingAsTheOracleSays()
    {
        var drain = Duration.FromMinutes(4);
        var (ads, stream, features, run, outcomes) = await RunAsync(3, null, new FeatureJoinOptions { KeepOutcomes = true, Drain = drain });
        var report = run.Features;
        Assert.True(report.Balanced, report.Retry);
        Assert.True(report.Pending > 0 && report.FeaturesNotYetArrived > 0);
        Assert.Equal(report.Samples, report.Joined + report.Expired + report.Pending);

        // The last watermark of the bounded-out-of-orderness generator, then the last whole tick of the drain.
        var lastWatermark = stream.Max(e => e.Timestamp) - ads.OutOfOrderness - Duration.FromTicks(1);
        var end = Oracle.FloorTick(lastWatermark + drain);
        var byExposure = features.ToDictionary(f => f.ExposureId);
        foreach (var o in outcomes.Values)
        {
            Assert.Equal(Oracle.Expect(o, byExposure[o.ExposureId], ads.OutOfOrderness, end), (o.Kind, o.Level, o.Attempt, o.At, o.Reason));
        }

        Assert.Equal(outcomes.Values.LongCount(o => o.Kind == SampleOutcomeKind.Pending), report.Pending);
    }

    [Fact]
    public async Task SameSeedGivesTheSameReport()
    {
        var first = await RunAsync(5, null, new FeatureJoinOptions());
        var second = await RunAsync(5, null, new FeatureJoinOptions());
        Assert.Equal(Printed(first.Run.Features), Printed(second.Run.Features));
    }

    [Fact]
    public async Task TheHBaseGatewayGivesTheSameOutcomesAsFaster()
    {
        var options = new FeatureJoinOptions { KeepOutcomes = true };
        var faster = await RunAsync(7, null, options);
        var clock = new WatermarkClock(SmallStream(7).Start);
        await using var gateway = await HBaseRestGateway.StartAsync(new HBaseRestGatewayOptions { Clock = clock });
        var hbase = await RunAsync(7, gateway.BaseAddress.ToString(), options, clock);

        Assert.Contains("HBase", hbase.Run.Store, StringComparison.Ordinal);
        Assert.True(hbase.Run.Features.Balanced, hbase.Run.Features.Retry);
        Assert.Equal(faster.Run.Features.JoinedFirst, hbase.Run.Features.JoinedFirst);
        Assert.Equal(faster.Run.Features.JoinedAfterRetryPerLevel, hbase.Run.Features.JoinedAfterRetryPerLevel);
        Assert.Equal(faster.Run.Features.Expired, hbase.Run.Features.Expired);
        Assert.Equal(faster.Run.Features.Pending, hbase.Run.Features.Pending);
        Assert.Equal(faster.Run.Features.FeaturesWritten, hbase.Run.Features.FeaturesWritten);
        Assert.Equal(
            faster.Outcomes.Values.Select(o => (o.ExposureId, o.Kind, o.Level, o.Attempt, o.At)).OrderBy(o => o.ExposureId),
            hbase.Outcomes.Values.Select(o => (o.ExposureId, o.Kind, o.Level, o.Attempt, o.At)).OrderBy(o => o.ExposureId));
        Assert.True(hbase.Run.Features.Expired > 0 && hbase.Run.Features.JoinedAfterRetry > 0);
    }

    private static string Printed(FeatureJoinReport report)
    {
        using var w = new StringWriter();
        report.Print(w);
        return w.ToString();
    }

    private static async Task<(SyntheticAdStreamOptions Ads, List<AdEvent> Stream, List<FeatureArrival> Features, FeatureJoinRun Run, IReadOnlyDictionary<long, SampleOutcome> Outcomes)> RunAsync(
        int seed, string? hbase, FeatureJoinOptions options, WatermarkClock? clock = null)
    {
        var ads = SmallStream(seed);
        var stream = SyntheticAdStream.Generate(ads);
        var features = FeatureStream.Generate(stream, ads.OutOfOrderness, Features(seed));
        IReadOnlyDictionary<long, SampleOutcome> outcomes = new Dictionary<long, SampleOutcome>();
        var run = await FeatureStores.RunAsync(hbase, ads, stream, features, options, inspect: job => outcomes = job.Outcomes, clock: clock);
        return (ads, stream, features, run, outcomes);
    }

    /// <summary>
    /// Where a sample must end, from its feature's arrival time alone: the stage ticks at every whole second; at tick
    /// <c>c</c> a feature is visible if it arrived by <c>c</c> plus the out-of-orderness bound. The first lookup (at the
    /// tick recorded for the sample) finds it, or the retry ladder runs: each attempt is due its level's delay after the
    /// sample's time (first attempt) or the previous attempt, and made at the first tick at or after that (never before the
    /// first lookup); the first attempt that sees the feature joins it; after nine misses the sample expires.
    /// </summary>
    private static class Oracle
    {
        private static readonly (int Level, Duration Delay)[] Ladder =
            [.. new[] { (1, 10L), (2, 60L), (3, 600L) }.SelectMany(l => Enumerable.Repeat((l.Item1, Duration.FromSeconds(l.Item2)), 3))];

        public static Instant FloorTick(Instant t) => Instant.FromUnixTimeTicks(Math.DivRem(t.ToUnixTimeTicks(), Tick.BclCompatibleTicks, out _) * Tick.BclCompatibleTicks);

        public static (SampleOutcomeKind Kind, int Level, int Attempt, Instant? At, RetryExitReason? Reason) Expect(
            SampleOutcome o, FeatureArrival f, Duration bound, Instant? end)
        {
            bool Visible(Instant c) => f.Arrival is { } a && a <= c + bound;
            if (Visible(o.FirstLookupAt))
            {
                return (SampleOutcomeKind.JoinedFirst, 0, 1, o.FirstLookupAt, null);
            }

            var previous = o.SampleTime;
            var attempt = 0;
            var level = 0;
            foreach (var (l, delay) in Ladder)
            {
                attempt = l == level ? attempt + 1 : 1;
                level = l;
                var due = previous + delay;
                var at = FloorTick(due) == due ? due : FloorTick(due) + Tick;
                at = at < o.FirstLookupAt ? o.FirstLookupAt : at;
                if (end is { } e && at > e)
                {
                    return (SampleOutcomeKind.Pending, 0, 0, null, null);
                }

                if (Visible(at))
                {
                    return (SampleOutcomeKind.JoinedAfterRetry, level, attempt, at, null);
                }

                previous = at;
            }

            return (SampleOutcomeKind.Expired, 3, 3, previous, RetryExitReason.AttemptsExhausted);
        }
    }
}
