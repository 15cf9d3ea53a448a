using Cep.Joins.Window;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Window;

/// <summary>The test vectors of Flink's CoGroupJoinITCase: tumbling 3 ms windows, punctuated watermarks at ts − 1.</summary>
public sealed class CoGroupJoinITCaseTests
{
    public sealed record T3(string Key, string Value, long Ts)
    {
        public override string ToString() => $"({Key},{Value},{Ts})";
    }

    public sealed record T2(string Key, long Ts)
    {
        public override string ToString() => $"({Key},{Ts})";
    }

    private static readonly T3[] Left =
    [
        new("a", "x", 0), new("a", "y", 1), new("a", "z", 2), new("b", "u", 3), new("b", "w", 5),
        new("a", "i", 6), new("a", "j", 7), new("a", "k", 8),
    ];

    private static readonly T3[] Right =
    [
        new("a", "u", 0), new("a", "w", 1), new("b", "i", 3), new("b", "k", 5), new("a", "x", 6), new("a", "z", 8),
    ];

    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static void Run<TL, TR>(WindowJoinOperator<string, TL, TR> op, IEnumerable<(TL V, long Ts)> left, IEnumerable<(TR V, long Ts)> right)
    {
        foreach (var (v, ts) in left)
        {
            op.OnLeft(v, Ms(ts));
            op.OnLeftWatermark(Ms(ts - 1));
        }

        foreach (var (v, ts) in right)
        {
            op.OnRight(v, Ms(ts));
            op.OnRightWatermark(Ms(ts - 1));
        }

        op.OnWatermark(Instant.MaxValue);
    }

    [Fact]
    public void TumblingJoinGivesSixteenPairs()
    {
        var output = new JoinCollector<string, T3, T3>();
        var op = new WindowJoinOperator<string, T3, T3>(WindowAssigner.Tumbling(Duration.FromMilliseconds(3)), l => l.Key, r => r.Key, output);
        Run(op, Left.Select(e => (e, e.Ts)), Right.Select(e => (e, e.Ts)));

        var expected = new List<string>
        {
            "(a,x,0):(a,u,0)", "(a,x,0):(a,w,1)", "(a,y,1):(a,u,0)", "(a,y,1):(a,w,1)", "(a,z,2):(a,u,0)", "(a,z,2):(a,w,1)",
            "(b,u,3):(b,i,3)", "(b,u,3):(b,k,5)", "(b,w,5):(b,i,3)", "(b,w,5):(b,k,5)",
            "(a,i,6):(a,x,6)", "(a,i,6):(a,z,8)", "(a,j,7):(a,x,6)", "(a,j,7):(a,z,8)", "(a,k,8):(a,x,6)", "(a,k,8):(a,z,8)",
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), output.Pairs.Select(p => $"{p.Left}:{p.Right}").Order(StringComparer.Ordinal));
        Assert.All(output.Pairs, p => Assert.True(p.Window.Contains(Ms(p.Left.Ts)) && p.Window.Contains(Ms(p.Right.Ts))));
        Assert.All(output.Pairs, p => Assert.Equal(p.Window.End - Duration.FromTicks(1), p.Window.MaxTimestamp));
        Assert.Equal(16, op.Counters.PairsEmitted);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
        Assert.Equal(0, op.Counters.Keys);
        Assert.Equal(0, op.Counters.WindowEntriesLive);
    }

    [Fact]
    public void SelfJoinGivesTwentyTwoPairs()
    {
        var output = new JoinCollector<string, T3, T3>();
        var op = new WindowJoinOperator<string, T3, T3>(WindowAssigner.Tumbling(Duration.FromMilliseconds(3)), l => l.Key, r => r.Key, output);
        Run(op, Left.Select(e => (e, e.Ts)), Left.Select(e => (e, e.Ts)));

        Assert.Equal(22, output.Pairs.Count);
        var byWindow = output.Pairs.GroupBy(p => (p.Key, p.Window.Start)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(9, byWindow[("a", Ms(0))]);
        Assert.Equal(4, byWindow[("b", Ms(3))]);
        Assert.Equal(9, byWindow[("a", Ms(6))]);
    }

    [Fact]
    public void CoGroupSeesOneSidedWindows()
    {
        T2[] first = [new("a", 0), new("a", 1), new("a", 2), new("b", 3), new("b", 4), new("b", 5), new("a", 6), new("a", 7), new("a", 8)];
        T2[] second = [new("a", 0), new("a", 1), new("b", 3), new("c", 6), new("c", 7), new("c", 8)];
        var output = new JoinCollector<string, T2, T2>();
        var options = new WindowJoinOptions<string, T2, T2> { Mode = WindowJoinMode.CoGroup };
        var op = new WindowJoinOperator<string, T2, T2>(WindowAssigner.Tumbling(Duration.FromMilliseconds(3)), l => l.Key, r => r.Key, output, options);
        Run(op, first.Select(e => (e, e.Ts)), second.Select(e => (e, e.Ts)));

        var groups = output.CoGroups.Select(g => $"F:{string.Join("", g.Left)} S:{string.Join("", g.Right)}").Order(StringComparer.Ordinal);
        Assert.Equal(
            new[] { "F: S:(c,6)(c,7)(c,8)", "F:(a,0)(a,1)(a,2) S:(a,0)(a,1)", "F:(a,6)(a,7)(a,8) S:", "F:(b,3)(b,4)(b,5) S:(b,3)" }.Order(StringComparer.Ordinal),
            groups);
        Assert.All(output.CoGroups, g => Assert.Equal(1, g.Firing));
        Assert.Equal(0, op.Counters.PairsEmitted);
        Assert.Equal(4, op.Counters.CoGroupsEmitted);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void InnerJoinOfOneSidedWindowsEmitsNothing()
    {
        var output = new JoinCollector<string, T2, T2>();
        var op = new WindowJoinOperator<string, T2, T2>(WindowAssigner.Tumbling(Duration.FromMilliseconds(3)), l => l.Key, r => r.Key, output);
        op.OnLeft(new("a", 6), Ms(6));
        op.OnRight(new("c", 6), Ms(6));
        op.OnWatermark(Instant.MaxValue);
        Assert.Empty(output.Pairs);
        Assert.Equal(2, op.Counters.Firings);
        Assert.True(op.Counters.Balanced);
    }
}
