using Cep.Joins.MultiStream;
using Cep.Joins.Window;
using Cep.Tests.Harness;
using Cep.Tests.Oracles;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;
using Rec = Cep.Tests.Harness.KeyedRecord;
using Step = Cep.Tests.Oracles.MultiStreamJoinOracle.Step;

namespace Cep.Tests.Joins.MultiStream;

/// <summary>Multi-stream joins against <see cref="MultiStreamJoinOracle"/>, with per-input watermarks and idleness, late records and
/// optional early emission. Times are in ticks, so watermarks hit window boundaries exactly.</summary>
public sealed class MultiStreamJoinProperties
{
    private static readonly string[] Names = ["click", "read", "like"];

    public sealed record Case(long Size, long Offset, int[] Required, Step[] Steps, int Cut)
    {
        public override string ToString() =>
            $"size {Size} offset {Offset} required [{string.Join(",", Required)}] cut {Cut}: " +
            string.Join(" ", Steps.Select(s => s.IsRecord ? $"{Names[s.Input][0]}{s.Id}(k{s.Key}@{s.Ticks})"
                : s.Idle == 1 ? $"Idle{s.Input}" : s.Idle == 2 ? $"Active{s.Input}" : $"W{s.Input}@{s.Ticks}"));
    }

    private sealed class Collector : IMultiStreamJoinOutput<int, Rec>
    {
        public List<string> Rows { get; } = [];

        public List<string> Rejected { get; } = [];

        public List<string> Log { get; } = [];

        public void OnJoined(JoinedRow<int, Rec> row)
        {
            var parts = string.Join("|", Enumerable.Range(0, row.InputCount).Select(i => string.Join(",", row.Records(i))));
            Rows.Add($"{row.Kind} k{row.Key} [{row.Window.Start.ToUnixTimeTicks()},{row.Window.End.ToUnixTimeTicks()}) {parts}");
            Log.Add(Rows[^1]);
        }

        public void OnRejected(RejectedRecord<int, Rec> record)
        {
            Rejected.Add($"{record.Input}:{record.Value.Id}");
            Log.Add($"rejected {Rejected[^1]} {record.Reason}");
        }
    }

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Choose(0, 10)
        from key in Gen.Choose(0, 2)
        from ticks in Gen.Choose(0, 40)
        select kind < 6 ? new Step(true, kind % 3, key, ticks, 0)
            : kind < 10 ? new Step(false, kind == 9 ? -1 : kind - 6, 0, ticks, 0)
            : new Step(false, key, 0, 0, 0, Idle: ticks % 3 == 0 ? 2 : 1);

    private static readonly Gen<Case> CaseGen =
        from size in Gen.Choose(1, 12)
        from offset in Gen.Choose(0, 11)
        from required in Gen.Elements<int[]>([], [], [0], [0, 1], [0, 1, 2], [2])
        from steps in StepGen.ArrayOf()
        from cut in Gen.Choose(0, 1000)
        select new Case(size, offset % size, required, [.. steps.Select((s, i) => s with { Id = i })], steps.Length == 0 ? 0 : cut % (steps.Length + 1));

    private static MultiStreamJoinOperator<int, Rec> Create(Case c, Collector output) =>
        new(
            [.. Names.Select(n => new MultiStreamInput<int, Rec>(n, r => r.Key))],
            WindowAssigner.Tumbling(Duration.FromTicks(c.Size), Duration.FromTicks(c.Offset)),
            output,
            new() { EmitWhenComplete = c.Required.Length == 0 ? null : [.. c.Required.Select(i => Names[i])] });

    private static void Feed(MultiStreamJoinOperator<int, Rec> op, Case c, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var s = c.Steps[i];
            var time = Instant.FromUnixTimeTicks(s.Ticks);
            if (s.IsRecord)
            {
                op.OnRecord(s.Input, new Rec(s.Id, s.Key), time);
            }
            else if (s.Idle != 0)
            {
                op.SetIdle(s.Input, s.Idle == 1);
            }
            else if (s.Input < 0)
            {
                op.OnWatermark(time);
            }
            else
            {
                op.OnWatermark(s.Input, time);
            }
        }
    }

    /// <summary>
    /// The rows (kind, key, window and every part) and the rejected records are the oracle's; after the final watermark
    /// no window, key or record is left, and the counters balance.
    /// </summary>
    [Fact]
    public void RowsEqualTheOracle() =>
        PropertyRunner.Check(Arb.From(CaseGen), c =>
        {
            var output = new Collector();
            var op = Create(c, output);
            Feed(op, c, 0, c.Steps.Length);
            op.OnWatermark(Instant.MaxValue);
            var (rows, rejected) = MultiStreamJoinOracle.Run(Names.Length, c.Size, c.Offset, c.Required, c.Steps);
            PropertyRunner.AssertSameMatches(c, [.. rows.Order(StringComparer.Ordinal)], [.. output.Rows.Order(StringComparer.Ordinal)]);
            PropertyRunner.AssertSameMatches(c, [.. rejected.Order(StringComparer.Ordinal)], [.. output.Rejected.Order(StringComparer.Ordinal)], actualName: "rejected");
            var k = op.Counters;
            if (!k.Balanced || k.Keys != 0 || k.Windows != 0 || k.RecordsLive != 0 || k.RecordsIn != c.Steps.Count(s => s.IsRecord))
            {
                throw new MatchMismatchException($"{c}\n  state left or unbalanced after the final watermark: {k}");
            }
        });

    /// <summary>Snapshot at any cut, restore, feed the rest: the same output in the same order and the same counters.</summary>
    [Fact]
    public void SnapshotAtAnyCutThenRestoreGivesTheUninterruptedOutput() =>
        PropertyRunner.Check(Arb.From(CaseGen), c => Cuts(c).Check(c, c.Cut, c.Steps.Length));

    private static SnapshotCuts<MultiStreamJoinOperator<int, Rec>, Collector> Cuts(Case c) => new(
        () => new Collector(), o => Create(c, o), (op, from, to) => Feed(op, c, from, to), op => op.OnWatermark(Instant.MaxValue),
        op => op.Snapshot(), (op, bytes) => op.Restore(bytes), o => o.Log, op => op.Counters);
}
