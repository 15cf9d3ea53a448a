using Cep.Joins.Interval;
using Cep.State;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

public sealed class IntervalJoinArgumentTests
{
    [Fact]
    public void UpperBelowLowerThrowsNamingBothValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => JoinBounds.Between(D(5), D(4)));
        Assert.Equal("upper", error.ParamName);
        Assert.Contains(D(5).ToString(), error.Message);
        Assert.Contains(D(4).ToString(), error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JoinBounds(D(-1), D(-2)));
    }

    [Fact]
    public void BoundsAreInclusiveByDefaultAndExclusiveOnRequest()
    {
        var bounds = JoinBounds.Between(D(-2), D(3));
        Assert.True(bounds.LowerInclusive && bounds.UpperInclusive);
        Assert.Equal("[-0:00:00:00.002, 0:00:00:00.003]", bounds.ToString());
        var open = bounds.ExcludeLower().ExcludeUpper();
        Assert.False(open.LowerInclusive || open.UpperInclusive);
        Assert.Equal((D(-2), D(3)), (open.Lower, open.Upper));
        Assert.NotEqual(bounds, open);
        Assert.Equal(open, JoinBounds.Between(D(-2), D(3)).ExcludeUpper().ExcludeLower());
        Assert.True(default(JoinBounds).LowerInclusive && default(JoinBounds).UpperInclusive);
    }

    [Fact]
    public void SubTickBoundsAreRoundedInwards()
    {
        var ns150 = Duration.FromNanoseconds(150);
        Assert.Equal((2L, 1L), (JoinBounds.Between(ns150, ns150).LowerTicks, JoinBounds.Between(ns150, ns150).UpperTicks));
        Assert.Equal((2L, 1L), (JoinBounds.Between(ns150, ns150).ExcludeLower().LowerTicks, JoinBounds.Between(ns150, ns150).ExcludeUpper().UpperTicks));
        Assert.Equal((-1L, -2L), (JoinBounds.Between(-ns150, -ns150).LowerTicks, JoinBounds.Between(-ns150, -ns150).UpperTicks));
        Assert.Equal((1L, -1L), (JoinBounds.Between(D(0), D(0)).ExcludeLower().LowerTicks, JoinBounds.Between(D(0), D(0)).ExcludeUpper().UpperTicks));
    }

    [Fact]
    public void HugeBoundsJoinEverythingOfAKey()
    {
        var (op, output) = NewJoin(JoinBounds.Between(Duration.MinValue, Duration.MaxValue));
        op.OnLeft(new Rec(0, Instant.MinValue.ToUnixTimeTicks() + 1, 1), Instant.MinValue + Duration.FromTicks(1));
        op.OnRight(new Rec(0, Instant.MaxValue.ToUnixTimeTicks() - 1, 2), Instant.MaxValue - Duration.FromTicks(1));
        Assert.Single(output.Pairs);
        Finish(op);
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void NullArgumentsThrow()
    {
        var output = new JoinCollector<int>();
        var bounds = JoinBounds.Between(D(0), D(1));
        Assert.Equal("leftKeySelector", Assert.Throws<ArgumentNullException>(() => new IntervalJoinOperator<int, Rec, Rec>(null!, r => r.Key, bounds, output)).ParamName);
        Assert.Equal("rightKeySelector", Assert.Throws<ArgumentNullException>(() => new IntervalJoinOperator<int, Rec, Rec>(r => r.Key, null!, bounds, output)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => new IntervalJoinOperator<int, Rec, Rec>(r => r.Key, r => r.Key, bounds, null!)).ParamName);
        var options = new IntervalJoinOptions<int, Rec, Rec>();
        Assert.Throws<ArgumentNullException>(() => options.KeySerializer = null!);
        Assert.Throws<ArgumentNullException>(() => options.LeftSerializer = null!);
        Assert.Throws<ArgumentNullException>(() => options.RightSerializer = null!);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.JoinType = (IntervalJoinType)17);
    }

    [Fact]
    public void AThrowingKeySelectorPropagatesAndTheRecordIsNotCounted()
    {
        var op = new IntervalJoinOperator<int, Rec, Rec>(_ => throw new FormatException("bad"), r => r.Key, JoinBounds.Between(D(0), D(1)), new JoinCollector<int>());
        Assert.Throws<FormatException>(() => op.OnLeft(L(1), Ms(1)));
        Assert.Equal(0, op.Counters.LeftIn);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void RestoreNeedsAFreshOperatorAndAMatchingSnapshot()
    {
        var (op, _) = NewJoin(JoinBounds.Between(D(0), D(1)));
        op.OnLeft(L(1), Ms(1));
        var bytes = op.Snapshot();
        Assert.Throws<InvalidOperationException>(() => op.Restore(bytes));
        var (watermarked, _) = NewJoin(JoinBounds.Between(D(0), D(1)));
        watermarked.OnRightWatermark(Ms(0));
        Assert.Throws<InvalidOperationException>(() => watermarked.Restore(bytes));

        var (other, _) = NewJoin(JoinBounds.Between(D(0), D(2)));
        Assert.Contains("other bounds or join type", Assert.Throws<SnapshotFormatException>(() => other.Restore(bytes)).Message);
        var (outer, _) = NewJoin(JoinBounds.Between(D(0), D(1)), IntervalJoinType.LeftOuter);
        Assert.Throws<SnapshotFormatException>(() => outer.Restore(bytes));

        var corrupt = (byte[])bytes.Clone();
        corrupt[^12] ^= 0x40;
        var (fresh, _) = NewJoin(JoinBounds.Between(D(0), D(1)));
        Assert.Contains("checksum", Assert.Throws<SnapshotFormatException>(() => fresh.Restore(corrupt)).Message);
        Assert.Throws<SnapshotFormatException>(() => fresh.Restore(bytes.AsSpan(0, bytes.Length - 3)));
        Assert.Throws<SnapshotFormatException>(() => fresh.Restore("nope"u8));
        fresh.Restore(bytes);
        Assert.Equal(1, fresh.Counters.LeftBuffered);
    }
}
