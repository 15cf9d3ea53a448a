using System.Reactive.Concurrency;
using Cep.Time;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Time;

public class IdlenessTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Instant T0 = Instant.FromDateTimeOffset(Start);
    private static readonly Duration Timeout = Duration.FromSeconds(5);

    [Fact]
    public void BecomesIdleAfterTimeoutWithoutRecords_CountedFromCreation()
    {
        var scheduler = new HistoricalScheduler(Start);
        var generator = WatermarkStrategy.Monotonous().WithIdleness(Timeout).CreateGenerator(scheduler);

        Assert.False(generator.IsIdle);
        Assert.Equal(T0 + Timeout, generator.IdleDeadline);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(generator.IsIdle);

        scheduler.AdvanceBy(TimeSpan.FromTicks(1));
        Assert.True(generator.IsIdle);
    }

    [Fact]
    public void NextRecordMakesActiveAndRestartsTimeout()
    {
        var scheduler = new HistoricalScheduler(Start);
        var generator = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(1))
            .WithIdleness(Timeout).CreateGenerator(scheduler);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(3));
        generator.OnEvent(Instant.FromUtc(2020, 1, 1, 0, 0));
        Assert.Equal(T0 + Duration.FromSeconds(8), generator.IdleDeadline);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(6));
        Assert.True(generator.IsIdle);

        // A record, even one that does not move the watermark, counts as activity.
        var watermark = generator.CurrentWatermark;
        Assert.False(generator.OnEvent(Instant.FromUtc(2019, 1, 1, 0, 0)));
        Assert.Equal(watermark, generator.CurrentWatermark);
        Assert.False(generator.IsIdle);
        Assert.Equal(T0 + Duration.FromSeconds(14), generator.IdleDeadline);
    }

    [Fact]
    public void TimerAtIdleDeadline_SeesIdleInput_AndReleasesTracker()
    {
        var scheduler = new HistoricalScheduler(Start);
        var strategy = WatermarkStrategy.Monotonous().WithIdleness(Timeout);
        var busy = strategy.CreateGenerator(scheduler);
        var quiet = strategy.CreateGenerator(scheduler);
        var tracker = new WatermarkTracker(2);
        var eventTime = Instant.FromUtc(2024, 1, 1, 0, 0);

        quiet.OnEvent(eventTime);
        tracker.Update(1, quiet.CurrentWatermark);
        var fired = new List<Instant>();
        scheduler.Schedule(quiet.IdleDeadline!.Value.ToDateTimeOffset(), () =>
        {
            if (quiet.IsIdle && tracker.MarkIdle(1))
            {
                fired.Add(tracker.Current);
            }
        });

        for (var second = 1; second <= 10; second++)
        {
            scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
            busy.OnEvent(eventTime + Duration.FromMinutes(second));
            tracker.Update(0, busy.CurrentWatermark);
        }

        // Until second 5 the quiet input held the combined watermark; then its timer released it.
        Assert.Equal(new[] { eventTime + Duration.FromMinutes(4) - Duration.FromTicks(1) }, fired);
        Assert.Equal(eventTime + Duration.FromMinutes(10) - Duration.FromTicks(1), tracker.Current);
        Assert.False(busy.IsIdle);
        Assert.True(quiet.IsIdle);
    }

    [Fact]
    public void WorksWithNodaTimeClock()
    {
        var clock = new FakeClock(T0);
        var generator = WatermarkStrategy.Monotonous().WithIdleness(Timeout).CreateGenerator(clock);

        clock.Advance(Timeout);
        Assert.True(generator.IsIdle);
        generator.OnEvent(T0);
        Assert.False(generator.IsIdle);
        Assert.Equal(T0 + Timeout + Timeout, generator.IdleDeadline);
    }

    [Fact]
    public void WithoutIdleness_ClockIsIgnored_NeverIdle()
    {
        var scheduler = new HistoricalScheduler(Start);
        var generator = WatermarkStrategy.Monotonous().CreateGenerator(scheduler);

        scheduler.AdvanceBy(TimeSpan.FromDays(365));
        Assert.False(generator.IsIdle);
        Assert.Null(generator.IdleDeadline);
    }
}
