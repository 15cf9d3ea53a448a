using System.Reactive.Concurrency;
using Cep.Connectors.Features;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using NodaTime;

namespace CtrSession;

/// <summary>
/// The clock of the feature stage: the stage's current event time (a whole tick of the ad stream's watermark), not the
/// wall clock. The feature store decides TTL expiry with it, so a record expires when event time, not real time, has
/// passed its event time plus the TTL.
/// </summary>
public sealed class WatermarkClock(Instant start) : IClock
{
    private long _ticks = start.ToUnixTimeTicks();

    public Instant GetCurrentInstant() => Instant.FromUnixTimeTicks(Volatile.Read(ref _ticks));

    internal void Set(Instant now) => Volatile.Write(ref _ticks, now.ToUnixTimeTicks());
}

/// <summary>Knobs of the feature stage.</summary>
public sealed record FeatureJoinOptions
{
    /// <summary>The store's TTL; the retry queue gives up on a sample older than this.</summary>
    public Duration FeatureTtl { get; init; } = Duration.FromDays(7);

    /// <summary>The stage's event-time step: feature arrivals, lookups and retry rounds happen at each whole tick.</summary>
    public Duration Tick { get; init; } = Duration.FromSeconds(1);

    /// <summary>How long event time goes on after the ad stream's last watermark; null: until no sample is pending and
    /// every feature that will arrive has arrived.</summary>
    public Duration? Drain { get; init; }

    /// <summary>Whether to keep one <see cref="SampleOutcome"/> per sample (for tests).</summary>
    public bool KeepOutcomes { get; init; }

    /// <summary>The retry levels: 10 s, 1 min, 10 min, 3 attempts each.</summary>
    public static IList<RetryLevelOptions> Levels() =>
    [
        new RetryLevelOptions { Delay = Duration.FromSeconds(10), MaxAttempts = 3 },
        new RetryLevelOptions { Delay = Duration.FromMinutes(1), MaxAttempts = 3 },
        new RetryLevelOptions { Delay = Duration.FromMinutes(10), MaxAttempts = 3 },
    ];
}

/// <summary>How one sample ended.</summary>
public enum SampleOutcomeKind
{
    JoinedFirst,
    JoinedAfterRetry,
    Expired,
    Pending,
}

/// <summary>What happened to one sample: when it was first looked up, and where it ended.</summary>
public sealed record SampleOutcome(long ExposureId, Instant SampleTime, Instant FirstLookupAt)
{
    public SampleOutcomeKind Kind { get; set; } = SampleOutcomeKind.Pending;

    /// <summary>The retry level (1-based) that joined or expired it; 0 when joined on the first lookup.</summary>
    public int Level { get; set; }

    public int Attempt { get; set; }

    public Instant? At { get; set; }

    public RetryExitReason? Reason { get; set; }
}

/// <summary>
/// The feature stage after the CEP stage: features are written to a feature store through a <see cref="FeatureWriter"/>,
/// every sample is looked up through an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/>, and misses and failures
/// go to an event-time <see cref="RetryQueueOperator{TKey, TIn, TValue}"/>.
/// </summary>
/// <remarks>
/// <para><b>Time.</b> Everything runs in the event time of the ad stream. The stage advances in whole
/// <see cref="FeatureJoinOptions.Tick"/>s of the CEP stage's watermark; at each tick <c>c</c>, in this order: the
/// <see cref="WatermarkClock"/> (the store's TTL clock) and the processing-time scheduler move to <c>c</c>; the features
/// that have arrived by <c>c</c> plus the ad stream's out-of-orderness (the ad stream's arrival clock runs that far ahead
/// of its watermark) are written and flushed; the samples the CEP stage released since the last tick are looked up and
/// the lookups awaited; the misses and failures enter the retry queue; the watermark <c>c</c> goes to the lookup operator
/// and then to the retry queue, which runs every attempt due by <c>c</c>. A late feature is therefore visible only from
/// the tick its arrival reaches, never earlier, and the whole run is deterministic.</para>
/// <para><b>End.</b> After the ad stream, event time goes on tick by tick (see <see cref="FeatureJoinOptions.Drain"/>);
/// the retry queue gets no final watermark, so samples still waiting are reported as pending rather than expired.</para>
/// </remarks>
public sealed class FeatureJoinJob : ISampleSink
{
    private readonly IFeatureStore _store;
    private readonly WatermarkClock _clock;
    private readonly FeatureJoinOptions _options;
    private readonly Duration _outOfOrderness;
    private readonly HistoricalScheduler _scheduler;
    private readonly PriorityQueue<TrainingSample, (Instant Time, long Seq)> _released = new();
    private readonly List<(TrainingSample Sample, Instant Time, LookupFailureReason? Failure)> _toRetry = [];
    private readonly Dictionary<long, SampleOutcome> _outcomes = [];
    private readonly Dictionary<LookupFailureReason, long> _failures = [];
    private readonly long[] _retryJoinedPerLevel;
    private readonly Dictionary<RetryExitReason, long> _expired = [];
    private readonly ISampleSink? _next;
    private long _writeFailures;
    private long _joinedFirst;
    private long _positives;
    private long _negatives;

    /// <summary>Creates the stage; <paramref name="next"/>, if given, also sees every sample the CEP stage releases.</summary>
    public FeatureJoinJob(IFeatureStore store, WatermarkClock clock, Duration outOfOrderness, FeatureJoinOptions options, ISampleSink? next = null)
    {
        _next = next;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Tick <= Duration.Zero || (options.Drain is { } d && d < Duration.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Tick ({options.Tick}) must be positive and Drain ({options.Drain}) not negative.");
        }

        _outOfOrderness = outOfOrderness;
        _scheduler = new HistoricalScheduler(clock.GetCurrentInstant().ToDateTimeOffset());
        _retryJoinedPerLevel = new long[FeatureJoinOptions.Levels().Count];
    }

    /// <summary>The outcome of every sample, by exposure id, when <see cref="FeatureJoinOptions.KeepOutcomes"/> is set.</summary>
    public IReadOnlyDictionary<long, SampleOutcome> Outcomes => _outcomes;

    /// <inheritdoc/>
    public void OnSample(in TrainingSample sample)
    {
        _released.Enqueue(sample, (sample.Time, _positives + _negatives));
        _next?.OnSample(sample);
        if (sample.Label == 1)
        {
            _positives++;
        }
        else
        {
            _negatives++;
        }
    }

    /// <summary>Runs the CEP stage over <paramref name="ads"/> and this stage behind it, with <paramref name="features"/>
    /// (sorted by arrival, as <see cref="FeatureStream.Generate"/> returns them) arriving by their arrival time.</summary>
    public async Task<(CtrSessionReport Sessions, FeatureJoinReport Features)> RunAsync(IReadOnlyList<AdEvent> ads, IReadOnlyList<FeatureArrival> features)
    {
        await using var writer = new FeatureWriter(_store, _scheduler, f => Interlocked.Add(ref _writeFailures, f.Records.Count));
        var lookupOutput = new LookupOutput(this);
        var lookup = new AsyncLookupOperator<TrainingSample, string, FeatureRecord>(
            _store, s => FeatureArrival.KeyOf(s.ExposureId), lookupOutput,
            new AsyncLookupOptions
            {
                Capacity = 1_000,
                MaxBatchSize = 200,
                Scheduler = _scheduler,
                // Found values only (a miss must reach the retry queue). A request id is asked for once per sample, so the cache
                // serves reprocessed or duplicated samples; in this synthetic run it shows no hits.
                Cache = new LookupCacheOptions { MaxEntries = 10_000, Ttl = Duration.FromMinutes(1) },
            });
        var retry = new RetryQueueOperator<string, TrainingSample, FeatureRecord>(
            s => FeatureArrival.KeyOf(s.ExposureId), _store, new RetryOutput(this),
            new RetryQueueOptions<string, TrainingSample, FeatureRecord>
            {
                Levels = FeatureJoinOptions.Levels(),
                Ttl = _options.FeatureTtl,
                MaxBatchSize = 200,
            });

        var tickTicks = _options.Tick.BclCompatibleTicks;
        long? next = null;
        var nextFeature = 0;
        var lastWatermark = Instant.MinValue;

        async ValueTask TickAsync(Instant c)
        {
            _clock.Set(c);
            if (c.ToDateTimeOffset() > _scheduler.Now)
            {
                _scheduler.AdvanceTo(c.ToDateTimeOffset());
            }

            var arrivedBy = c + _outOfOrderness;
            while (nextFeature < features.Count && features[nextFeature].Arrival is { } a && a <= arrivedBy)
            {
                var f = features[nextFeature++];
                writer.OnRecord(new FeatureRecord(f.Key, f.EventTime, f.Value));
            }

            await writer.FlushAsync().ConfigureAwait(false);
            while (_released.TryPeek(out var s, out var time) && time.Time <= c)
            {
                _released.Dequeue();
                if (_options.KeepOutcomes)
                {
                    _outcomes.Add(s.ExposureId, new SampleOutcome(s.ExposureId, s.Time, c));
                }

                await lookup.OnRecordAsync(s, s.Time).ConfigureAwait(false);
            }

            await lookup.FlushAsync().ConfigureAwait(false);
            foreach (var (s, t, _) in _toRetry)
            {
                await retry.OnRecordAsync(s, t).ConfigureAwait(false);
            }

            _toRetry.Clear();
            await lookup.OnWatermarkAsync(c).ConfigureAwait(false);
            await retry.OnWatermarkAsync(c).ConfigureAwait(false);
        }

        var sessions = await new CtrSessionJob(_outOfOrderness, this).RunAsync(ads, async w =>
        {
            if (w == Instant.MaxValue)
            {
                return;
            }

            lastWatermark = w;
            var floor = w.ToUnixTimeTicks() / tickTicks * tickTicks;
            next ??= floor;
            for (; next <= floor; next += tickTicks)
            {
                await TickAsync(Instant.FromUnixTimeTicks(next.Value)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        // The ad stream has ended; event time goes on so that late features arrive and retries run.
        next ??= _clock.GetCurrentInstant().ToUnixTimeTicks();
        var end = _options.Drain is { } drain && lastWatermark != Instant.MinValue ? (lastWatermark + drain).ToUnixTimeTicks() : long.MaxValue;
        bool FeaturesToCome() => nextFeature < features.Count && features[nextFeature].Arrival is not null;
        while (next <= end && (_released.Count > 0 || retry.Counters.Pending > 0 || FeaturesToCome()))
        {
            await TickAsync(Instant.FromUnixTimeTicks(next.Value)).ConfigureAwait(false);
            next += tickTicks;
        }

        await writer.FlushAsync().ConfigureAwait(false);
        var report = new FeatureJoinReport
        {
            Samples = _positives + _negatives,
            FeaturesGenerated = features.Count,
            FeaturesNeverArriving = features.Count(f => f.Arrival is null),
            FeaturesNotYetArrived = features.Count - nextFeature - features.Count(f => f.Arrival is null),
            Writer = writer.Counters.ToString(),
            FeaturesReceived = writer.Counters.Received,
            FeaturesWritten = writer.Counters.Written,
            FeatureWriteFailures = writer.Counters.Failed,
            FeatureWritesPending = writer.Counters.Pending,
            LookedUp = lookup.Counters.RecordsIn,
            Lookup = lookup.Counters.ToString(),
            LookupBalanced = lookup.Counters.Balanced,
            JoinedFirst = _joinedFirst,
            LookupFailures = new Dictionary<LookupFailureReason, long>(_failures),
            LookupRejected = lookup.Counters.Rejected,
            LookupInFlight = lookup.Counters.InFlight,
            RetryIn = retry.Counters.RecordsIn,
            JoinedAfterRetryPerLevel = [.. _retryJoinedPerLevel],
            ExpiredByReason = new Dictionary<RetryExitReason, long>(_expired),
            Pending = retry.Counters.Pending,
            Retry = retry.Counters.ToString(),
            RetryBalanced = retry.Counters.Balanced,
            Unreleased = _released.Count,
        };
        return (sessions, report);
    }

    private void Joined(TrainingSample sample, int level, int attempt, Instant at)
    {
        if (level == 0)
        {
            _joinedFirst++;
        }
        else
        {
            _retryJoinedPerLevel[level - 1]++;
        }

        if (_outcomes.TryGetValue(sample.ExposureId, out var o))
        {
            (o.Kind, o.Level, o.Attempt, o.At) = (level == 0 ? SampleOutcomeKind.JoinedFirst : SampleOutcomeKind.JoinedAfterRetry, level, attempt, at);
        }
    }

    private sealed class LookupOutput(FeatureJoinJob job) : ILookupOutput<TrainingSample, FeatureRecord>
    {
        public void OnJoined(TrainingSample record, Instant timestamp, FeatureRecord value) =>
            job.Joined(record, 0, 1, job._clock.GetCurrentInstant());

        public void OnMiss(TrainingSample record, Instant timestamp) => job._toRetry.Add((record, timestamp, null));

        public void OnFailed(TrainingSample record, Instant timestamp, LookupFailureReason reason, Exception error)
        {
            job._failures[reason] = job._failures.GetValueOrDefault(reason) + 1;
            job._toRetry.Add((record, timestamp, reason));
        }

        // Unreachable in Wait mode; counted by the operator (LookupRejected) and in the balance should it happen.
        public void OnRejected(TrainingSample record, Instant timestamp, LookupRejectReason reason)
        {
        }

        public void OnWatermark(Instant watermark)
        {
        }
    }

    private sealed class RetryOutput(FeatureJoinJob job) : IRetryQueueOutput<string, TrainingSample, FeatureRecord>
    {
        public void OnJoined(RetryJoined<string, TrainingSample, FeatureRecord> joined) =>
            job.Joined(joined.Record, joined.Level, joined.Attempt, joined.At);

        public void OnExpired(RetryExpired<string, TrainingSample> expired)
        {
            job._expired[expired.Reason] = job._expired.GetValueOrDefault(expired.Reason) + 1;
            if (job._outcomes.TryGetValue(expired.Record.ExposureId, out var o))
            {
                (o.Kind, o.Level, o.Attempt, o.At, o.Reason) = (SampleOutcomeKind.Expired, expired.Level, expired.Attempt, expired.At, expired.Reason);
            }
        }
    }
}
