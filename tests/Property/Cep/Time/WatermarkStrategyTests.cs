using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Time;

public class WatermarkStrategyTests
{
    private static readonly Instant T0 = Instant.FromUtc(2024, 5, 1, 12, 0, 0);
    private static readonly Duration OneTick = Duration.FromTicks(1);

    [Fact]
    public void ArgumentChecking()
    {
        var bound = Assert.Throws<ArgumentOutOfRangeException>(
            () => WatermarkStrategy.BoundedOutOfOrderness(-OneTick));
        Assert.Equal("bound", bound.ParamName);

        var idle = Assert.Throws<ArgumentOutOfRangeException>(
            () => WatermarkStrategy.Monotonous().WithIdleness(Duration.Zero));
        Assert.Equal("idleTimeout", idle.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => WatermarkStrategy.Monotonous().WithIdleness(Duration.FromSeconds(-1)));

        Assert.Throws<ArgumentNullException>(
            "scheduler", () => WatermarkStrategy.Monotonous().CreateGenerator((System.Reactive.Concurrency.IScheduler)null!));
        Assert.Throws<ArgumentNullException>(
            "clock", () => WatermarkStrategy.Monotonous().CreateGenerator((IClock)null!));
    }

    [Fact]
    public void CreateGenerator_WithoutClock_RejectsIdleness()
    {
        var strategy = WatermarkStrategy.Monotonous().WithIdleness(Duration.FromSeconds(5));
        var ex = Assert.Throws<InvalidOperationException>(() => strategy.CreateGenerator());
        Assert.Contains("CreateGenerator(IScheduler)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strategy_IsImmutable()
    {
        var bounded = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(3));
        var idle = bounded.WithIdleness(Duration.FromMinutes(1));

        Assert.Null(bounded.IdleTimeout);
        Assert.Equal(Duration.FromSeconds(3), idle.Bound);
        Assert.Equal(Duration.FromMinutes(1), idle.IdleTimeout);
        Assert.Equal(Duration.Zero, WatermarkStrategy.Monotonous().Bound);
        Assert.Equal("BoundedOutOfOrderness(0:00:00:03).WithIdleness(0:00:01:00)", idle.ToString());
    }

    [Fact]
    public void Generator_StartsAtMinValue()
    {
        var generator = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(1)).CreateGenerator();
        Assert.Equal(Instant.MinValue, generator.CurrentWatermark);
        Assert.False(generator.IsIdle);
        Assert.Null(generator.IdleDeadline);
    }

    [Fact]
    public void BoundedOutOfOrderness_WatermarkIsMaxMinusBoundMinusOneTick()
    {
        var bound = Duration.FromSeconds(5);
        var generator = WatermarkStrategy.BoundedOutOfOrderness(bound).CreateGenerator();

        Assert.True(generator.OnEvent(T0));
        Assert.Equal(T0 - bound - OneTick, generator.CurrentWatermark);
        Assert.Equal(Instant.FromUtc(2024, 5, 1, 11, 59, 55) - OneTick, generator.CurrentWatermark);

        // Out of order but newer than the watermark: no change.
        Assert.False(generator.OnEvent(T0 - Duration.FromSeconds(2)));
        Assert.Equal(T0 - bound - OneTick, generator.CurrentWatermark);

        Assert.True(generator.OnEvent(T0 + Duration.FromSeconds(10)));
        Assert.Equal(T0 + Duration.FromSeconds(5) - OneTick, generator.CurrentWatermark);
    }

    [Fact]
    public void BoundedOutOfOrderness_ExactlyBoundBehindIsOnTime_OneTickMoreIsLate()
    {
        var bound = Duration.FromMilliseconds(200);
        var generator = WatermarkStrategy.BoundedOutOfOrderness(bound).CreateGenerator();
        generator.OnEvent(T0);

        var exactlyBound = T0 - bound;
        var boundPlusTick = T0 - bound - OneTick;
        Assert.True(exactlyBound > generator.CurrentWatermark, "a record exactly bound behind must be on time");
        Assert.True(boundPlusTick <= generator.CurrentWatermark, "a record bound + 1 tick behind must be late");
        Assert.Equal(boundPlusTick, generator.CurrentWatermark);
    }

    [Fact]
    public void BoundedOutOfOrderness_IsExactBelowTickResolution()
    {
        var generator = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromNanoseconds(150)).CreateGenerator();
        var max = T0.PlusNanoseconds(37);
        generator.OnEvent(max);
        Assert.Equal(max.PlusNanoseconds(-250), generator.CurrentWatermark);
    }

    [Fact]
    public void Monotonous_EqualTimestampsAreNeverLate()
    {
        var generator = WatermarkStrategy.Monotonous().CreateGenerator();

        Assert.True(generator.OnEvent(T0));
        Assert.Equal(T0 - OneTick, generator.CurrentWatermark);
        Assert.True(T0 > generator.CurrentWatermark);

        Assert.False(generator.OnEvent(T0));
        Assert.Equal(T0 - OneTick, generator.CurrentWatermark);

        // One tick older than the newest record is late.
        Assert.True(T0 - OneTick <= generator.CurrentWatermark);
    }

    [Fact]
    public void Watermark_NeverGoesBackwards()
    {
        var generator = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(1)).CreateGenerator();
        generator.OnEvent(T0);
        var before = generator.CurrentWatermark;

        Assert.False(generator.OnEvent(T0 - Duration.FromDays(1)));
        Assert.Equal(before, generator.CurrentWatermark);
    }

    [Fact]
    public void Watermark_ClampsAtInstantRange()
    {
        var huge = WatermarkStrategy.BoundedOutOfOrderness(Duration.MaxValue).CreateGenerator();
        Assert.False(huge.OnEvent(Instant.MaxValue));
        Assert.Equal(Instant.MinValue, huge.CurrentWatermark);

        var monotonous = WatermarkStrategy.Monotonous().CreateGenerator();
        Assert.False(monotonous.OnEvent(Instant.MinValue));
        Assert.Equal(Instant.MinValue, monotonous.CurrentWatermark);
        Assert.True(monotonous.OnEvent(Instant.MinValue + OneTick + OneTick));
        Assert.Equal(Instant.MinValue + OneTick, monotonous.CurrentWatermark);
        Assert.True(monotonous.OnEvent(Instant.MaxValue));
        Assert.Equal(Instant.MaxValue - OneTick, monotonous.CurrentWatermark);
    }
}
