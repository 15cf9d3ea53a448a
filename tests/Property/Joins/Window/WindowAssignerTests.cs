using Cep.Joins.Window;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Window;

public sealed class WindowAssignerTests
{
    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static Duration D(long ms) => Duration.FromMilliseconds(ms);

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("size", () => WindowAssigner.Tumbling(Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => WindowAssigner.Tumbling(D(-1)));
        Assert.Throws<ArgumentOutOfRangeException>("offset", () => WindowAssigner.Tumbling(D(10), D(10)));
        Assert.Throws<ArgumentOutOfRangeException>("offset", () => WindowAssigner.Tumbling(D(10), D(-10)));
        Assert.Throws<ArgumentOutOfRangeException>("size", () => WindowAssigner.Sliding(Duration.Zero, D(1)));
        Assert.Throws<ArgumentOutOfRangeException>("slide", () => WindowAssigner.Sliding(D(10), Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("offset", () => WindowAssigner.Sliding(D(10), D(5), D(5)));
        Assert.Throws<ArgumentOutOfRangeException>("gap", () => WindowAssigner.Session(Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("timestamp", () => WindowAssigner.Tumbling(D(10)).AssignWindows(Instant.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>("timestamp", () => WindowAssigner.Tumbling(D(10)).AssignWindows(Instant.MinValue));
    }

    [Theory]
    [InlineData(0, 0, 0, 10)]
    [InlineData(9, 0, 0, 10)]
    [InlineData(10, 0, 10, 20)]
    [InlineData(-1, 0, -10, 0)]
    [InlineData(-10, 0, -10, 0)]
    [InlineData(2, 3, -7, 3)]
    [InlineData(3, 3, 3, 13)]
    [InlineData(2, -3, -3, 7)]
    public void TumblingWindowsAreEndExclusiveAndShiftedByTheOffset(long ts, long offset, long start, long end)
    {
        var windows = WindowAssigner.Tumbling(D(10), D(offset)).AssignWindows(Ms(ts));
        Assert.Equal([new TimeWindow(Ms(start), Ms(end))], windows);
        Assert.Equal(Ms(end) - Duration.FromTicks(1), windows[0].MaxTimestamp);
        Assert.False(windows[0].Contains(Ms(end)));
    }

    [Fact]
    public void SlidingWindowsCoverATimestampSizeOverSlideTimes()
    {
        var windows = WindowAssigner.Sliding(D(10), D(5)).AssignWindows(Ms(7));
        Assert.Equal([new TimeWindow(Ms(0), Ms(10)), new TimeWindow(Ms(5), Ms(15))], windows);
        Assert.Equal(3, WindowAssigner.Sliding(D(9), D(3)).AssignWindows(Ms(-4)).Count);
        Assert.All(WindowAssigner.Sliding(D(9), D(3)).AssignWindows(Ms(-4)), w => Assert.True(w.Contains(Ms(-4))));

        // A slide longer than the size leaves gaps: some timestamps are in no window.
        Assert.Empty(WindowAssigner.Sliding(D(2), D(5)).AssignWindows(Ms(3)));
    }

    [Fact]
    public void SessionWindowStartsAtTheRecordAndLastsTheGap()
    {
        var assigner = WindowAssigner.Session(D(5));
        Assert.True(assigner.IsMerging);
        Assert.False(WindowAssigner.Tumbling(D(5)).IsMerging);
        Assert.Equal([new TimeWindow(Ms(3), Ms(8))], assigner.AssignWindows(Ms(3)));
        Assert.Equal(D(5), assigner.Gap);
    }
}
