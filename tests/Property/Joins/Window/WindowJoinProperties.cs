using Cep.Joins.Window;
using Cep.Tests.Oracles;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;
using static Cep.Tests.Oracles.WindowJoinOracle;
using Rec = Cep.Tests.Harness.KeyedRecord;

namespace Cep.Tests.Joins.Window;

/// <summary>Window joins against <see cref="WindowJoinOracle"/>, for tumbling, sliding and session windows, with
/// watermarks and idleness per input, late records and allowed lateness. Times are in ticks, so watermarks hit window boundaries exactly.</summary>
public sealed class WindowJoinProperties
{
    /// <summary>One case: the window shape and its parameters, the allowed lateness and the input steps.</summary>
    public sealed record Case(Shape Shape, long Size, long SlideOrOffset, long Lateness, Step[] Steps, int Cut, WindowJoinMode Mode, LateFiringMode LateFiring)
    {
        public WindowAssigner Assigner => Shape switch
        {
            Shape.Tumbling => WindowAssigner.Tumbling(Duration.FromTicks(Size), Duration.FromTicks(SlideOrOffset)),
            Shape.Sliding => WindowAssigner.Sliding(Duration.FromTicks(Size), Duration.FromTicks(SlideOrOffset)),
            _ => WindowAssigner.Session(Duration.FromTicks(Size)),
        };

        public override string ToString() =>
            $"{Shape} size {Size} {(Shape == Shape.Sliding ? "slide" : "offset")} {SlideOrOffset} lateness {Lateness} {Mode} {LateFiring} cut {Cut}: " +
            string.Join(" ", Steps.Select(s => s.IsRecord ? $"{(s.Side == 0 ? "L" : "R")}{s.Id}(k{s.Key}@{s.Ticks})"
                : s.Idle == 1 ? $"Idle{s.Side}" : s.Idle == 2 ? $"Active{s.Side}" : $"W{s.Side}@{s.Ticks}"));
    }

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Choose(0, 10)
        from key in Gen.Choose(0, 2)
        from ticks in Gen.Choose(0, 40)
        select kind < 6 ? new Step(true, kind % 2, key, ticks, 0)
            : kind < 9 ? new Step(false, kind - 6, 0, ticks, 0)
            : new Step(false, key % 2, 0, 0, 0, Idle: ticks % 3 == 0 ? 2 : 1);

    private static readonly Gen<Case> CaseGen =
        from shape in Gen.Elements(Shape.Tumbling, Shape.Sliding, Shape.Session)
        from size in Gen.Choose(1, 9)
        from second in Gen.Choose(0, 8)
        from lateness in Gen.Elements(0L, 0L, 1L, 3L, 10L)
        from steps in StepGen.ArrayOf()
        from cut in Gen.Choose(0, 1000)
        from mode in Gen.Elements(WindowJoinMode.Inner, WindowJoinMode.CoGroup)
        from late in Gen.Elements(LateFiringMode.NewPairsOnly, LateFiringMode.AllPairs)
        select new Case(
            shape,
            size,
            shape == Shape.Tumbling ? second % size : shape == Shape.Sliding ? 1 + (second % 6) : 0,
            lateness,
            [.. steps.Select((s, i) => s with { Id = i })],
            steps.Length == 0 ? 0 : cut % (steps.Length + 1),
            mode,
            late);

    private static Instant Ms(long ticks) => Instant.FromUnixTimeTicks(ticks);

    private static WindowJoinOperator<int, Rec, Rec> Create(Case c, JoinCollector<int, Rec, Rec> output) =>
        new(c.Assigner, r => r.Key, r => r.Key, output, new() { AllowedLateness = Duration.FromTicks(c.Lateness), Mode = c.Mode, LateFiring = c.LateFiring });

    private static void Feed(WindowJoinOperator<int, Rec, Rec> op, Case c, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var s = c.Steps[i];
            if (s.IsRecord && s.Side == 0)
            {
                op.OnLeft(new Rec(s.Id, s.Key), Ms(s.Ticks));
            }
            else if (s.IsRecord)
            {
                op.OnRight(new Rec(s.Id, s.Key), Ms(s.Ticks));
            }
            else if (s.Idle != 0 && s.Side == 0)
            {
                op.SetLeftIdle(s.Idle == 1);
            }
            else if (s.Idle != 0)
            {
                op.SetRightIdle(s.Idle == 1);
            }
            else if (s.Side == 0)
            {
                op.OnLeftWatermark(Ms(s.Ticks));
            }
            else if (s.Side == 1)
            {
                op.OnRightWatermark(Ms(s.Ticks));
            }
            else
            {
                op.OnWatermark(Ms(s.Ticks));
            }
        }
    }

    private static (WindowJoinOperator<int, Rec, Rec> Op, JoinCollector<int, Rec, Rec> Output) RunWhole(Case c)
    {
        var output = new JoinCollector<int, Rec, Rec>();
        var op = Create(c, output);
        Feed(op, c, 0, c.Steps.Length);
        op.OnWatermark(Instant.MaxValue);
        return (op, output);
    }

    private static long ToMs(Instant i) => i.ToUnixTimeTicks();

    /// <summary>
    /// Inner join with new pairs only: the pairs are exactly the oracle's nested loop over each final window (each pair
    /// once; for sessions without the window, which a late merge can widen after a pair was emitted); the rejected
    /// records are the oracle's; after the final watermark no key, window or entry is left, and the counters balance.
    /// </summary>
    [Fact]
    public void InnerJoinEqualsTheNestedLoopOracle() =>
        PropertyRunner.Check(Arb.From(CaseGen.Select(c => c with { Mode = WindowJoinMode.Inner, LateFiring = LateFiringMode.NewPairsOnly })), c =>
        {
            var (op, output) = RunWhole(c);
            var (windows, rejected) = WindowJoinOracle.Run(c.Shape, c.Size, c.SlideOrOffset, c.Lateness, c.Steps);
            var session = c.Shape == Shape.Session;
            var actual = output.Pairs
                .Select(p => session ? $"k{p.Key} {p.Left}:{p.Right}" : $"k{p.Key} [{ToMs(p.Window.Start)},{ToMs(p.Window.End)}) {p.Left}:{p.Right}")
                .OrderBy(s => s, StringComparer.Ordinal).ToList();
            PropertyRunner.AssertSameMatches(c, WindowJoinOracle.Pairs(windows, withWindow: !session), actual);
            PropertyRunner.AssertSameMatches(
                c,
                rejected.Select(r => $"{r.Side}:{r.Id}").Order(StringComparer.Ordinal).ToList(),
                output.LeftRejected.Select(r => $"0:{r.Value.Id}").Concat(output.RightRejected.Select(r => $"1:{r.Value.Id}")).Order(StringComparer.Ordinal).ToList(),
                actualName: "rejected");
            CheckEmptyAndBalanced(c, op);
        });

    /// <summary>
    /// Co-group: for every final window of the oracle, the last co-group emitted for that key and window holds exactly its
    /// records; every co-group lies inside a final window of its key; one-sided windows are emitted too.
    /// </summary>
    [Fact]
    public void CoGroupEqualsTheOracleWindows() =>
        PropertyRunner.Check(Arb.From(CaseGen.Select(c => c with { Mode = WindowJoinMode.CoGroup })), c =>
        {
            var (op, output) = RunWhole(c);
            var (windows, _) = WindowJoinOracle.Run(c.Shape, c.Size, c.SlideOrOffset, c.Lateness, c.Steps);
            static string Ids(IEnumerable<int> ids) => string.Join(",", ids.Order());
            var expected = windows.Select(w => $"k{w.Key} [{w.Start},{w.End}) F:{Ids(w.Left)} S:{Ids(w.Right)}").Order(StringComparer.Ordinal).ToList();
            var last = output.CoGroups
                .GroupBy(g => (g.Key, ToMs(g.Window.Start), ToMs(g.Window.End)))
                .Where(g => windows.Any(w => (w.Key, w.Start, w.End) == g.Key))
                .Select(g => g.Last())
                .Select(g => $"k{g.Key} [{ToMs(g.Window.Start)},{ToMs(g.Window.End)}) F:{Ids(g.Left.Select(r => r.Id))} S:{Ids(g.Right.Select(r => r.Id))}")
                .Order(StringComparer.Ordinal).ToList();
            PropertyRunner.AssertSameMatches(c, expected, last);
            foreach (var g in output.CoGroups)
            {
                if (!windows.Any(w => w.Key == g.Key && w.Start <= ToMs(g.Window.Start) && ToMs(g.Window.End) <= w.End))
                {
                    throw new MatchMismatchException($"{c}\n  co-group {g.Key} {g.Window} lies in no final window");
                }
            }

            CheckEmptyAndBalanced(c, op);
        });

    /// <summary>
    /// Any mode, any cut: running to the cut, snapshotting, restoring into a fresh operator and feeding the rest gives
    /// exactly the output of the uninterrupted run, in order, with the same counters; the restored operator's snapshot is
    /// byte for byte the one it was restored from.
    /// </summary>
    [Fact]
    public void SnapshotAtAnyCutThenRestoreGivesTheUninterruptedOutput() =>
        PropertyRunner.Check(Arb.From(CaseGen), c => Cuts(c).Check(c, c.Cut, c.Steps.Length));

    /// <summary>
    /// Flink's late firing (every pair again at each firing) emits the same distinct pairs as the default (new pairs
    /// only), each at least once, and exactly as many firings.
    /// </summary>
    [Fact]
    public void AllPairsFiringEmitsTheSameDistinctPairsAsNewPairsOnly() =>
        PropertyRunner.Check(Arb.From(CaseGen.Select(c => c with { Mode = WindowJoinMode.Inner })), c =>
        {
            var (newOnly, newOutput) = RunWhole(c with { LateFiring = LateFiringMode.NewPairsOnly });
            var (all, allOutput) = RunWhole(c with { LateFiring = LateFiringMode.AllPairs });
            var session = c.Shape == Shape.Session;
            List<string> Distinct(JoinCollector<int, Rec, Rec> o) =>
                [.. o.Pairs.Select(p => session ? $"k{p.Key} {p.Left}:{p.Right}" : $"k{p.Key} {p.Window} {p.Left}:{p.Right}").Distinct().Order(StringComparer.Ordinal)];
            PropertyRunner.AssertSameMatches(c, Distinct(newOutput), Distinct(allOutput), "new pairs only", "all pairs");
            if (newOnly.Counters.Firings != all.Counters.Firings || allOutput.Pairs.Count < newOutput.Pairs.Count)
            {
                throw new MatchMismatchException($"{c}\n  firings or pair counts differ: {newOnly.Counters} vs {all.Counters}");
            }
        });

    private static Harness.SnapshotCuts<WindowJoinOperator<int, Rec, Rec>, JoinCollector<int, Rec, Rec>> Cuts(Case c) => new(
        () => new JoinCollector<int, Rec, Rec>(), o => Create(c, o), (op, from, to) => Feed(op, c, from, to), op => op.OnWatermark(Instant.MaxValue),
        op => op.Snapshot(), (op, bytes) => op.Restore(bytes), o => o.Log, op => op.Counters);

    private static void CheckEmptyAndBalanced(Case c, WindowJoinOperator<int, Rec, Rec> op)
    {
        var k = op.Counters;
        if (!k.Balanced || k.Keys != 0 || k.Windows != 0 || k.WindowEntriesLive != 0)
        {
            throw new MatchMismatchException($"{c}\n  state left or unbalanced after the final watermark: {k}");
        }
    }
}
