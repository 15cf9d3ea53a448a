using Cep.Joins.MultiStream;
using Cep.Joins.Window;
using Cep.State;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.MultiStream;

public sealed class MultiStreamJoinTests
{
    public sealed record Act(string User, string Item, string Id)
    {
        public override string ToString() => Id;
    }

    public sealed class Collector : IMultiStreamJoinOutput<(string, string), Act>
    {
        public List<JoinedRow<(string, string), Act>> Rows { get; } = [];

        public List<RejectedRecord<(string, string), Act>> Rejected { get; } = [];

        public void OnJoined(JoinedRow<(string, string), Act> row) => Rows.Add(row);

        public void OnRejected(RejectedRecord<(string, string), Act> record) => Rejected.Add(record);
    }

    private const int Click = 0, Read = 1, Like = 2, Share = 3;

    private static Instant Min(long minutes) => Instant.FromUnixTimeSeconds(minutes * 60);

    private static MultiStreamInput<(string, string), Act>[] Inputs() =>
        [.. new[] { "click", "read", "like", "share" }.Select(n => new MultiStreamInput<(string, string), Act>(n, a => (a.User, a.Item)))];

    private static (MultiStreamJoinOperator<(string, string), Act> Op, Collector Output) Create(MultiStreamJoinOptions<(string, string), Act>? options = null)
    {
        var output = new Collector();
        return (new MultiStreamJoinOperator<(string, string), Act>(Inputs(), WindowAssigner.Tumbling(Duration.FromMinutes(10)), output, options), output);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var window = WindowAssigner.Tumbling(Duration.FromMinutes(10));
        var output = new Collector();
        Assert.Throws<ArgumentNullException>("name", () => new MultiStreamInput<string, Act>(null!, a => a.User));
        Assert.Throws<ArgumentNullException>("keySelector", () => new MultiStreamInput<string, Act>("x", null!));
        Assert.Throws<ArgumentException>("name", () => new MultiStreamInput<string, Act>(" ", a => a.User));
        Assert.Throws<ArgumentNullException>("inputs", () => new MultiStreamJoinOperator<(string, string), Act>(null!, window, output));
        Assert.Throws<ArgumentNullException>("window", () => new MultiStreamJoinOperator<(string, string), Act>(Inputs(), null!, output));
        Assert.Throws<ArgumentNullException>("output", () => new MultiStreamJoinOperator<(string, string), Act>(Inputs(), window, null!));
        Assert.Throws<ArgumentException>("inputs", () => new MultiStreamJoinOperator<(string, string), Act>(Inputs()[..1], window, output));
        Assert.Throws<ArgumentNullException>("inputs", () => new MultiStreamJoinOperator<(string, string), Act>([Inputs()[0], null!], window, output));
        Assert.Throws<ArgumentException>("inputs", () => new MultiStreamJoinOperator<(string, string), Act>([Inputs()[0], Inputs()[0]], window, output));
        Assert.Throws<ArgumentException>("options", () => Create(new() { EmitWhenComplete = [] }));
        Assert.Throws<ArgumentException>("options", () => Create(new() { EmitWhenComplete = ["click", "buy"] }));
        var (op, _) = Create();
        Assert.Throws<ArgumentOutOfRangeException>("input", () => op.OnRecord(4, new("u", "i", "x"), Min(1)));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => op.OnWatermark(-1, Min(1)));
        Assert.Throws<ArgumentException>("name", () => op.IndexOf("buy"));
        Assert.Equal(Like, op.IndexOf("like"));
    }

    [Fact]
    public void OneRowPerKeyAndWindowWithWhicheverPartsArrivedAtClose()
    {
        var (op, output) = Create();
        op.OnRecord(Click, new("u1", "i1", "c1"), Min(1));
        op.OnRecord(Read, new("u1", "i1", "r1"), Min(3));
        op.OnRecord(Read, new("u1", "i1", "r2"), Min(2));
        op.OnRecord(Click, new("u1", "i2", "c2"), Min(4));
        op.OnRecord(Like, new("u1", "i1", "l1"), Min(12)); // next window
        for (var i = 0; i < 3; i++)
        {
            op.OnWatermark(i, Min(10));
        }

        Assert.Empty(output.Rows); // the share input holds the watermark back
        op.OnWatermark(Share, Min(10));
        Assert.Equal(
            ["Closed (u1, i1) [1970-01-01T00:00:00Z, 1970-01-01T00:10:00Z): click=[c1] read=[r1,r2] like=[] share=[]",
             "Closed (u1, i2) [1970-01-01T00:00:00Z, 1970-01-01T00:10:00Z): click=[c2] read=[] like=[] share=[]"],
            output.Rows.Select(r => r.ToString()));
        var row = output.Rows[0];
        Assert.True(row.Has(Read));
        Assert.False(row.Has(Share));
        Assert.True(row.TryGetLatest(Read, out var latest));
        Assert.Equal("r1", latest.Id); // minute 3 beats minute 2, whatever the arrival order
        Assert.False(row.TryGetLatest(Share, out _));
        Assert.Equal(["r1", "r2"], row.Records("read").Select(a => a.Id));
        Assert.Equal([Min(3), Min(2)], row.Timestamps(Read));
        Assert.Equal(Min(10) - Duration.FromTicks(1), row.Window.MaxTimestamp);
        Assert.Throws<ArgumentException>("input", () => row.Records("buy"));
        Assert.Equal(1, op.Counters.Windows);
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal("Closed (u1, i1) [1970-01-01T00:10:00Z, 1970-01-01T00:20:00Z): click=[] read=[] like=[l1] share=[]", output.Rows[2].ToString());
        Assert.Equal((0, 0, 0), (op.Counters.Windows, op.Counters.Keys, op.Counters.RecordsLive));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void EmitWhenCompleteEmitsEarlyThenAnUpdateAtCloseIfMoreArrived()
    {
        var (op, output) = Create(new() { EmitWhenComplete = ["click", "read"] });
        op.OnRecord(Click, new("u", "a", "c1"), Min(1));
        op.OnRecord(Like, new("u", "a", "l1"), Min(2));
        Assert.Empty(output.Rows);
        op.OnRecord(Read, new("u", "a", "r1"), Min(3));
        var early = Assert.Single(output.Rows);
        Assert.Equal("Complete (u, a) [1970-01-01T00:00:00Z, 1970-01-01T00:10:00Z): click=[c1] read=[r1] like=[l1] share=[]", early.ToString());
        op.OnRecord(Share, new("u", "a", "s1"), Min(4)); // after the early row: kept for the update

        op.OnRecord(Click, new("u", "b", "c2"), Min(1));
        op.OnRecord(Read, new("u", "b", "r2"), Min(1)); // complete, nothing after

        op.OnRecord(Click, new("u", "c", "c3"), Min(1)); // never complete
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(
            ["Complete (u, a)", "Complete (u, b)", "Update (u, a)", "Closed (u, c)"],
            output.Rows.Select(r => $"{r.Kind} {r.Key}"));
        Assert.Equal("click=[c1] read=[r1] like=[l1] share=[s1]", output.Rows[2].ToString().Split(": ")[1]);
        Assert.Equal(1, op.Counters.RecordsAfterEarlyEmit);
        Assert.Equal((2, 1, 1), (op.Counters.CompleteRowsEmitted, op.Counters.UpdateRowsEmitted, op.Counters.ClosedRowsEmitted));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void LateRecordsGoToTheRejectedOutputWithInputKeyAndReason()
    {
        var (op, output) = Create();
        op.OnRecord(Click, new("u", "a", "c1"), Min(1));
        op.OnWatermark(Min(10) - Duration.FromTicks(1));
        Assert.Single(output.Rows);
        op.OnRecord(Like, new("u", "a", "late"), Min(9));
        op.OnRecord(Share, new("u", "a", "behind-but-open"), Min(10)); // behind nothing: window [10, 20) is open
        var rejected = Assert.Single(output.Rejected);
        Assert.Equal((Like, ("u", "a"), RejectReason.Late, "late"), (rejected.Input, rejected.Key, rejected.Reason, rejected.Value.Id));
        Assert.Equal(Min(10) - Duration.FromTicks(1), rejected.Watermark);
        Assert.Equal(1, op.Counters.RecordsLate);
        Assert.Equal(1, op.Counters.RecordsInOf(Like));
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void FailingKeySelectorAndSentinelTimestampsAreRejected()
    {
        var output = new Collector();
        MultiStreamInput<(string, string), Act>[] inputs =
            [new("click", a => a.Id == "bad" ? throw new FormatException("no user") : (a.User, a.Item)), new("read", a => (a.User, a.Item))];
        var op = new MultiStreamJoinOperator<(string, string), Act>(inputs, WindowAssigner.Tumbling(Duration.FromMinutes(10)), output);
        op.OnRecord(0, new("u", "a", "bad"), Min(1));
        op.OnRecord(1, new("u", "a", "x"), Instant.MaxValue);
        Assert.Equal([RejectReason.KeySelectorFailed, RejectReason.InvalidTimestamp], output.Rejected.Select(r => r.Reason));
        Assert.IsType<FormatException>(output.Rejected[0].Error);
        Assert.Equal(2, op.Counters.RecordsFailed);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void SnapshotRestoresOpenWindowsAndRejectsForeignSnapshots()
    {
        var options = new MultiStreamJoinOptions<(string, string), Act> { EmitWhenComplete = ["click", "read"] };
        var (op, _) = Create(options);
        op.OnRecord(Click, new("u", "a", "c1"), Min(1));
        op.OnRecord(Read, new("u", "a", "r1"), Min(2));
        op.OnRecord(Like, new("u", "a", "l1"), Min(3));
        op.OnRecord(Share, new("u", "b", "s1"), Min(13));
        op.OnWatermark(Min(5));
        var bytes = op.Snapshot();

        var (restored, output) = Create(options);
        restored.Restore(bytes);
        Assert.Equal(bytes, restored.Snapshot());
        Assert.Equal(Min(5), restored.Watermark);
        Assert.Equal(op.Counters.ToString(), restored.Counters.ToString());
        Assert.Throws<InvalidOperationException>(() => restored.Restore(bytes));
        restored.OnWatermark(Instant.MaxValue);
        Assert.Equal(["Update (u, a)", "Closed (u, b)"], output.Rows.Select(r => $"{r.Kind} {r.Key}"));

        var (other, _) = Create();
        var error = Assert.Throws<SnapshotFormatException>(() => other.Restore(bytes));
        Assert.Contains("other settings", error.Message, StringComparison.Ordinal);
        Assert.Throws<SnapshotFormatException>(() => Create(options).Op.Restore(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void QuietInputsMarkedIdleLetWindowsClose()
    {
        var (op, output) = Create();
        op.OnRecord(Click, new("u", "a", "c1"), Min(1));
        op.OnWatermark(Click, Min(30));
        op.OnWatermark(Read, Min(30));
        Assert.Empty(output.Rows);
        op.SetIdle(Like, true);
        op.SetIdle(Share, true);
        Assert.Equal("Closed (u, a)", $"{Assert.Single(output.Rows).Kind} {output.Rows[0].Key}");
        Assert.Equal(Min(30), op.Watermark);
        Assert.Throws<ArgumentOutOfRangeException>("input", () => op.SetIdle(4, true));

        // A snapshot keeps the idle flags and the watermark.
        var (restored, _) = Create();
        restored.Restore(op.Snapshot());
        Assert.Equal(Min(30), restored.Watermark);
        restored.OnWatermark(Click, Min(40));
        restored.OnWatermark(Read, Min(40));
        Assert.Equal(Min(40), restored.Watermark);
    }
}
