using System.Reactive.Concurrency;
using Cep.Joins.CoProcess;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessStateTests
{
    /// <summary>Input 1 writes Name into the value, list and map states; input 2 reads them all and emits what it sees.</summary>
    private static LambdaFunction ValueListMap(StateTtl? ttl)
    {
        IValueState<string> value = null!;
        IListState<string> list = null!;
        IMapState<string, int> map = null!;
        return new LambdaFunction
        {
            OnOpen = s =>
            {
                value = s.GetValueState(new ValueStateDescriptor<string>("value", ttl));
                list = s.GetListState(new ListStateDescriptor<string>("list", ttl));
                map = s.GetMapState(new MapStateDescriptor<string, int>("map", ttl));
            },
            First = (r, ctx) =>
            {
                value.Update(r.Name);
                list.Add(r.Name);
                map.TryGetValue(r.Name, out var n);
                map.Put(r.Name, n + 1);
            },
            Second = (r, ctx) =>
            {
                var v = value.TryGetValue(out var s) ? s : "-";
                var entries = string.Join(",", map.Entries().OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}"));
                ctx.Emit($"value={v} list=[{string.Join(",", list.Get())}] map=[{entries}]");
                if (r.Name == "clear")
                {
                    value.Clear();
                    list.Clear();
                    map.Clear();
                }
                else if (r.Name.StartsWith("remove:", StringComparison.Ordinal))
                {
                    map.Remove(r.Name[7..]);
                    list.Update(list.Get().Where(x => x != r.Name[7..]));
                }
            },
        };
    }

    [Fact]
    public void ValueListAndMapStateArePerKey()
    {
        var op = Operator(ValueListMap(null), out var output);
        op.OnInput1(new Rec("a", "x"), Ms(1));
        op.OnInput1(new Rec("a", "y"), Ms(2));
        op.OnInput1(new Rec("a", "x"), Ms(3));
        op.OnInput1(new Rec("b", "z"), Ms(3));
        op.OnInput2(new Rec("a", "remove:y"), Ms(4));
        op.OnInput2(new Rec("a", "clear"), Ms(5));
        op.OnInput2(new Rec("a", "?"), Ms(6));
        op.OnInput2(new Rec("b", "?"), Ms(7));
        Assert.Equal(
            [
                "value=x list=[x,y,x] map=[x:2,y:1]",
                "value=x list=[x,x] map=[x:2]",
                "value=- list=[] map=[]",
                "value=z list=[z] map=[z:1]",
            ],
            output.Outputs.Select(o => o.Value));
        Assert.Equal(1, op.Counters.Keys); // a was cleared and released; b still has state
        Assert.Equal(3, op.CountStateValues());
    }

    [Fact]
    public void EventTimeTtlNeverReturnsExpiredValuesAndCleansThemAtTheWatermark()
    {
        var op = Operator(ValueListMap(StateTtl.EventTime(Duration.FromMilliseconds(100))), out var output);
        op.OnInput1(new Rec("a", "old"), Ms(10)); // expires at 110
        op.OnInput1(new Rec("a", "new"), Ms(50)); // value rewritten: expires at 150; list and map keep "old" until 110
        op.Watermark(109);
        op.OnInput2(new Rec("a", "?"), Ms(200));
        op.Watermark(110);
        op.OnInput2(new Rec("a", "?"), Ms(201));
        op.Watermark(150);
        op.OnInput2(new Rec("a", "?"), Ms(202));
        Assert.Equal(
            [
                "value=new list=[old,new] map=[new:1,old:1]",
                "value=new list=[new] map=[new:1]",
                "value=- list=[] map=[]",
            ],
            output.Outputs.Select(o => o.Value));
        Assert.Equal(0, op.CountStateValues());
        Assert.Equal(0, op.Counters.Keys);
        Assert.Equal(5, op.Counters.ExpiredStateValues); // value (once rewritten), 2 list elements, 2 map entries
    }

    [Fact]
    public void ExpiredValuesAreHiddenBeforeTheyAreCleaned()
    {
        // The value is written at 10 with TTL 5 in a callback; the record at 20 on input 2 sees the watermark at 15 and
        // must not get the value, even though cleanup may not have run for it.
        IValueState<string> value = null!;
        var seen = new List<string>();
        var op = Operator(
            new LambdaFunction
            {
                OnOpen = s => value = s.GetValueState(new ValueStateDescriptor<string>("v", StateTtl.EventTime(Duration.FromMilliseconds(5)))),
                First = (r, ctx) => value.Update(r.Name),
                Second = (r, ctx) => seen.Add(value.TryGetValue(out var v) ? v : "-"),
            },
            out _);
        op.OnInput1(new Rec("a", "x"), Ms(10));
        op.OnInput2(new Rec("a", "?"), Ms(11));
        op.Watermark(15);
        op.OnInput2(new Rec("a", "?"), Ms(20));
        Assert.Equal(["x", "-"], seen);
    }

    [Fact]
    public void ProcessingTimeTtlUsesTheScheduler()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var op = Operator(
            ValueListMap(StateTtl.ProcessingTime(Duration.FromSeconds(10))),
            out var output,
            new KeyedCoProcessOptions<string> { Scheduler = scheduler });
        op.OnInput1(new Rec("a", "x"), Ms(1));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        op.OnInput1(new Rec("a", "y"), Ms(2));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5)); // x expires now
        op.OnInput2(new Rec("a", "?"), Ms(3));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5)); // y expires
        op.OnInput2(new Rec("a", "?"), Ms(4));
        Assert.Equal(["value=y list=[y] map=[y:1]", "value=- list=[] map=[]"], output.Outputs.Select(o => o.Value));
        op.Watermark(1000); // any operator call cleans what has expired
        Assert.Equal(0, op.CountStateValues());
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void StateWithEventTimeTtlStaysBoundedOverALongRun()
    {
        var op = Operator(ValueListMap(StateTtl.EventTime(Duration.FromMilliseconds(50))), out _);
        long max = 0;
        for (var t = 1; t <= 5_000; t++)
        {
            op.OnInput1(new Rec($"k{t % 37}", $"n{t % 11}"), Ms(t));
            op.Watermark(t);
            max = Math.Max(max, op.CountStateValues());
        }

        Assert.True(max <= 3 * 51, $"state grew to {max} values");
        op.OnWatermark1(Instant.MaxValue);
        op.OnWatermark2(Instant.MaxValue);
        Assert.Equal(0, op.CountStateValues());
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void StateOutsideACallbackThrows()
    {
        IValueState<string> value = null!;
        _ = Operator(new LambdaFunction { OnOpen = s => value = s.GetValueState(new ValueStateDescriptor<string>("v")) }, out _);
        Assert.Throws<InvalidOperationException>(() => value.Update("x"));
        Assert.Throws<InvalidOperationException>(() => value.TryGetValue(out _));
    }
}
