using Cep.Joins.Retry;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(RetryBackoffType.Constant, new long[] { 10, 10, 10, 10 })]
    [InlineData(RetryBackoffType.Linear, new long[] { 10, 20, 30, 40 })]
    [InlineData(RetryBackoffType.Exponential, new long[] { 10, 20, 40, 80 })]
    public void EachBackoffTypeGrowsTheWaitAsDocumented(RetryBackoffType type, long[] waitsMs)
    {
        var level = Level(10, 4, type);
        Assert.Equal(waitsMs.Select(Ticks), Enumerable.Range(1, 4).Select(n => RetryBackoff.DelayTicks(level, n, () => 0.5)));
    }

    [Fact]
    public void MaxDelayCapsTheWaitAfterBackoffAndJitter()
    {
        var level = Level(10, 5, RetryBackoffType.Exponential, maxMs: 25, jitter: true);
        Assert.Equal(new[] { 12.5, 25, 25 }.Select(ms => (long)(ms * TicksPerMs)), new[] { 1, 2, 3 }.Select(n => RetryBackoff.DelayTicks(level, n, () => 1.0)));
        Assert.Equal(Ticks(60), RetryBackoff.DelayTicks(Level(1, 100, RetryBackoffType.Exponential, maxMs: 60), 100, () => 0));
    }

    [Fact]
    public void HugeWaitsSaturateInsteadOfOverflowing()
    {
        var level = new RetryLevelOptions { Delay = Duration.FromDays(10_000), MaxAttempts = 100, BackoffType = RetryBackoffType.Exponential, UseJitter = true };
        Assert.Equal(long.MaxValue, RetryBackoff.DelayTicks(level, 90, () => 0.9));
        level.BackoffType = RetryBackoffType.Linear;
        Assert.Equal(long.MaxValue, RetryBackoff.DelayTicks(level, int.MaxValue, () => 0.9));
    }

    /// <summary>With jitter every wait lies in [0.75, 1.25] times the wait without it, is exactly 0.75 + 0.5 r times it for
    /// the injected r, and then respects the cap; a randomizer outside [0, 1) is clamped.</summary>
    [Fact]
    public void JitterStaysWithinAQuarterOfTheWait() =>
        PropertyRunner.Check(
            Arb.From(from delay in Gen.Choose(0, 100_000)
                     from attempt in Gen.Choose(1, 20)
                     from type in Gen.Elements(RetryBackoffType.Constant, RetryBackoffType.Linear, RetryBackoffType.Exponential)
                     from r in Gen.Choose(-100, 1100)
                     from cap in Gen.Choose(-1, 1_000_000)
                     select (delay, attempt, type, r: r / 1000.0, cap)),
            c =>
            {
                var plain = Level(c.delay, 20, c.type);
                var jittered = Level(c.delay, 20, c.type, jitter: true);
                var basis = RetryBackoff.DelayTicks(plain, c.attempt, () => throw new InvalidOperationException("no jitter, no draw"));
                var r = Math.Clamp(c.r, 0, 1);
                var wait = RetryBackoff.DelayTicks(jittered, c.attempt, () => c.r);
                RetryOracle.Require(wait >= (long)(basis * 0.75) && wait <= (long)Math.Ceiling(basis * 1.25), c, $"wait {wait} outside the bounds of {basis}");
                RetryOracle.Require(wait == (long)(basis * (0.75 + (0.5 * r))), c, $"wait {wait} for r={r} and {basis}");
                if (c.cap >= 0)
                {
                    var capped = Level(c.delay, 20, c.type, maxMs: c.cap, jitter: true);
                    RetryOracle.Require(RetryBackoff.DelayTicks(capped, c.attempt, () => c.r) == Math.Min(wait, Ticks(c.cap)), c, "cap not applied last");
                }
            },
            200);

    [Fact]
    public async Task TheQueueDrawsJitterFromTheInjectedRandomizer()
    {
        var draws = new Queue<double>([0.0, 1.0, 0.5]);
        var options = Options(Level(100, 3, jitter: true));
        options.Randomizer = () => draws.Dequeue();
        RetryQueueOperator<int, Miss, string>? q = null;
        var store = new FakeFeatureStore(new Dictionary<int, long>(), 0, 0, WatermarkClock(() => q));
        var (queue, output, attempts) = NewQueue(options, store);
        q = queue;
        await queue.OnRecordAsync(new Miss(1, 1, 0), Ms(0));
        foreach (var w in new long[] { 74, 75, 199, 200, 249, 250, 1000 })
        {
            await queue.OnWatermarkAsync(Ms(w));
        }

        // Waits: 0.75 × 100 = 75 (from the timestamp), 1.25 × 100 = 125 (from 75), 1.0 × 100 = 100 (from 200).
        Assert.Equal(new[] { (75L, 75L), (200L, 200L), (300L, 1000L) }, attempts.Select(a => (a.Due / TicksPerMs, a.At / TicksPerMs)));
        Assert.Empty(draws);
        Assert.Equal(RetryExitReason.AttemptsExhausted, Assert.Single(output.Expired).Reason);
    }
}
