using Cep.Joins.Window;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Window;

public sealed class WindowJoinTests
{
    public sealed record E(string Key, string Id)
    {
        public override string ToString() => Id;
    }

    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static Duration D(long ms) => Duration.FromMilliseconds(ms);

    /// <summary>One tick before <paramref name="ms"/>: the maximum timestamp of a window ending there.</summary>
    private static Instant End(long ms) => Ms(ms) - Duration.FromTicks(1);

    private static (WindowJoinOperator<string, E, E> Op, JoinCollector<string, E, E> Output) Create(
        WindowAssigner assigner, WindowJoinOptions<string, E, E>? options = null)
    {
        var output = new JoinCollector<string, E, E>();
        return (new WindowJoinOperator<string, E, E>(assigner, e => e.Key, e => e.Key, output, options), output);
    }

    private static List<string> PairIds(JoinCollector<string, E, E> output) =>
        output.Pairs.Select(p => $"{p.Left}:{p.Right}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void ArgumentsAreChecked()
    {
        var output = new JoinCollector<string, E, E>();
        var tumbling = WindowAssigner.Tumbling(D(10));
        Assert.Throws<ArgumentNullException>("assigner", () => new WindowJoinOperator<string, E, E>(null!, e => e.Key, e => e.Key, output));
        Assert.Throws<ArgumentNullException>("leftKeySelector", () => new WindowJoinOperator<string, E, E>(tumbling, null!, e => e.Key, output));
        Assert.Throws<ArgumentNullException>("rightKeySelector", () => new WindowJoinOperator<string, E, E>(tumbling, e => e.Key, null!, output));
        Assert.Throws<ArgumentNullException>("output", () => new WindowJoinOperator<string, E, E>(tumbling, e => e.Key, e => e.Key, null!));
        var options = new WindowJoinOptions<string, E, E>();
        Assert.Throws<ArgumentOutOfRangeException>("value", () => options.AllowedLateness = D(-1));
        Assert.Throws<ArgumentNullException>("value", () => options.KeySerializer = null!);
        Assert.Throws<ArgumentNullException>("value", () => options.LeftSerializer = null!);
        Assert.Throws<ArgumentNullException>("value", () => options.RightSerializer = null!);
    }

    [Fact]
    public void WindowFiresWhenTheMinimumOfBothWatermarksReachesItsEndMinusOneTick()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnLeft(new("k", "l1"), Ms(1));
        op.OnRight(new("k", "r1"), Ms(2));
        op.OnLeftWatermark(Ms(100));
        Assert.Empty(output.Pairs); // the right input holds the watermark back
        op.OnRightWatermark(Ms(10) - Duration.FromTicks(2));
        Assert.Empty(output.Pairs);
        op.OnRightWatermark(Ms(10) - Duration.FromTicks(1));
        Assert.Equal(["l1:r1"], PairIds(output));
        Assert.Equal(Ms(10) - Duration.FromTicks(1), op.Watermark);
        Assert.Equal(0, op.Counters.Keys); // no allowed lateness: state went when the window fired
    }

    [Fact]
    public void PairsAreOnlyFormedWithinAKey()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnLeft(new("a", "la"), Ms(1));
        op.OnLeft(new("b", "lb"), Ms(1));
        op.OnRight(new("a", "ra"), Ms(5));
        op.OnRight(new("c", "rc"), Ms(5));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(["la:ra"], PairIds(output));
    }

    [Fact]
    public void SlidingWindowsEmitAPairOncePerSharedWindow()
    {
        var (op, output) = Create(WindowAssigner.Sliding(D(10), D(5)));
        op.OnLeft(new("k", "l"), Ms(7));
        op.OnRight(new("k", "r"), Ms(8));
        op.OnRight(new("k", "r2"), Ms(12));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(["k [0,100000) l:r", "k [50000,150000) l:r", "k [50000,150000) l:r2"], output.PairStrings());
        Assert.Equal(6, op.Counters.WindowEntriesAdded); // r2 at 12 is also in [10, 20)
        Assert.Equal(0, op.Counters.WindowEntriesLive);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void SessionWindowsMergeWhenCloserThanTheGap()
    {
        var (op, output) = Create(WindowAssigner.Session(D(5)));
        op.OnLeft(new("k", "l0"), Ms(0));
        op.OnRight(new("k", "r3"), Ms(3));
        op.OnLeft(new("k", "l7"), Ms(7));   // 4 after r3: same session [0, 12)
        op.OnRight(new("k", "r12"), Ms(12)); // exactly the gap after l7: a new session
        op.OnLeft(new("k", "l14"), Ms(14));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(["k [0,120000) l0:r3", "k [0,120000) l7:r3", "k [120000,190000) l14:r12"], output.PairStrings());
    }

    [Fact]
    public void SessionRecordBridgingTwoSessionsMergesThem()
    {
        var (op, output) = Create(WindowAssigner.Session(D(5)), new() { Mode = WindowJoinMode.CoGroup });
        op.OnLeft(new("k", "a"), Ms(0));
        op.OnRight(new("k", "b"), Ms(8));
        Assert.Equal(2, op.Counters.Windows);
        op.OnRight(new("k", "c"), Ms(4)); // [4, 9) overlaps [0, 5) and [8, 13)
        Assert.Equal(1, op.Counters.Windows);
        op.OnWatermark(Instant.MaxValue);
        var group = Assert.Single(output.CoGroups);
        Assert.Equal(new TimeWindow(Ms(0), Ms(13)), group.Window);
        Assert.Equal(["a"], group.Left.Select(e => e.Id));
        Assert.Equal(["b", "c"], group.Right.Select(e => e.Id));
    }

    [Fact]
    public void LateRecordWithoutAllowedLatenessIsRejectedWithKeyAndReason()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnLeft(new("k", "l1"), Ms(1));
        op.OnWatermark(Ms(9));
        Assert.Equal(1, op.Counters.Windows); // 9 ms is before the window's maximum timestamp
        op.OnWatermark(End(10));
        Assert.Equal(0, op.Counters.Windows);
        op.OnRight(new("k", "r5"), Ms(5)); // its window [0, 10) has fired
        op.OnRight(new("k", "r9"), Ms(9) + Duration.FromTicks(1)); // same window, also late
        op.OnLeft(new("k", "l10"), Ms(10)); // next window: fine
        op.OnWatermark(Instant.MaxValue);
        Assert.Empty(output.Pairs);
        Assert.Equal(["r5", "r9"], output.RightRejected.Select(r => r.Value.Id));
        Assert.All(output.RightRejected, r => Assert.Equal((1, "k", RejectReason.Late, End(10)), (r.Input, r.Key, r.Reason, r.Watermark)));
        Assert.Equal(2, op.Counters.RecordsLate);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void RecordBehindTheWatermarkStillJoinsAWindowThatHasNotFired()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnWatermark(Ms(5));
        op.OnLeft(new("k", "l"), Ms(3)); // behind the watermark, but [0, 10) has not fired (as in Flink)
        op.OnRight(new("k", "r"), Ms(4));
        op.OnWatermark(End(10));
        Assert.Equal(["l:r"], PairIds(output));
        Assert.Equal(0, op.Counters.RecordsLate);
    }

    [Theory]
    [InlineData(LateFiringMode.NewPairsOnly, new[] { "l1:r2", "l1:r3", "l4:r2", "l4:r3" })]
    [InlineData(LateFiringMode.AllPairs, new[] { "l1:r2", "l1:r2", "l1:r2", "l1:r3", "l1:r3", "l4:r2", "l4:r3" })]
    public void AllowedLatenessKeepsTheWindowAndRefiresIt(LateFiringMode mode, string[] expected)
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)), new() { AllowedLateness = D(5), LateFiring = mode });
        op.OnLeft(new("k", "l1"), Ms(1));
        op.OnRight(new("k", "r2"), Ms(2));
        op.OnWatermark(End(10));
        Assert.Equal(["l1:r2"], PairIds(output));
        op.OnRight(new("k", "r3"), Ms(3)); // within the lateness: fires at once
        Assert.Equal(2, op.Counters.Firings);
        op.OnLeft(new("k", "l4"), Ms(4));
        Assert.Equal(1, op.Counters.Keys);
        Assert.All(output.Pairs, p => Assert.Equal(Ms(10) - Duration.FromTicks(1), p.Window.MaxTimestamp));
        op.OnWatermark(End(15) - Duration.FromTicks(1));
        Assert.Equal(1, op.Counters.Keys);
        op.OnWatermark(End(15)); // 10 ms - 1 tick + 5 ms: the state goes
        Assert.Equal(0, op.Counters.Keys);
        op.OnLeft(new("k", "l5"), Ms(5));
        Assert.Equal(expected, PairIds(output));
        var rejected = Assert.Single(output.LeftRejected);
        Assert.Equal(("k", "l5", RejectReason.Late), (rejected.Key, rejected.Value.Id, rejected.Reason));
        Assert.Equal(3, op.Counters.Firings);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void CoGroupRefiresWithBothFullListsAndItsFiringNumber()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)), new() { AllowedLateness = D(5), Mode = WindowJoinMode.CoGroup });
        op.OnLeft(new("k", "l1"), Ms(1));
        op.OnWatermark(End(10));
        op.OnRight(new("k", "r3"), Ms(3));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(
            ["cogroup k [0,100000) #1 F:l1 S:", "cogroup k [0,100000) #2 F:l1 S:r3"],
            output.Log);
    }

    [Fact]
    public void LateRecordMergingTwoFiredSessionsEmitsOnlyTheNewPairs()
    {
        var (op, output) = Create(WindowAssigner.Session(D(5)), new() { AllowedLateness = D(100) });
        op.OnLeft(new("k", "l0"), Ms(0));
        op.OnRight(new("k", "r1"), Ms(1));
        op.OnLeft(new("k", "l8"), Ms(8));
        op.OnRight(new("k", "r9"), Ms(9));
        op.OnWatermark(Ms(20));
        Assert.Equal(["l0:r1", "l8:r9"], PairIds(output));
        op.OnRight(new("k", "r4"), Ms(4)); // [4, 9) bridges [0, 6) and [8, 14)
        Assert.Equal(["l0:r1", "l0:r4", "l0:r9", "l8:r1", "l8:r4", "l8:r9"], PairIds(output));
        Assert.All(output.Pairs.Skip(2), p => Assert.Equal(new TimeWindow(Ms(0), Ms(14)), p.Window));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(6, output.Pairs.Count);
        Assert.Equal(0, op.Counters.Keys);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void FailingKeySelectorAndSentinelTimestampsAreRejectedNotThrown()
    {
        var output = new JoinCollector<string, E, E>();
        var op = new WindowJoinOperator<string, E, E>(
            WindowAssigner.Tumbling(D(10)), e => e.Id == "bad" ? throw new InvalidOperationException("boom") : e.Key, e => e.Key, output);
        op.OnLeft(new("k", "bad"), Ms(1));
        op.OnRight(new("k", "max"), Instant.MaxValue);
        op.OnRight(new("k", "min"), Instant.MinValue);
        var failed = Assert.Single(output.LeftRejected);
        Assert.Equal(RejectReason.KeySelectorFailed, failed.Reason);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.Null(failed.Key);
        Assert.Equal([RejectReason.InvalidTimestamp, RejectReason.InvalidTimestamp], output.RightRejected.Select(r => r.Reason));
        Assert.Equal(3, op.Counters.RecordsFailed);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void WindowsDueAtOneWatermarkFireInOrderOfTheirEnd()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnLeft(new("b", "b25"), Ms(25));
        op.OnRight(new("b", "rb25"), Ms(25));
        op.OnLeft(new("a", "a5"), Ms(5));
        op.OnRight(new("a", "ra5"), Ms(5));
        op.OnLeft(new("c", "c15"), Ms(15));
        op.OnRight(new("c", "rc15"), Ms(15));
        op.OnWatermark(Ms(100));
        Assert.Equal(["a5:ra5", "c15:rc15", "b25:rb25"], output.Pairs.Select(p => $"{p.Left}:{p.Right}"));
    }

    [Fact]
    public void RecordInAGapBetweenSlidingWindowsIsRejectedAsInNoWindow()
    {
        var (op, output) = Create(WindowAssigner.Sliding(D(2), D(5)));
        op.OnLeft(new("k", "in-gap"), Ms(3));
        var rejected = Assert.Single(output.LeftRejected);
        Assert.Equal(RejectReason.NoWindow, rejected.Reason);
        Assert.Equal(1, op.Counters.RecordsInNoWindow);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void AnIdleInputDoesNotHoldTheWatermarkBack()
    {
        var (op, output) = Create(WindowAssigner.Tumbling(D(10)));
        op.OnLeft(new("k", "l1"), Ms(1));
        op.OnRight(new("k", "r1"), Ms(2));
        op.OnLeftWatermark(Ms(20));
        Assert.Empty(output.Pairs);
        op.SetRightIdle(true);
        Assert.Equal(["l1:r1"], PairIds(output));
        Assert.Equal(Ms(20), op.Watermark);
        op.SetRightIdle(false); // behind: holds the watermark in place, never pulls it back
        op.OnLeftWatermark(Ms(30));
        Assert.Equal(Ms(20), op.Watermark);
        op.OnRightWatermark(Ms(25));
        Assert.Equal(Ms(25), op.Watermark);
    }
}
