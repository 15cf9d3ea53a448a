using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using Cep.Connectors.Features;
using NodaTime;
using Xunit;
using static Cep.Tests.Connectors.Features.ScriptedFeatureStore;

namespace Cep.Tests.Connectors.Features;

public sealed class FeatureWriterTests
{
    private readonly HistoricalScheduler _scheduler = new();
    private readonly ScriptedFeatureStore _store = new();
    private readonly List<FeatureWriteFailure> _failures = [];

    private FeatureWriter Writer(int batch = 3, int lingerMs = 1000, int attempts = 3, int retryMs = 200) =>
        new(_store, _scheduler, _failures.Add, new FeatureWriterOptions
        {
            MaxBatchSize = batch,
            Linger = Duration.FromMilliseconds(lingerMs),
            MaxAttempts = attempts,
            RetryDelay = Duration.FromMilliseconds(retryMs),
        });

    private void Advance(int ms) => _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(ms));

    private static void AssertCounters(FeatureWriter writer, long received, long written, long failed, long pending)
    {
        var c = writer.Counters;
        Assert.Equal((received, written, failed, pending), (c.Received, c.Written, c.Failed, c.Pending));
        Assert.True(c.Balanced, c.ToString());
    }

    [Fact]
    public void ArgumentsAndOptionsAreChecked()
    {
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => new FeatureWriter(null!, _scheduler, _ => { })).ParamName);
        Assert.Equal("scheduler", Assert.Throws<ArgumentNullException>(() => new FeatureWriter(_store, null!, _ => { })).ParamName);
        Assert.Equal("errorOutput", Assert.Throws<ArgumentNullException>(() => new FeatureWriter(_store, _scheduler, null!)).ParamName);
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureWriterOptions { MaxBatchSize = 0 }.Validate()).ParamName);
        Assert.Equal("Linger", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureWriterOptions { Linger = Duration.Zero }.Validate()).ParamName);
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureWriterOptions { MaxAttempts = 0 }.Validate()).ParamName);
        Assert.Equal("RetryDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureWriterOptions { RetryDelay = Duration.FromTicks(-1) }.Validate()).ParamName);

        var writer = Writer();
        Assert.Throws<ArgumentNullException>(() => writer.OnRecord(null!));
        Assert.Throws<ArgumentException>(() => writer.OnRecord(new FeatureRecord("", Instant.MinValue, default)));
        AssertCounters(writer, 0, 0, 0, 0);
    }

    [Fact]
    public void FullBatchesAreWrittenAtOnceAndTheRestAfterTheLinger()
    {
        var writer = Writer(batch: 3, lingerMs: 1000);
        for (var i = 0; i < 7; i++)
        {
            writer.OnRecord(Rec(i));
        }

        Assert.Equal([3, 3], _store.Attempts);
        AssertCounters(writer, 7, 6, 0, 1);
        Advance(999);
        Assert.Equal(2, _store.Attempts.Count);
        Advance(1);
        Assert.Equal([3, 3, 1], _store.Attempts);
        AssertCounters(writer, 7, 7, 0, 0);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"req-{i}"), _store.WrittenBatches.SelectMany(b => b).Select(r => r.Key));
    }

    [Fact]
    public void LingerCountsFromTheFirstRecordOfEachBatch()
    {
        var writer = Writer(batch: 2, lingerMs: 1000);
        writer.OnRecord(Rec(0));
        writer.OnRecord(Rec(1)); // closes by size; its timer must not close the next batch early
        Advance(500);
        writer.OnRecord(Rec(2));
        Advance(600);
        Assert.Equal([2], _store.Attempts);
        Advance(400);
        Assert.Equal([2, 1], _store.Attempts);

        writer.OnRecord(Rec(3));
        Advance(600);
        writer.OnRecord(Rec(4)); // closes by size at once
        Assert.Equal([2, 1, 2], _store.Attempts);
        Advance(10_000);
        Assert.Equal(3, _store.Attempts.Count);
        AssertCounters(writer, 5, 5, 0, 0);
    }

    [Fact]
    public void FailedWriteIsRetriedAfterDoublingDelaysInVirtualTime()
    {
        _store.FailAttempt = n => n <= 2 ? new IOException($"gateway down ({n})") : null;
        var writer = Writer(batch: 2, retryMs: 200);
        writer.OnRecord(Rec(0));
        writer.OnRecord(Rec(1));
        Assert.Single(_store.Attempts);
        Advance(199);
        Assert.Single(_store.Attempts);
        Advance(1);
        Assert.Equal(2, _store.Attempts.Count);
        Advance(399);
        Assert.Equal(2, _store.Attempts.Count);
        AssertCounters(writer, 2, 0, 0, 2);
        Advance(1);
        Assert.Equal(3, _store.Attempts.Count);
        AssertCounters(writer, 2, 2, 0, 0);
        Assert.Equal(2, writer.Counters.Retries);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task BatchThatKeepsFailingGoesToTheErrorOutputWithRecordsAndReason()
    {
        _store.FailAttempt = n => new IOException($"gateway down ({n})");
        var writer = Writer(batch: 2, attempts: 3, retryMs: 100);
        writer.OnRecord(Rec(0));
        writer.OnRecord(Rec(1));
        writer.OnRecord(Rec(2));
        var flushed = writer.FlushAsync();
        Assert.False(flushed.IsCompleted);
        Advance(300); // retries of the first batch at 100 and 300
        Advance(300); // the second batch's retries at 400 and 600
        await flushed;

        Assert.Equal(6, _store.Attempts.Count);
        Assert.Equal(2, _failures.Count);
        var first = _failures[0];
        Assert.Equal(["req-0", "req-1"], first.Records.Select(r => r.Key));
        Assert.Equal(3, first.Attempts);
        Assert.IsType<IOException>(first.Error);
        Assert.Contains("failed 3 times", first.Reason);
        Assert.Contains("gateway down (3)", first.Reason);
        Assert.Equal(["req-2"], _failures[1].Records.Select(r => r.Key));
        AssertCounters(writer, 3, 0, 3, 0);
        Assert.Null(await _store.GetAsync("req-0"));
    }

    [Fact]
    public void RefusedBatchIsNotRetried()
    {
        _store.FailAttempt = _ => new ArgumentException("bad record");
        var writer = Writer(batch: 1);
        writer.OnRecord(Rec(0));
        var failure = Assert.Single(_failures);
        Assert.Equal(1, failure.Attempts);
        Assert.Contains("not retried", failure.Reason);
        Assert.Single(_store.Attempts);
        AssertCounters(writer, 1, 0, 1, 0);
    }

    [Fact]
    public async Task FlushWritesTheOpenBatchWithoutWaitingForTheLinger()
    {
        var writer = Writer(batch: 100, lingerMs: 60_000);
        writer.OnRecord(Rec(0));
        writer.OnRecord(Rec(1));
        await writer.FlushAsync();
        Assert.Equal([2], _store.Attempts);
        AssertCounters(writer, 2, 2, 0, 0);
        await writer.FlushAsync(); // nothing open: completes at once
        Advance(60_000);
        Assert.Single(_store.Attempts);
    }

    [Fact]
    public async Task ErrorOutputThatThrowsStillCountsTheRecordsAndFlushReportsIt()
    {
        _store.FailAttempt = _ => new IOException("down");
        var writer = new FeatureWriter(_store, _scheduler, _ => throw new InvalidCastException("sink broke"), new FeatureWriterOptions { MaxAttempts = 1 });
        writer.OnRecord(Rec(0));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.FlushAsync());
        Assert.IsType<InvalidCastException>(error.InnerException);
        AssertCounters(writer, 1, 0, 1, 0);
        await writer.FlushAsync(); // reported once
    }

    [Fact]
    public async Task DisposeFlushesAndThenRefusesRecords()
    {
        var writer = Writer(batch: 10);
        writer.OnRecord(Rec(0));
        await writer.DisposeAsync();
        Assert.NotNull(await _store.GetAsync("req-0"));
        Assert.Throws<ObjectDisposedException>(() => writer.OnRecord(Rec(1)));
        await writer.DisposeAsync();
        AssertCounters(writer, 1, 1, 0, 0);
    }

    [Fact]
    public async Task ConsumesAnObservableAndSendsInvalidRecordsToTheErrorOutput()
    {
        var writer = Writer(batch: 10);
        using var source = new Subject<FeatureRecord>();
        using var subscription = writer.Consume(source);
        source.OnNext(Rec(0));
        source.OnNext(new FeatureRecord("", Instant.MinValue, default));
        source.OnNext(null!);
        source.OnNext(Rec(1));
        source.OnCompleted(); // flushes
        await writer.FlushAsync();

        Assert.Equal([2], _store.Attempts);
        Assert.Equal(2, _failures.Count);
        Assert.All(_failures, f => Assert.Equal(0, f.Attempts));
        Assert.Contains("empty", _failures[0].Reason);
        AssertCounters(writer, 4, 2, 2, 0);
    }
}
