using Cep.Joins.Interval;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

/// <summary>
/// The cases of Flink's IntervalJoinOperatorTest, each run with the left input ahead of the right one and the other way
/// round: records at 1..4 ms on both sides, each input's watermark following its records.
/// </summary>
public sealed class IntervalJoinFlinkTests
{
    public static TheoryData<bool> LeftFirst => new() { true, false };

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void MirroredBoundsGiveMirroredPairs(bool leftFirst)
    {
        Assert.Equal(["1-2", "1-3", "2-3", "2-4", "3-4"], Run(JoinBounds.Between(D(1), D(3)).ExcludeUpper(), leftFirst));
        Assert.Equal(["2-1", "3-1", "3-2", "4-2", "4-3"], Run(JoinBounds.Between(D(-3), D(-1)).ExcludeLower(), leftFirst));
    }

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void NegativeInclusiveAndNegativeInclusive(bool leftFirst) =>
        Assert.Equal(["2-1", "3-1", "3-2", "4-2", "4-3"], Run(JoinBounds.Between(D(-2), D(-1)), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void NegativeInclusiveAndPositiveInclusive(bool leftFirst) =>
        Assert.Equal(["1-1", "1-2", "2-1", "2-2", "2-3", "3-2", "3-3", "3-4", "4-3", "4-4"], Run(JoinBounds.Between(D(-1), D(1)), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void PositiveInclusiveAndPositiveInclusive(bool leftFirst) =>
        Assert.Equal(["1-2", "1-3", "2-3", "2-4", "3-4"], Run(JoinBounds.Between(D(1), D(2)), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void NegativeExclusiveAndNegativeExclusive(bool leftFirst) =>
        Assert.Equal(["3-1", "4-2"], Run(JoinBounds.Between(D(-3), D(-1)).ExcludeLower().ExcludeUpper(), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void NegativeExclusiveAndPositiveExclusive(bool leftFirst) =>
        Assert.Equal(["1-1", "2-2", "3-3", "4-4"], Run(JoinBounds.Between(D(-1), D(1)).ExcludeLower().ExcludeUpper(), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void PositiveExclusiveAndPositiveExclusive(bool leftFirst) =>
        Assert.Equal(["1-3", "2-4"], Run(JoinBounds.Between(D(1), D(3)).ExcludeLower().ExcludeUpper(), leftFirst));

    [Theory]
    [MemberData(nameof(LeftFirst))]
    public void EveryPairCarriesBothTimestampsAndTheLaterOneAsItsOwn(bool leftFirst)
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-1), D(1)));
        Feed(op, 1, 4, leftFirst);
        Assert.Equal(10, output.Pairs.Count);
        foreach (var p in output.Pairs)
        {
            Assert.Equal(p.Left.Time, p.LeftTs);
            Assert.Equal(p.Right.Time, p.RightTs);
            Assert.Equal(p.LeftTs > p.RightTs ? p.LeftTs : p.RightTs, p.Ts);
        }
    }

    [Fact]
    public void LateRecordsGoToTheLateOutputOfTheirSideAndAreNotJoined()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-1), D(1)));
        op.OnLeft(L(3), Ms(3));
        op.OnRight(R(3), Ms(3));
        op.OnLeftWatermark(Ms(3));
        op.OnRightWatermark(Ms(3));
        op.OnLeft(L(4), Ms(4));
        op.OnRight(R(4), Ms(4));
        op.OnLeft(L(1, id: 7), Ms(1));
        op.OnRight(R(2, id: 8), Ms(2));
        op.OnLeft(L(5), Ms(5));
        op.OnRight(R(5), Ms(5));

        Assert.Equal(["3-3", "3-4", "4-3", "4-4", "4-5", "5-4", "5-5"], output.PairsMs());
        Assert.Equal((0, L(1, id: 7), Ms(1), Ms(3)), Assert.Single(output.LateLeft));
        Assert.Equal((0, R(2, id: 8), Ms(2), Ms(3)), Assert.Single(output.LateRight));
        Assert.Equal((1, 1), (op.Counters.LeftLate, op.Counters.RightLate));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ARecordAtOrBelowItsOwnInputsWatermarkIsLateEvenWhileTheJoinWatermarkIsBehind()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(-5), D(5)));
        op.OnLeftWatermark(Ms(10));
        Assert.Equal(NodaTime.Instant.MinValue, op.Watermark);
        op.OnLeft(L(10), Ms(10));
        op.OnRight(R(7), Ms(7));
        op.OnLeft(L(11), Ms(11));
        Assert.Equal((0, L(10), Ms(10), Ms(10)), Assert.Single(output.LateLeft));
        Assert.Empty(output.LateRight);
        Assert.Equal(["11-7"], output.PairsMs());
    }

    [Fact]
    public void PairsAreFormedOnlyWithinOneKey()
    {
        var (op, output) = NewJoin(JoinBounds.Between(D(0), D(2)));
        for (var key = 0; key < 3; key++)
        {
            op.OnLeft(L(1, key), Ms(1));
            op.OnRight(R(2, key), Ms(2));
            op.OnRight(R(4, key), Ms(4));
        }

        Assert.Equal([0, 1, 2], output.Pairs.Select(p => p.Key));
        Assert.All(output.Pairs, p => Assert.True(p.Left.Key == p.Key && p.Right.Key == p.Key));
        Assert.Equal(3, op.Counters.Keys);
    }

    [Fact]
    public void RestoreFromSnapshotContinuesTheJoin()
    {
        var bounds = JoinBounds.Between(D(-1), D(1));
        var (first, before) = NewJoin(bounds);
        for (var i = 1; i <= 3; i++)
        {
            first.OnLeft(L(i), Ms(i));
            first.OnLeftWatermark(Ms(i));
            first.OnRight(R(i), Ms(i));
            first.OnRightWatermark(Ms(i));
        }

        Assert.Equal(["1-1", "1-2", "2-1", "2-2", "2-3", "3-2", "3-3"], before.PairsMs());
        var (second, after) = NewJoin(bounds);
        second.Restore(first.Snapshot());
        second.OnLeft(L(4), Ms(4));
        second.OnLeftWatermark(Ms(4));
        second.OnRight(R(4), Ms(4));
        second.OnRightWatermark(Ms(4));
        Assert.Equal(["3-4", "4-3", "4-4"], after.PairsMs());
        Assert.Empty(after.LateLeft.Concat(after.LateRight));
    }

    private static List<string> Run(JoinBounds bounds, bool leftFirst)
    {
        var (op, output) = NewJoin(bounds);
        Feed(op, 1, 4, leftFirst);
        Assert.Empty(output.LateLeft.Concat(output.LateRight));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
        return output.PairsMs();
    }

    /// <summary>Flink's processElementsAndWatermarks: one input's records from..to each followed by its watermark, then the other's.</summary>
    private static void Feed(IntervalJoinOperator<int, Rec, Rec> op, int from, int to, bool leftFirst)
    {
        for (var side = 0; side < 2; side++)
        {
            var left = (side == 0) == leftFirst;
            for (var i = from; i <= to; i++)
            {
                if (left)
                {
                    op.OnLeft(L(i), Ms(i));
                    op.OnLeftWatermark(Ms(i));
                }
                else
                {
                    op.OnRight(R(i), Ms(i));
                    op.OnRightWatermark(Ms(i));
                }
            }
        }
    }
}
