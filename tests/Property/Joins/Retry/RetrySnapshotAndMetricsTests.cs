using System.Reactive.Concurrency;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using Cep.Operators;
using Cep.State;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry;

public sealed class RetrySnapshotAndMetricsTests
{
    private static RetryQueueOperator<int, Miss, string> NewQueue(RetryQueueOptions<int, Miss, string> options, RetryCollector? output = null) =>
        new(m => m.Key, new FakeFeatureStore(new Dictionary<int, long> { [1] = 0 }, 0.5, 3, () => 0), output ?? new RetryCollector(), options);

    [Fact]
    public async Task RestoreNeedsAFreshQueueAndMatchingSettings()
    {
        var queue = NewQueue(Options(Level(10, 2)));
        await queue.OnRecordAsync(new Miss(1, 2, 0), Ms(0));
        var bytes = queue.Snapshot();

        Assert.Throws<InvalidOperationException>(() => queue.Restore(bytes));
        var other = NewQueue(Options(Level(10, 3)));
        var error = Assert.Throws<SnapshotFormatException>(() => other.Restore(bytes));
        Assert.Contains("other settings", error.Message);
        Assert.Equal(0, other.Counters.RecordsIn);

        var corrupt = bytes.ToArray();
        corrupt[^12] ^= 0xFF;
        Assert.Contains("checksum", Assert.Throws<SnapshotFormatException>(() => NewQueue(Options(Level(10, 2))).Restore(corrupt)).Message);

        var restored = NewQueue(Options(Level(10, 2)));
        restored.Restore(bytes);
        Assert.Equal((1L, 1L), (restored.Counters.RecordsIn, restored.Counters.Pending));
        Assert.Equal(new[] { 1 }, restored.PendingRecords().Select(m => m.Id));
    }

    [Fact]
    public async Task AHeldRecordKeepsItsValueAndTheLastErrorSurvivesAsItsTypeAndMessage()
    {
        RetryQueueOptions<int, Miss, string> Make()
        {
            var o = Options(Level(10, 1), Level(100, 1));
            o.PreserveKeyOrder = true;
            return o;
        }

        var calls = 0;
        var source = new DelegateSource(keys =>
        {
            calls++;
            return calls == 1 ? throw new TimeoutException("slow") : keys.ToDictionary(k => k, k => $"v{k}");
        });
        var output = new RetryCollector();
        var queue = new RetryQueueOperator<int, Miss, string>(m => m.Key, source, output, Make());
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnRecordAsync(new Miss(2, 1, 50), Ms(50));
        await queue.OnWatermarkAsync(Ms(10));   // #1 fails
        await queue.OnWatermarkAsync(Ms(60));   // #2 found, held behind #1
        Assert.Equal(1, queue.Counters.Held);

        var restored = new RetryQueueOperator<int, Miss, string>(m => m.Key, source, output, Make());
        restored.Restore(queue.Snapshot());
        await restored.OnWatermarkAsync(Ms(110));
        Assert.Equal(new[] { (1, "v1", 2), (2, "v1", 1) }, output.Joined.Select(j => (j.Record.Id, j.Value, j.Level)));
        Assert.True(restored.Counters.Balanced);

        // A failed attempt's exception survives a restore as its type and message.
        var failing = new DelegateSource(_ => throw new TimeoutException("down"));
        var ttlOptions = Options(Level(10, 2));
        ttlOptions.Ttl = Duration.FromMilliseconds(50);
        var withTtl = new RetryQueueOperator<int, Miss, string>(m => m.Key, failing, output, ttlOptions);
        await withTtl.OnRecordAsync(new Miss(5, 5, 0), Ms(0));
        await withTtl.OnWatermarkAsync(Ms(10));
        var restoredTtl = new RetryQueueOperator<int, Miss, string>(m => m.Key, failing, output, ttlOptions);
        restoredTtl.Restore(withTtl.Snapshot());
        await restoredTtl.OnWatermarkAsync(Ms(51));
        var ttlExit = output.Expired[^1];
        Assert.Equal((5, RetryExitReason.TtlExceeded), (ttlExit.Record.Id, ttlExit.Reason));
        var carried = Assert.IsType<RetryRestoredError>(ttlExit.LastError);
        Assert.Equal(("System.TimeoutException", "down"), (carried.OriginalType, carried.Message));
    }

    [Fact]
    public async Task TheCountersArePublishedPerLevelAndBalance()
    {
        var options = Options(Level(10, 1), Level(20, 1));
        var output = new RetryCollector();
        RetryQueueOperator<int, Miss, string>? q = null;
        var queue = q = new RetryQueueOperator<int, Miss, string>(m => m.Key,
            new FakeFeatureStore(new Dictionary<int, long> { [1] = 0, [2] = Ticks(25) }, 0, 0, WatermarkClock(() => q)), output, options);
        var name = "retry-" + Guid.NewGuid();
        using var tracking = RetryQueueMetrics.Track(queue.Counters, name);
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnRecordAsync(new Miss(2, 2, 0), Ms(0));
        await queue.OnRecordAsync(new Miss(3, 3, 0), Ms(0));
        await queue.OnWatermarkAsync(Ms(10));

        var totals = MetricsCollector.Collect(name);
        var level1 = MetricsCollector.Collect(name + "/level-1");
        var level2 = MetricsCollector.Collect(name + "/level-2");
        Assert.Equal(3, totals["cep.retry_queue.records_in"]);
        Assert.Equal(totals["cep.retry_queue.records_in"], totals["cep.retry_queue.joined"] + totals["cep.retry_queue.expired"] + totals["cep.retry_queue.pending"]);
        Assert.Equal((1, 0, 2), (totals["cep.retry_queue.joined"], totals["cep.retry_queue.expired"], totals["cep.retry_queue.pending"]));
        Assert.Equal((3, 1, 0), (level1["cep.retry_level.attempts"], level1["cep.retry_level.successes"], level1["cep.retry_level.depth"]));
        Assert.Equal((2, 0, 0), (level2["cep.retry_level.depth"], level2["cep.retry_level.attempts"], level2["cep.retry_level.expirations"]));
        Assert.True(queue.Counters.Balanced);
    }

    [Fact]
    public async Task ProcessingTimeTimersAreSerializedWithCallsAndFlushAwaitsAsynchronousLookups()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var gate = new TaskCompletionSource();
        var source = new DelegateSource(_ => new Dictionary<int, string> { [1] = "v" }, () => gate.Task);
        var options = Options(Level(10, 1));
        options.TimeMode = TimeMode.ProcessingTime;
        options.Scheduler = scheduler;
        var output = new RetryCollector();
        var queue = new RetryQueueOperator<int, Miss, string>(m => m.Key, source, output, options);
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        scheduler.AdvanceTo(DateTimeOffset.UnixEpoch.AddMilliseconds(9));
        Assert.Empty(source.Calls);
        scheduler.AdvanceTo(DateTimeOffset.UnixEpoch.AddMilliseconds(10));
        Assert.Single(source.Calls);
        Assert.Throws<InvalidOperationException>(() => queue.Snapshot());   // the timer's round is in flight
        var flush = queue.FlushAsync().AsTask();
        Assert.False(flush.IsCompleted);
        gate.SetResult();
        await flush;
        Assert.Equal(Ms(10), Assert.Single(output.Joined).At);
        Assert.True(queue.Counters.Balanced);
    }

    /// <summary>A lookup source made of a function, optionally completing only when a task completes.</summary>
    private sealed class DelegateSource(Func<IReadOnlyList<int>, IReadOnlyDictionary<int, string>> answer, Func<Task>? wait = null) : IAsyncLookupSource<int, string>
    {
        public List<int[]> Calls { get; } = [];

        public async ValueTask<IReadOnlyDictionary<int, string>> LookupAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
        {
            Calls.Add([.. keys]);
            if (wait is not null)
            {
                await wait();
            }

            return answer(keys);
        }
    }
}
