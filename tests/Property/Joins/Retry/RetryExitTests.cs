using Cep.Joins.Retry;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry;

/// <summary>Each exit of the policy, end of input, rejected records, batching and key order, on small hand-made inputs.</summary>
public sealed class RetryExitTests
{
    private static (RetryQueueOperator<int, Miss, string> Queue, RetryCollector Output, List<RetryAttemptTrace<Miss>> Attempts, FakeFeatureStore Store) Build(
        RetryQueueOptions<int, Miss, string> options, Dictionary<int, long>? appearMs = null, double failureRate = 0)
    {
        RetryQueueOperator<int, Miss, string>? q = null;
        var store = new FakeFeatureStore((appearMs ?? []).ToDictionary(a => a.Key, a => Ticks(a.Value)), failureRate, 7, WatermarkClock(() => q));
        var (queue, output, attempts) = NewQueue(options, store);
        q = queue;
        return (queue, output, attempts, store);
    }

    [Fact]
    public async Task ARecordOlderThanTheTtlExpiresWhileWaitingWithoutAnotherAttempt()
    {
        var options = Options(Level(10, 1), Level(1000, 5));
        options.Ttl = Duration.FromMilliseconds(100);
        var (queue, output, attempts, _) = Build(options);
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnWatermarkAsync(Ms(10));   // attempt 1 of level 1, miss; level 2 is due at 1010
        await queue.OnWatermarkAsync(Ms(100));  // age 100: not older than the TTL yet
        Assert.Empty(output.Expired);
        await queue.OnWatermarkAsync(Ms(101));  // age 101 > 100
        var expired = Assert.Single(output.Expired);
        Assert.Equal((RetryExitReason.TtlExceeded, 2, 0, 1, Ms(101)), (expired.Reason, expired.Level, expired.Attempt, expired.TotalAttempts, expired.At));
        Assert.Single(attempts);
        await queue.OnWatermarkAsync(Instant.MaxValue);
        Assert.Single(attempts);
        Assert.True(queue.Counters.Balanced);
        Assert.Equal(1, queue.Counters.ExpiredTtlExceeded);
        Assert.Equal(1, queue.Counters.Levels[1].Expirations);
    }

    [Fact]
    public async Task ARecordAlreadyOlderThanTheTtlExpiresAtTheNextWatermarkUnattempted()
    {
        var options = Options(Level(0, 1));
        options.Ttl = Duration.FromDays(7);
        var (queue, output, attempts, _) = Build(options, new() { [1] = 0 });
        await queue.OnWatermarkAsync(Instant.FromUtc(2026, 11, 23, 0, 0));
        await queue.OnRecordAsync(new Miss(1, 1, 0), Instant.FromUtc(2026, 11, 15, 0, 0));
        await queue.OnWatermarkAsync(Instant.FromUtc(2026, 11, 23, 0, 1));
        Assert.Equal(RetryExitReason.TtlExceeded, Assert.Single(output.Expired).Reason);
        Assert.Empty(attempts);
    }

    [Fact]
    public async Task ThePredicateSeesEachFailedAttemptAndCanEndTheRecord()
    {
        var seen = new List<RetryAttemptContext<int, Miss>>();
        var options = Options(Level(10, 2), Level(20, 5));
        options.ShouldExit = c =>
        {
            seen.Add(c);
            return c.Error is not null || c.TotalAttempts == 3;
        };
        var (queue, output, _, _) = Build(options);
        await queue.OnRecordAsync(new Miss(1, 1, 5), Ms(5));
        foreach (var w in new long[] { 15, 25, 45, 100 })
        {
            await queue.OnWatermarkAsync(Ms(w));
        }

        Assert.Equal(new[] { (1, 1, 1), (1, 2, 2), (2, 1, 3) }, seen.Select(c => (c.Level, c.Attempt, c.TotalAttempts)));
        Assert.All(seen, c => Assert.Equal((1, Ms(5), (Exception?)null), (c.Key, c.Timestamp, c.Error)));
        Assert.Equal(new[] { Ms(15), Ms(25), Ms(45) }, seen.Select(c => c.Now));
        var expired = Assert.Single(output.Expired);
        Assert.Equal((RetryExitReason.Predicate, 2, 1, 3, Ms(45)), (expired.Reason, expired.Level, expired.Attempt, expired.TotalAttempts, expired.At));
    }

    [Fact]
    public async Task AThrowingPredicateEndsTheRecordWithItsException()
    {
        var options = Options(Level(10, 3));
        var boom = new InvalidOperationException("boom");
        options.ShouldExit = _ => throw boom;
        var (queue, output, _, _) = Build(options);
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnWatermarkAsync(Ms(10));
        var expired = Assert.Single(output.Expired);
        Assert.Equal((RetryExitReason.Predicate, 1), (expired.Reason, expired.TotalAttempts));
        Assert.Same(boom, expired.LastError);
    }

    [Fact]
    public async Task AFailedRoundTripIsRetriedAndItsExceptionReportedIfItWasTheLast()
    {
        var (queue, output, attempts, store) = Build(Options(Level(10, 2)), failureRate: 1.0);
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnWatermarkAsync(Ms(100));
        await queue.OnWatermarkAsync(Ms(200));
        var expired = Assert.Single(output.Expired);
        Assert.Equal((RetryExitReason.AttemptsExhausted, 1, 2, 2), (expired.Reason, expired.Level, expired.Attempt, expired.TotalAttempts));
        Assert.IsType<IOException>(expired.LastError);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(2, queue.Counters.LookupFailures);
        Assert.Equal(2, queue.Counters.Levels[0].Failures);
        Assert.All(store.Calls, c => Assert.True(c.Failed));
    }

    [Fact]
    public async Task TheFinalWatermarkAttemptsEveryPendingRecordOnceThenExpiresTheRest()
    {
        var (queue, output, attempts, _) = Build(Options(Level(1_000_000, 5)), new() { [1] = 500 });
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        await queue.OnRecordAsync(new Miss(2, 2, 0), Ms(0));
        await queue.OnWatermarkAsync(Ms(600));
        Assert.Empty(attempts);
        await queue.OnWatermarkAsync(Instant.MaxValue);
        Assert.Equal(new[] { true, true }, attempts.Select(a => a.Final));
        var joined = Assert.Single(output.Joined);
        Assert.Equal((1, "f1", Instant.MaxValue), (joined.Record.Id, joined.Value, joined.At));
        var expired = Assert.Single(output.Expired);
        Assert.Equal((2, RetryExitReason.EndOfInput, 1), (expired.Record.Id, expired.Reason, expired.TotalAttempts));
        Assert.Equal(0, queue.Counters.Pending);
        Assert.True(queue.Ended);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await queue.OnRecordAsync(new Miss(3, 3, 0), Ms(0)));
        await queue.OnWatermarkAsync(Instant.MaxValue);
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task AThrowingKeySelectorOrASentinelTimestampIsExpiredNotLost()
    {
        var options = Options(Level(10, 1));
        var output = new RetryCollector();
        var queue = new RetryQueueOperator<int, Miss, string>(m => m.Id < 0 ? throw new ArgumentException("bad") : m.Key,
            new FakeFeatureStore(new Dictionary<int, long>(), 0, 0, () => 0), output, options);
        await queue.OnRecordAsync(new Miss(-1, 1, 0), Ms(0));
        await queue.OnRecordAsync(new Miss(2, 1, 0), Instant.MinValue);
        await queue.OnRecordAsync(new Miss(3, 1, 0), Instant.MaxValue);
        Assert.Equal(
            new[] { RetryExitReason.KeySelectorFailed, RetryExitReason.InvalidTimestamp, RetryExitReason.InvalidTimestamp },
            output.Expired.Select(e => e.Reason));
        Assert.IsType<ArgumentException>(output.Expired[0].LastError);
        Assert.Equal((3, 3, 0L), (queue.Counters.RecordsIn, queue.Counters.ExpiredRejected, queue.Counters.Attempts));
        Assert.True(queue.Counters.Balanced);
    }

    [Fact]
    public async Task DueAttemptsAreBatchedIntoMultiGetsOfDistinctKeys()
    {
        var options = Options(Level(10, 1));
        options.MaxBatchSize = 3;
        var (queue, output, attempts, store) = Build(options, new() { [0] = 0, [3] = 0, [6] = 0 });
        for (var i = 0; i < 10; i++)
        {
            await queue.OnRecordAsync(new Miss(i, i % 7, 0), Ms(0));
        }

        await queue.OnRecordAsync(new Miss(10, 0, 50), Ms(50));
        await queue.OnWatermarkAsync(Ms(10));
        Assert.Equal(new[] { "0,1,2", "3,4,5", "6" }, store.Calls.Select(c => string.Join(",", c.Keys)));
        Assert.Equal(10, attempts.Count);
        Assert.Equal(new[] { 0, 3, 6, 7 }, output.Joined.Select(j => j.Record.Id).Order());
        Assert.Equal(6, output.Expired.Count);
        Assert.Equal(1, queue.Counters.Pending);
    }

    [Fact]
    public async Task WithKeyOrderALaterRecordWaitsForTheEarlierOnesOfItsKey()
    {
        var options = Options(Level(10, 1), Level(100, 1));
        options.PreserveKeyOrder = true;
        var (queue, output, _, _) = Build(options, new() { [1] = 15, [2] = 0 });
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));  // attempted at 10 (miss), then at 110
        await queue.OnRecordAsync(new Miss(2, 1, 10), Ms(10)); // attempted at 20: found, but waits for #1
        await queue.OnRecordAsync(new Miss(3, 2, 10), Ms(10)); // another key: not held back
        await queue.OnWatermarkAsync(Ms(10));
        await queue.OnWatermarkAsync(Ms(20));
        Assert.Equal(3, Assert.Single(output.Joined).Record.Id);
        Assert.Equal((1L, 2L), (queue.Counters.Held, queue.Counters.Pending));
        await queue.OnWatermarkAsync(Ms(110));
        Assert.Equal(new[] { (3, 20L), (1, 110L), (2, 20L) }, output.Joined.Select(j => (j.Record.Id, j.At.ToUnixTimeTicks() / TicksPerMs)));
        Assert.Equal((0L, 0L), (queue.Counters.Held, queue.Counters.Pending));
        Assert.True(queue.Counters.Balanced);
    }
}
