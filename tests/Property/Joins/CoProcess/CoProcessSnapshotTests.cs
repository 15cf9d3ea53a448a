using System.Reactive.Concurrency;
using Cep.Joins.CoProcess;
using Cep.State;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessSnapshotTests
{
    /// <summary>
    /// Input 1 adds to list, map and value states with an event-time TTL and registers an event-time timer 10 ms later;
    /// input 2 registers a processing-time timer 3 s ahead; timers emit what the key's state holds.
    /// </summary>
    private static LambdaFunction Function()
    {
        IValueState<string> value = null!;
        IListState<string> list = null!;
        IMapState<string, long> map = null!;
        string Describe() => $"v={(value.TryGetValue(out var v) ? v : "-")} l=[{string.Join(",", list.Get())}] " +
                             $"m=[{string.Join(",", map.Entries().OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}"))}]";
        return new LambdaFunction
        {
            OnOpen = s =>
            {
                var ttl = StateTtl.EventTime(Duration.FromMilliseconds(25));
                value = s.GetValueState(new ValueStateDescriptor<string>("value", ttl));
                list = s.GetListState(new ListStateDescriptor<string>("list", ttl));
                map = s.GetMapState(new MapStateDescriptor<string, long>("map"));
            },
            First = (r, ctx) =>
            {
                value.Update(r.Name);
                list.Add(r.Name);
                map.Put(r.Name, ctx.Timestamp.ToUnixTimeMilliseconds());
                ctx.TimerService.RegisterEventTimeTimer(ctx.Timestamp + Duration.FromMilliseconds(10));
            },
            Second = (r, ctx) => ctx.TimerService.RegisterProcessingTimeTimer(ctx.TimerService.CurrentProcessingTime + Duration.FromSeconds(3)),
            Timer = (t, ctx) =>
            {
                ctx.Emit($"{ctx.TimerDomain} {Describe()}");
                if (ctx.TimerDomain == TimeDomain.ProcessingTime)
                {
                    map.Clear();
                }
            },
        };
    }

    private static readonly string[] Script =
    [
        "1 a x 5", "1 b y 6", "2 a - 7", "w 8", "1 a z 12", "t 1", "w 16", "2 b - 20", "1 b q 21", "t 2", "w 30",
        "1 a r 31", "t 1", "w1 45", "1 c s 46", "w2 50", "t 3", "w 60", "1 a u 61", "2 c - 62", "2 a - 63", "w max", "t 5",
    ];

    private static void Step(KeyedCoProcessOperator<string, Rec, Rec, string> op, HistoricalScheduler scheduler, string step)
    {
        var p = step.Split(' ');
        Instant W(string s) => s == "max" ? Instant.MaxValue : Ms(long.Parse(s));
        switch (p[0])
        {
            case "1": op.OnInput1(new Rec(p[1], p[2]), Ms(long.Parse(p[3]))); break;
            case "2": op.OnInput2(new Rec(p[1], p[2]), Ms(long.Parse(p[3]))); break;
            case "w": op.OnWatermark1(W(p[1])); op.OnWatermark2(W(p[1])); break;
            case "w1": op.OnWatermark1(W(p[1])); break;
            case "w2": op.OnWatermark2(W(p[1])); break;
            case "t": scheduler.AdvanceBy(TimeSpan.FromSeconds(int.Parse(p[1]))); break;
        }
    }

    private static (KeyedCoProcessOperator<string, Rec, Rec, string> Op, CollectingCoOutput<string, Rec, Rec, string> Out, HistoricalScheduler Scheduler) Fresh(DateTimeOffset now)
    {
        var scheduler = new HistoricalScheduler(now);
        var op = Operator(Function(), out var output, new KeyedCoProcessOptions<string> { Scheduler = scheduler });
        return (op, output, scheduler);
    }

    [Fact]
    public void SnapshotAtEveryCutThenRestoreGivesTheUninterruptedOutput()
    {
        var (op, output, scheduler) = Fresh(DateTimeOffset.UnixEpoch);
        foreach (var step in Script)
        {
            Step(op, scheduler, step);
        }

        var expected = output.Lines;
        Assert.Contains(expected, l => l.Contains("ProcessingTime", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.Contains("EventTime v=-", StringComparison.Ordinal)); // TTL hid a value
        Assert.Equal(0, op.Counters.Keys);

        for (var cut = 0; cut <= Script.Length; cut++)
        {
            var (before, beforeOut, beforeScheduler) = Fresh(DateTimeOffset.UnixEpoch);
            for (var i = 0; i < cut; i++)
            {
                Step(before, beforeScheduler, Script[i]);
            }

            var bytes = before.Snapshot();
            var (after, afterOut, afterScheduler) = Fresh(beforeScheduler.Now);
            after.Restore(bytes);
            Assert.Equal(before.CountStateValues(), after.CountStateValues());
            Assert.Equal(before.Counters.ToString(), after.Counters.ToString());
            for (var i = cut; i < Script.Length; i++)
            {
                Step(after, afterScheduler, Script[i]);
            }

            Assert.Equal(expected, [.. beforeOut.Lines, .. afterOut.Lines]);
            Assert.Equal(op.Counters.ToString(), after.Counters.ToString());
            Assert.True(after.Counters.Balanced);
        }
    }

    [Fact]
    public void RestoreRejectsBadInput()
    {
        var (op, _, scheduler) = Fresh(DateTimeOffset.UnixEpoch);
        Step(op, scheduler, "1 a x 5");
        var bytes = op.Snapshot();

        Assert.Throws<InvalidOperationException>(() => op.Restore(bytes));
        Assert.Throws<SnapshotFormatException>(() => Fresh(DateTimeOffset.UnixEpoch).Op.Restore("not a snapshot"u8));
        var corrupt = (byte[])bytes.Clone();
        corrupt[^12] ^= 0xFF;
        Assert.Throws<SnapshotFormatException>(() => Fresh(DateTimeOffset.UnixEpoch).Op.Restore(corrupt));
        Assert.Throws<SnapshotFormatException>(() => Fresh(DateTimeOffset.UnixEpoch).Op.Restore(bytes.AsSpan(0, bytes.Length - 1)));

        var other = Operator(new LambdaFunction { OnOpen = s => s.GetValueState(new ValueStateDescriptor<int>("other")) }, out _);
        var error = Assert.Throws<SnapshotFormatException>(() => other.Restore(bytes));
        Assert.Contains("other states", error.Message, StringComparison.Ordinal);

        var restored = Fresh(DateTimeOffset.UnixEpoch).Op;
        restored.Restore(bytes);
        Assert.Throws<InvalidOperationException>(() => restored.Restore(bytes));
    }
}
