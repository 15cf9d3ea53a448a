using System.Reactive.Concurrency;
using System.Text;
using Cep.Connectors.Features;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using NodaTime;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>A record of the pipeline: an id (for tracking) and a feature key.</summary>
public sealed record Click(int Id, string Key);

/// <summary>How a record left the pipeline.</summary>
public enum Fate
{
    LookupJoined,
    RetryJoined,
    RetryExpired,
    Rejected,
}

/// <summary>One record's outcome, with what the test needs to judge it.</summary>
public sealed record Outcome(Click Record, Fate Fate, FeatureRecord? Value, int AppliedAtGive, int AppliedAtEmit, RetryExitReason? Reason, Exception? Error);

/// <summary>
/// The pipeline under test: an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/> over a feature store whose misses and
/// failures (and watermarks, in order) flow into a <see cref="RetryQueueOperator{TKey, TIn, TValue}"/> in event time.
/// Features are written straight into the gateways' store as the driver reaches their event time; every write is a new
/// version of its key, whose value names the table, the key and the version.
/// </summary>
public sealed class EndToEndPipeline : ILookupOutput<Click, FeatureRecord>, IRetryQueueOutput<string, Click, FeatureRecord>
{
    private readonly EndToEndGateways _gateways;
    private readonly string _table;
    private readonly Queue<(Click? Record, Instant At)> _forward = new();
    private readonly Dictionary<int, int> _appliedAtGive = [];
    private readonly Dictionary<string, int> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastWriteMs = new(StringComparer.Ordinal);

    public EndToEndPipeline(
        EndToEndGateways gateways, string table, IAsyncLookupSource<string, FeatureRecord> source, AsyncLookupOptions lookupOptions,
        RetryQueueOptions<string, Click, FeatureRecord> retryOptions)
    {
        _gateways = gateways;
        _table = table;
        lookupOptions.Scheduler ??= DefaultScheduler.Instance;
        Lookup = new AsyncLookupOperator<Click, string, FeatureRecord>(source, c => c.Key, this, lookupOptions);
        Retry = new RetryQueueOperator<string, Click, FeatureRecord>(c => c.Key, source, this, retryOptions);
    }

    public static Instant At(long ms) => EndToEndGateways.Start + Duration.FromMilliseconds(ms);

    public AsyncLookupOperator<Click, string, FeatureRecord> Lookup { get; }

    public RetryQueueOperator<string, Click, FeatureRecord> Retry { get; }

    /// <summary>Every outcome, in the order emitted.</summary>
    public List<Outcome> Outcomes { get; } = [];

    /// <summary>Lookup results (joined, missed, failed) in the order the lookup operator emitted them.</summary>
    public List<int> LookupOrder { get; } = [];

    /// <summary>The retry queue's outcomes in the order emitted.</summary>
    public List<int> RetryOrder { get; } = [];

    /// <summary>The records given to the retry queue, in that order.</summary>
    public List<int> RetryArrivals { get; } = [];

    /// <summary>Lookup failures, as emitted.</summary>
    public List<(Click Record, LookupFailureReason Reason, Exception Error)> LookupFailures { get; } = [];

    /// <summary>Watermarks forwarded by the lookup operator.</summary>
    public List<Instant> Watermarks { get; } = [];

    public static string ValueText(string table, string key, int version) => $"{table}|{key}|{version}";

    /// <summary>The number of versions of <paramref name="key"/> written so far.</summary>
    public int Applied(string key) => _applied.GetValueOrDefault(key);

    /// <summary>Writes the next version of a key at an event time (after any earlier version of it).</summary>
    public void Write(string key, long eventMs)
    {
        var ms = Math.Max(eventMs, _lastWriteMs.GetValueOrDefault(key, -1) + 1);
        _lastWriteMs[key] = ms;
        var version = Applied(key) + 1;
        var time = At(ms).ToUnixTimeMilliseconds();
        _gateways.Store.Put(_table, Encoding.UTF8.GetBytes(key), "f:v", time, Encoding.UTF8.GetBytes(ValueText(_table, key, version)));
        _applied[key] = version;
    }

    public async Task RecordAsync(Click click, Instant timestamp)
    {
        _appliedAtGive[click.Id] = Applied(click.Key);
        await Lookup.OnRecordAsync(click, timestamp);
        await ForwardAsync();
    }

    public async Task WatermarkAsync(Instant watermark)
    {
        await Lookup.OnWatermarkAsync(watermark);
        await ForwardAsync();
    }

    public async Task PollAsync()
    {
        await Lookup.PollAsync();
        await ForwardAsync();
    }

    /// <summary>Flushes the lookup operator and gives the final watermark, which ends the retry queue.</summary>
    public async Task EndAsync()
    {
        await Lookup.FlushAsync();
        await ForwardAsync();
        await Lookup.OnWatermarkAsync(Instant.MaxValue);
        await ForwardAsync();
    }

    void ILookupOutput<Click, FeatureRecord>.OnJoined(Click record, Instant timestamp, FeatureRecord value)
    {
        LookupOrder.Add(record.Id);
        Outcomes.Add(new Outcome(record, Fate.LookupJoined, value, _appliedAtGive[record.Id], Applied(record.Key), null, null));
    }

    void ILookupOutput<Click, FeatureRecord>.OnMiss(Click record, Instant timestamp)
    {
        LookupOrder.Add(record.Id);
        _forward.Enqueue((record, timestamp));
    }

    void ILookupOutput<Click, FeatureRecord>.OnFailed(Click record, Instant timestamp, LookupFailureReason reason, Exception error)
    {
        LookupOrder.Add(record.Id);
        LookupFailures.Add((record, reason, error));
        _forward.Enqueue((record, timestamp));
    }

    void ILookupOutput<Click, FeatureRecord>.OnRejected(Click record, Instant timestamp, LookupRejectReason reason) =>
        Outcomes.Add(new Outcome(record, Fate.Rejected, null, 0, 0, null, null));

    void ILookupOutput<Click, FeatureRecord>.OnWatermark(Instant watermark)
    {
        Watermarks.Add(watermark);
        _forward.Enqueue((null, watermark));
    }

    void IRetryQueueOutput<string, Click, FeatureRecord>.OnJoined(RetryJoined<string, Click, FeatureRecord> joined)
    {
        RetryOrder.Add(joined.Record.Id);
        Outcomes.Add(new Outcome(joined.Record, Fate.RetryJoined, joined.Value, _appliedAtGive[joined.Record.Id], Applied(joined.Record.Key), null, null));
    }

    void IRetryQueueOutput<string, Click, FeatureRecord>.OnExpired(RetryExpired<string, Click> expired)
    {
        RetryOrder.Add(expired.Record.Id);
        Outcomes.Add(new Outcome(expired.Record, Fate.RetryExpired, null, 0, 0, expired.Reason, expired.LastError));
    }

    private async Task ForwardAsync()
    {
        while (_forward.TryDequeue(out var item))
        {
            if (item.Record is { } record)
            {
                RetryArrivals.Add(record.Id);
                await Retry.OnRecordAsync(record, item.At);
            }
            else
            {
                await Retry.OnWatermarkAsync(item.At);
            }
        }
    }
}
