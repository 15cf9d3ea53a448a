using Cep.Connectors.Features;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using CtrSession;
using NodaTime;
using Xunit;

namespace Cep.Tests.Samples;

/// <summary>The feature stage when the store fails some multi-gets: every failure is counted with its reason and retried,
/// and no sample is lost.</summary>
public sealed class FeatureJoinFailureTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task FailedLookupsAreRetriedAndNothingIsLost(int failEvery)
    {
        var ads = new SyntheticAdStreamOptions { Events = 2_000, Seed = 9, Users = 30, Ads = 3, MeanExposureGapMs = 200 };
        var stream = SyntheticAdStream.Generate(ads);
        var features = FeatureStream.Generate(stream, ads.OutOfOrderness, new FeatureStreamOptions { Seed = 19, LateShare = 0.1, NeverShare = 0.05 });
        var clock = new WatermarkClock(ads.Start);
        var options = new FeatureJoinOptions { KeepOutcomes = true };
        await using var store = new FailingStore(new InMemoryFeatureStore(options.FeatureTtl, clock), failEvery);
        IReadOnlyDictionary<long, SampleOutcome> outcomes = new Dictionary<long, SampleOutcome>();
        var run = await FeatureStores.RunAsync(store, clock, "in memory, failing", ads, stream, features, options, null, job => outcomes = job.Outcomes);
        var report = run.Features;

        Assert.True(report.Balanced, report.Retry);
        Assert.True(report.LookupFailures.GetValueOrDefault(LookupFailureReason.SourceFailed) > 0, report.Lookup);
        Assert.Equal(report.LookupFailed, report.LookupFailures.GetValueOrDefault(LookupFailureReason.SourceFailed));
        Assert.Contains("failures=", report.Retry, StringComparison.Ordinal);
        Assert.Equal(report.Samples, report.Joined + report.Expired);
        Assert.Equal(report.Samples, outcomes.Count);
        Assert.Equal(0, report.Pending);

        // Failures only delay: a sample whose feature never arrives expires with its attempts exhausted; every other
        // expired sample lost all its attempts to failures or misses, never to anything else.
        var never = features.Where(f => f.Arrival is null).Select(f => f.ExposureId).ToHashSet();
        Assert.All(outcomes.Values.Where(o => never.Contains(o.ExposureId)), o => Assert.Equal(RetryExitReason.AttemptsExhausted, o.Reason));
        Assert.All(outcomes.Values.Where(o => o.Kind == SampleOutcomeKind.Expired), o => Assert.Equal(RetryExitReason.AttemptsExhausted, o.Reason));
        Assert.True(store.Failures > 0 && report.JoinedAfterRetry > 0);
    }

    /// <summary>A store whose every <c>failEvery</c>-th multi-get throws.</summary>
    private sealed class FailingStore(IFeatureStore inner, int failEvery) : IFeatureStore
    {
        private int _calls;

        public int Failures;

        public Duration Ttl => inner.Ttl;

        public ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(records, cancellationToken);

        public ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) % failEvery == 0)
            {
                Interlocked.Increment(ref Failures);
                throw new IOException("The store is unavailable (injected).");
            }

            return inner.LookupAsync(keys, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
