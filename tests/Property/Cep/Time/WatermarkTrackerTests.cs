using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Time;

public class WatermarkTrackerTests
{
    private static readonly Instant T0 = Instant.FromUtc(2024, 5, 1, 12, 0, 0);

    private static Instant At(int seconds) => T0 + Duration.FromSeconds(seconds);

    [Fact]
    public void ArgumentChecking()
    {
        Assert.Equal("inputCount", Assert.Throws<ArgumentOutOfRangeException>(() => new WatermarkTracker(0)).ParamName);
        var tracker = new WatermarkTracker(2);
        Assert.Equal("input", Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Update(2, T0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("input", () => tracker.Update(-1, T0));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => tracker.MarkIdle(2));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => tracker.MarkActive(-1));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => tracker.IsIdle(5));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => tracker.GetInputWatermark(2));
    }

    [Fact]
    public void StartsAtMinValue_AllActive()
    {
        var tracker = new WatermarkTracker(3);
        Assert.Equal(3, tracker.InputCount);
        Assert.Equal(Instant.MinValue, tracker.Current);
        Assert.False(tracker.AllIdle);
        Assert.False(tracker.IsIdle(1));
        Assert.Equal(Instant.MinValue, tracker.GetInputWatermark(2));
    }

    [Fact]
    public void CombinedIsMinimumOverInputs()
    {
        var tracker = new WatermarkTracker(2);

        Assert.False(tracker.Update(0, At(10)));
        Assert.Equal(Instant.MinValue, tracker.Current);

        Assert.True(tracker.Update(1, At(5)));
        Assert.Equal(At(5), tracker.Current);

        Assert.False(tracker.Update(0, At(20)));
        Assert.Equal(At(5), tracker.Current);

        Assert.True(tracker.Update(1, At(30)));
        Assert.Equal(At(20), tracker.Current);
    }

    [Fact]
    public void InputGoingBackwardsIsIgnored()
    {
        var tracker = new WatermarkTracker(2);
        tracker.Update(0, At(10));
        tracker.Update(1, At(10));

        Assert.False(tracker.Update(0, At(3)));
        Assert.Equal(At(10), tracker.GetInputWatermark(0));
        Assert.Equal(At(10), tracker.Current);
        Assert.False(tracker.Update(0, At(10)));
    }

    [Fact]
    public void IdleInputDoesNotHoldBack()
    {
        var tracker = new WatermarkTracker(3);
        tracker.Update(0, At(10));
        tracker.Update(1, At(20));

        Assert.True(tracker.MarkIdle(2));
        Assert.Equal(At(10), tracker.Current);
        Assert.True(tracker.IsIdle(2));

        Assert.False(tracker.MarkIdle(2));
        Assert.True(tracker.MarkIdle(0));
        Assert.Equal(At(20), tracker.Current);
    }

    [Fact]
    public void AllIdle_KeepsCombined()
    {
        var tracker = new WatermarkTracker(2);
        tracker.Update(0, At(10));
        tracker.Update(1, At(7));

        Assert.True(tracker.MarkIdle(1));
        Assert.Equal(At(10), tracker.Current);
        Assert.False(tracker.MarkIdle(0));
        Assert.True(tracker.AllIdle);
        Assert.Equal(At(10), tracker.Current);

        // Updates to idle inputs are stored but do not count until the input is active.
        Assert.False(tracker.Update(1, At(50)));
        Assert.Equal(At(10), tracker.Current);
        Assert.Equal(At(50), tracker.GetInputWatermark(1));

        Assert.True(tracker.MarkActive(1));
        Assert.Equal(At(50), tracker.Current);
    }

    [Fact]
    public void LaggingInputBecomingActive_DoesNotMoveCombinedBackwards()
    {
        var tracker = new WatermarkTracker(2);
        tracker.Update(0, At(100));
        tracker.MarkIdle(1);
        Assert.Equal(At(100), tracker.Current);

        Assert.False(tracker.MarkActive(1));
        Assert.False(tracker.MarkActive(1));
        Assert.Equal(At(100), tracker.Current);

        // The combined watermark is held until the returning input catches up.
        Assert.False(tracker.Update(0, At(200)));
        Assert.False(tracker.Update(1, At(90)));
        Assert.Equal(At(100), tracker.Current);
        Assert.True(tracker.Update(1, At(150)));
        Assert.Equal(At(150), tracker.Current);
    }

    [Fact]
    public void IsLate_UsesCombinedWatermark()
    {
        var tracker = new WatermarkTracker(1);
        tracker.Update(0, At(10));
        Assert.True(tracker.IsLate(At(10)));
        Assert.True(tracker.IsLate(At(9)));
        Assert.False(tracker.IsLate(At(10) + Duration.FromTicks(1)));
    }

    [Fact]
    public void EndOfInput_MaxValue()
    {
        var tracker = new WatermarkTracker(2);
        tracker.Update(0, Instant.MaxValue);
        Assert.True(tracker.Update(1, Instant.MaxValue));
        Assert.Equal(Instant.MaxValue, tracker.Current);
    }
}
