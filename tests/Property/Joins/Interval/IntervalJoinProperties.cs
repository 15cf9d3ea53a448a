using Cep.Joins.Interval;
using Cep.Tests.Oracles;
using Cep.Tests.Properties;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

/// <summary>The interval join against the nested-loop oracle, and its state, balance and snapshot laws.</summary>
public sealed class IntervalJoinProperties
{
    /// <summary>
    /// For any bounds (negative, positive, mixed, exclusive), join type and keyed input delivered out of order within the
    /// disorder bound with watermarks of both inputs: the pairs (with their three timestamps), the unmatched records of the
    /// outer sides and the late records of each side are exactly the oracle's; an unmatched record is reported only once
    /// the join's watermark has passed the last time a partner could arrive; the counters balance, with one cleanup timer per buffered record, after every step; and
    /// after the final watermark no buffer, timer or key is left.
    /// </summary>
    [Fact]
    public void TheJoinEqualsTheNestedLoopOracle() =>
        PropertyRunner.Check(IntervalJoinGenerators.Cases(), c =>
        {
            var (op, output) = NewJoin(c.Bounds, c.Type);
            foreach (var step in c.Steps)
            {
                Apply(op, step);
                var k = op.Counters;
                Require(k.Balanced && k.PendingTimers == k.LeftBuffered + k.RightBuffered, c, $"unbalanced, or not one timer per buffered record, after {step}: {k}");
            }

            Finish(op);
            var expected = NestedLoopIntervalJoin.Run(c.Steps, c.LowerTicks, c.LowerInclusive, c.UpperTicks, c.UpperInclusive);
            Same(c, "pairs", expected.Pairs.Select(p => $"{p.Left}-{p.Right}"), output.Pairs.Select(p => $"{p.Left.Id}-{p.Right.Id}"));
            var reportLeft = c.Type is IntervalJoinType.LeftOuter or IntervalJoinType.FullOuter;
            var reportRight = c.Type is IntervalJoinType.RightOuter or IntervalJoinType.FullOuter;
            Same(c, "unmatched left", reportLeft ? expected.UnmatchedLeft.Select(Text) : [], output.UnmatchedLeft.Select(u => Text(u.Record.Id)));
            Same(c, "unmatched right", reportRight ? expected.UnmatchedRight.Select(Text) : [], output.UnmatchedRight.Select(u => Text(u.Record.Id)));
            Same(c, "late left", expected.LateLeft.Select(Text), output.LateLeft.Select(u => Text(u.Record.Id)));
            Same(c, "late right", expected.LateRight.Select(Text), output.LateRight.Select(u => Text(u.Record.Id)));

            foreach (var p in output.Pairs)
            {
                Require(p.LeftTs == p.Left.Time && p.RightTs == p.Right.Time && p.Ts == (p.LeftTs > p.RightTs ? p.LeftTs : p.RightTs), c, $"timestamps of {p}");
            }

            var upper = c.UpperInclusive ? c.UpperTicks : c.UpperTicks - 1;
            var lower = c.LowerInclusive ? c.LowerTicks : c.LowerTicks + 1;
            foreach (var u in output.UnmatchedLeft)
            {
                Require(u.WatermarkThen.ToUnixTimeTicks() >= u.Record.Ticks + upper, c, $"{u.Record} reported unmatched at watermark {u.WatermarkThen}");
            }

            foreach (var u in output.UnmatchedRight)
            {
                Require(u.WatermarkThen.ToUnixTimeTicks() >= u.Record.Ticks - lower, c, $"{u.Record} reported unmatched at watermark {u.WatermarkThen}");
            }

            var end = op.Counters;
            Require(end.Balanced && end.Keys == 0 && end.PendingTimers == 0 && end.LeftBuffered == 0 && end.RightBuffered == 0, c, $"state left after the final watermark: {end}");
            Require(end.Pairs == expected.Pairs.Count && end.LeftReleasedUnmatched == expected.UnmatchedLeft.Count && end.RightReleasedUnmatched == expected.UnmatchedRight.Count, c, $"counters {end}");
        });

    /// <summary>
    /// Running to any cut, snapshotting, restoring into a fresh operator and feeding the rest gives exactly the output of
    /// the uninterrupted run, in the same order, and the same counters; a snapshot of the restored operator is byte for
    /// byte the one it was restored from.
    /// </summary>
    [Fact]
    public void SnapshotAtAnyCutThenRestoreGivesTheUninterruptedRun() =>
        PropertyRunner.Check(IntervalJoinGenerators.Cases(), c =>
        {
            var (whole, wholeOut) = NewJoin(c.Bounds, c.Type);
            foreach (var step in c.Steps)
            {
                Apply(whole, step);
            }

            Finish(whole);
            var cut = c.Steps.Count == 0 ? 0 : (int)((uint)c.GetHashCode() % (uint)(c.Steps.Count + 1));
            var (first, firstOut) = NewJoin(c.Bounds, c.Type);
            foreach (var step in c.Steps.Take(cut))
            {
                Apply(first, step);
            }

            var bytes = first.Snapshot();
            var (second, secondOut) = NewJoin(c.Bounds, c.Type);
            second.Restore(bytes);
            Require(second.Snapshot().AsSpan().SequenceEqual(bytes), c, $"re-snapshot differs at cut {cut}");
            Require(second.Counters.ToString() == first.Counters.ToString(), c, "restored counters differ");
            foreach (var step in c.Steps.Skip(cut))
            {
                Apply(second, step);
            }

            Finish(second);
            Same(c, $"log with a snapshot at step {cut}", wholeOut.Log, firstOut.Log.Concat(secondOut.Log), ordered: true);
            Require(second.Counters.ToString() == whole.Counters.ToString(), c, $"counters {second.Counters} vs {whole.Counters}");
        });

    private static string Text(int id) => $"#{id}";

    private static void Require(bool condition, JoinCase c, string what)
    {
        if (!condition)
        {
            throw new MatchMismatchException($"{what}\n{c}");
        }
    }

    private static void Same(JoinCase c, string what, IEnumerable<string> expected, IEnumerable<string> actual, bool ordered = false)
    {
        var e = ordered ? expected.ToList() : expected.Order(StringComparer.Ordinal).ToList();
        var a = ordered ? actual.ToList() : actual.Order(StringComparer.Ordinal).ToList();
        PropertyRunner.AssertSameMatches($"{what}: {c}", e, a, "expected", "operator");
    }
}
