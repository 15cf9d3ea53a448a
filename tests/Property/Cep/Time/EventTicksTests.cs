using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Time;

public class EventTicksTests
{
    [Fact]
    public void Sentinels_MapToLongExtremes_AndBack()
    {
        Assert.Equal(long.MinValue, EventTicks.ToTicks(Instant.MinValue));
        Assert.Equal(long.MaxValue, EventTicks.ToTicks(Instant.MaxValue));
        Assert.Equal(Instant.MinValue, EventTicks.ToInstant(long.MinValue));
        Assert.Equal(Instant.MaxValue, EventTicks.ToInstant(long.MaxValue));
    }

    [Fact]
    public void OutOfRangeTicks_Clamp()
    {
        Assert.Equal(Instant.MinValue, EventTicks.ToInstant(EventTicks.MinFiniteTicks - 1));
        Assert.Equal(Instant.MaxValue, EventTicks.ToInstant(EventTicks.MaxFiniteTicks + 1));
        Assert.Equal(Instant.FromUnixTimeTicks(EventTicks.MaxFiniteTicks), EventTicks.ToInstant(EventTicks.MaxFiniteTicks));
    }

    [Fact]
    public void OrdinaryInstants_RoundTrip_TruncatingSubTick()
    {
        var t = Instant.FromUtc(2024, 5, 1, 12, 0, 0);
        Assert.Equal(t.ToUnixTimeTicks(), EventTicks.ToTicks(t));
        Assert.Equal(t, EventTicks.ToInstant(EventTicks.ToTicks(t)));
        Assert.Equal(t, EventTicks.ToInstant(EventTicks.ToTicks(t.PlusNanoseconds(99))));
        Assert.Equal(-1, EventTicks.ToTicks(Instant.FromUnixTimeTicks(0).PlusNanoseconds(-1)));
    }

    [Fact]
    public void Plus_Saturates_AndKeepsSentinels()
    {
        Assert.Equal(15, EventTicks.Plus(10, 5));
        Assert.Equal(long.MinValue, EventTicks.Plus(long.MinValue, long.MaxValue));
        Assert.Equal(long.MaxValue, EventTicks.Plus(long.MaxValue, long.MinValue));
        Assert.Equal(long.MaxValue, EventTicks.Plus(EventTicks.MaxFiniteTicks, 1));
        Assert.Equal(long.MinValue, EventTicks.Plus(EventTicks.MinFiniteTicks, -1));
        Assert.Equal(long.MaxValue, EventTicks.Plus(0, long.MaxValue));
        Assert.Equal(long.MinValue, EventTicks.Plus(0, long.MinValue));
        Assert.Equal(EventTicks.MaxFiniteTicks, EventTicks.Plus(EventTicks.MaxFiniteTicks, 0));
    }
}
