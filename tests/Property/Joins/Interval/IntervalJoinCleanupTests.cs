using Cep.Joins.Interval;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

/// <summary>
/// State cleanup after Flink's testStateCleanup* cases: records at 1..5 ms on both sides, then common watermarks 1, 4 and
/// 6 (7 for exclusive bounds), inspecting which timestamps stay buffered. A left record at t leaves when the join's watermark reaches t + upper, a
/// right record when it reaches t - lower.
/// </summary>
public sealed class IntervalJoinCleanupTests
{
    [Fact]
    public void NegativeInclusiveToZeroInclusive() =>
        CheckCleanup(JoinBounds.Between(D(-1), D(0)), ([2, 3, 4, 5], [1, 2, 3, 4, 5]), ([5], [4, 5]));

    [Fact]
    public void ZeroInclusiveToPositiveInclusive() =>
        CheckCleanup(JoinBounds.Between(D(0), D(1)), ([1, 2, 3, 4, 5], [2, 3, 4, 5]), ([4, 5], [5]));

    /// <summary>
    /// Flink normalizes (-2, 1) exclusive to [-1, 0] in whole milliseconds and so cleans up like the first case. Here time
    /// has ticks: a right record at 1 ms + 9999 ticks could still join the left record at 1 ms, so the exclusive bounds
    /// keep each record one millisecond longer: they are [-2 ms + 1 tick, 1 ms - 1 tick].
    /// </summary>
    [Fact]
    public void ExclusiveBoundsCleanUpAtTickPrecision() =>
        CheckCleanup(JoinBounds.Between(D(-2), D(1)).ExcludeLower().ExcludeUpper(), ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]), ([4, 5], [3, 4, 5]), emptyAt: 7);

    [Fact]
    public void ARecordLeavesExactlyWhenTheJoinWatermarkReachesItsLastChance()
    {
        var (op, _) = NewJoin(JoinBounds.Between(D(2), D(5)));
        op.OnLeft(L(10), Ms(10));
        op.OnRight(R(20), Ms(20));
        op.OnLeftWatermark(Ms(15) - Duration.Epsilon);
        op.OnRightWatermark(Ms(15) - Duration.Epsilon);
        Assert.Equal([Ms(10)], op.BufferedTimestamps(0, right: false));
        op.OnRightWatermark(Ms(15));
        op.OnLeftWatermark(Ms(15));
        Assert.Empty(op.BufferedTimestamps(0, right: false));
        Assert.Equal([Ms(20)], op.BufferedTimestamps(0, right: true));
        op.OnLeftWatermark(Ms(18));
        op.OnRightWatermark(Ms(18));
        Assert.Empty(op.BufferedTimestamps(0, right: true));
        Assert.Equal((0, 0, 0), (op.Counters.Keys, op.Counters.PendingTimers, op.Counters.LeftBuffered + op.Counters.RightBuffered));
    }

    [Fact]
    public void ASlowInputHoldsBackCleanupOnBothSides()
    {
        var (op, _) = NewJoin(JoinBounds.Between(D(0), D(0)));
        op.OnLeft(L(1), Ms(1));
        op.OnRight(R(1), Ms(1));
        op.OnLeftWatermark(Ms(100));
        Assert.Equal((1, 1), (op.Counters.LeftBuffered, op.Counters.RightBuffered));
        op.OnRightWatermark(Ms(1));
        Assert.Equal((0, 0), (op.Counters.LeftBuffered, op.Counters.RightBuffered));
    }

    [Fact]
    public void ARecordWhoseWindowClosedBeforeItArrivedIsJoinedButNeverBuffered()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-10), D(-5)));
        op.OnRight(R(15), Ms(15));
        op.OnLeftWatermark(Ms(20));
        op.OnRightWatermark(Ms(20));
        op.OnLeft(L(23), Ms(23));
        op.OnLeft(L(23, key: 1), Ms(23));
        Assert.Equal(["23-15"], output.PairsMs());
        Assert.Equal((0, 1, 1), (op.Counters.LeftBuffered, op.Counters.RightBuffered, op.Counters.Keys));
        Assert.Equal((1, 1), (op.Counters.LeftReleasedJoined, op.Counters.LeftReleasedUnmatched));
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void TheFinalWatermarkEmptiesEveryBufferTimerAndKey()
    {
        var (op, _) = NewJoin(JoinBounds.Between(D(-3), D(7)));
        for (var i = 0; i < 50; i++)
        {
            op.OnLeft(L(i % 13, key: i % 4), Ms(i % 13));
            op.OnRight(R(i % 11, key: i % 5), Ms(i % 11));
        }

        Assert.True(op.Counters.PendingTimers > 0);
        Finish(op);
        Assert.Equal((0, 0, 0, 0), (op.Counters.Keys, op.Counters.PendingTimers, op.Counters.LeftBuffered, op.Counters.RightBuffered));
        Assert.True(op.Counters.Balanced);
    }

    private static void CheckCleanup(JoinBounds bounds, (long[] Left, long[] Right) atOne, (long[] Left, long[] Right) atFour, long emptyAt = 6)
    {
        var (op, _) = NewJoin(bounds);
        for (var i = 1; i <= 5; i++)
        {
            op.OnLeft(L(i), Ms(i));
        }

        for (var i = 1; i <= 5; i++)
        {
            op.OnRight(R(i), Ms(i));
        }

        Watermark(op, 1);
        AssertBuffers(op, atOne);
        Watermark(op, 4);
        AssertBuffers(op, atFour);
        Watermark(op, emptyAt - 1);
        Assert.NotEqual(0, op.Counters.Keys);
        Watermark(op, emptyAt);
        AssertBuffers(op, ([], []));
        Assert.Equal(0, op.Counters.Keys);
    }

    private static void Watermark(IntervalJoinOperator<int, Rec, Rec> op, long ms)
    {
        op.OnLeftWatermark(Ms(ms));
        op.OnRightWatermark(Ms(ms));
    }

    private static void AssertBuffers(IntervalJoinOperator<int, Rec, Rec> op, (long[] Left, long[] Right) expected)
    {
        Assert.Equal(expected.Left.Select(Ms), op.BufferedTimestamps(0, right: false));
        Assert.Equal(expected.Right.Select(Ms), op.BufferedTimestamps(0, right: true));
        Assert.Equal(expected.Left.Length, op.Counters.LeftBuffered);
        Assert.Equal(expected.Right.Length, op.Counters.RightBuffered);
        Assert.Equal(expected.Left.Length + expected.Right.Length, op.Counters.PendingTimers);
    }
}
