using Cep.Joins.Interval;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

/// <summary>Outer joins: an unmatched record is reported once, exactly when its window closes for good, never before a match.</summary>
public sealed class IntervalJoinOuterTests
{
    [Fact]
    public void AnUnmatchedLeftRecordIsReportedWhenTheJoinWatermarkReachesItsTimestampPlusUpper()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(0), D(5)), IntervalJoinType.LeftOuter);
        op.OnLeft(L(1, id: 1), Ms(1));
        op.OnLeftWatermark(Ms(10));
        op.OnRightWatermark(Ms(6) - Duration.Epsilon);
        Assert.Empty(output.UnmatchedLeft);
        op.OnRightWatermark(Ms(6));
        var unmatched = Assert.Single(output.UnmatchedLeft);
        Assert.Equal((0, L(1, id: 1), Ms(1)), (unmatched.Key, unmatched.Record, unmatched.Ts));
        Assert.Equal(Ms(6), unmatched.WatermarkThen);
        Assert.Equal(1, op.Counters.LeftReleasedUnmatched);
    }

    [Fact]
    public void APartnerAtTheLastMomentPreventsTheUnmatchedResult()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(0), D(5)), IntervalJoinType.FullOuter);
        op.OnLeft(L(1, id: 1), Ms(1));
        op.OnLeftWatermark(Ms(5));
        op.OnRightWatermark(Ms(5));
        op.OnRight(R(6, id: 2), Ms(6));
        Finish(op);
        Assert.Equal(["1-6"], output.PairsMs());
        Assert.Empty(output.UnmatchedLeft);
        Assert.Empty(output.UnmatchedRight);
        Assert.Equal((1, 1), (op.Counters.LeftReleasedJoined, op.Counters.RightReleasedJoined));
    }

    [Theory]
    [InlineData(IntervalJoinType.Inner, 0, 0)]
    [InlineData(IntervalJoinType.LeftOuter, 2, 0)]
    [InlineData(IntervalJoinType.RightOuter, 0, 1)]
    [InlineData(IntervalJoinType.FullOuter, 2, 1)]
    public void EachJoinTypeReportsItsSidesUnmatchedRecordsOnce(IntervalJoinType type, int left, int right)
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-1), D(1)), type);
        op.OnLeft(L(10, id: 1), Ms(10));
        op.OnLeft(L(20, id: 2), Ms(20));
        op.OnLeft(L(30, id: 3), Ms(30));
        op.OnRight(R(21, id: 4), Ms(21));
        op.OnRight(R(40, id: 5), Ms(40));
        op.OnLeftWatermark(Ms(35));
        op.OnRightWatermark(Ms(35));
        Finish(op);
        Assert.Equal(["20-21"], output.PairsMs());
        Assert.Equal(left, output.UnmatchedLeft.Count);
        Assert.Equal(right, output.UnmatchedRight.Count);
        Assert.Equal((2, 1), (op.Counters.LeftReleasedUnmatched, op.Counters.RightReleasedUnmatched));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
        if (left > 0)
        {
            Assert.Equal([1, 3], output.UnmatchedLeft.Select(u => u.Record.Id));
        }
    }

    [Fact]
    public void ARecordWhoseWindowClosedBeforeItArrivedIsReportedUnmatchedAtOnce()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-10), D(-5)), IntervalJoinType.LeftOuter);
        op.OnLeftWatermark(Ms(20));
        op.OnRightWatermark(Ms(20));
        op.OnLeft(L(23, id: 9), Ms(23));
        Assert.Equal(9, Assert.Single(output.UnmatchedLeft).Record.Id);
        Assert.Equal(0, op.Counters.Keys);
    }
}
