using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.CoProcess;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessObservableTests
{
    /// <summary>Pairs a record of input 1 with the last record of input 2 when the watermark passes the input-1 record.</summary>
    private static LambdaFunction PairAtWatermark()
    {
        IValueState<string> last2 = null!;
        IListState<string> waiting = null!;
        return new LambdaFunction
        {
            OnOpen = s =>
            {
                last2 = s.GetValueState(new ValueStateDescriptor<string>("last2"));
                waiting = s.GetListState(new ListStateDescriptor<string>("waiting"));
            },
            First = (r, ctx) =>
            {
                if (r.Name == "throw")
                {
                    throw new InvalidOperationException("boom");
                }

                waiting.Add(r.Name);
                ctx.TimerService.RegisterEventTimeTimer(ctx.Timestamp);
            },
            Second = (r, ctx) => last2.Update(r.Name),
            Timer = (t, ctx) =>
            {
                foreach (var w in waiting.Get())
                {
                    ctx.Emit($"{w}+{(last2.TryGetValue(out var l) ? l : "none")}");
                }

                waiting.Clear();
            },
        };
    }

    [Fact]
    public void ConnectProcessRunsTheFunctionWithMinimumWatermarksAndFlushesAtCompletion()
    {
        var first = new Subject<(Rec Rec, long Ms)>();
        var second = new Subject<(Rec Rec, long Ms)>();
        var strategy = WatermarkStrategy.BoundedOutOfOrderness(Duration.Zero);
        var outputs = new List<CoProcessOutput<string, (Rec Rec, long Ms), (Rec Rec, long Ms), string>>();
        var completed = false;
        using var subscription = first.WithTimestamps(e => Ms(e.Ms), strategy)
            .Connect(second.WithTimestamps(e => Ms(e.Ms), strategy), e => e.Rec.Key, e => e.Rec.Key)
            .Process(() => new WrappedFunction(PairAtWatermark()))
            .Subscribe(outputs.Add, () => completed = true);

        first.OnNext((new Rec("a", "x"), 10));
        second.OnNext((new Rec("a", "p"), 5));
        Assert.Empty(outputs); // second's watermark is 5 - 1 tick: the timer at 10 waits
        second.OnNext((new Rec("a", "q"), 20));
        Assert.Empty(outputs); // first's watermark is 10 ms - 1 tick
        first.OnNext((new Rec("a", "z"), 15));
        Assert.Equal(["x+q", "z+q"], outputs.Select(o => o.Value)); // the timer at 10 pairs everything waiting
        second.OnNext((new Rec("a", "late"), 3));
        first.OnNext((new Rec("a", "throw"), 30));
        first.OnNext((new Rec("a", "y"), 40));
        first.OnCompleted();
        Assert.False(completed);
        second.OnCompleted();
        Assert.True(completed);
        Assert.Equal(
            [CoProcessOutputKind.Output, CoProcessOutputKind.Output, CoProcessOutputKind.Late2, CoProcessOutputKind.Error1, CoProcessOutputKind.Output],
            outputs.Select(o => o.Kind));
        Assert.Equal("y+q", outputs[^1].Value);
        Assert.Equal(Ms(40), outputs[^1].Timestamp);
        Assert.Equal("boom", outputs[3].Error!.Message);
    }

    [Fact]
    public void AThrowingTimestampSelectorGivesAnErrorOutputAndKeepsTheBalance()
    {
        var first = new Subject<int>();
        var second = new Subject<int>();
        var strategy = WatermarkStrategy.BoundedOutOfOrderness(Duration.Zero);
        var outputs = new List<CoProcessOutput<int, int, int, string>>();
        using var subscription = first.WithTimestamps(i => i < 0 ? throw new FormatException("no time") : Ms(i), strategy)
            .Connect(second.WithTimestamps(i => Ms(i), strategy), i => i % 2, i => i % 2)
            .Process(new CountingFunction())
            .Subscribe(outputs.Add);
        first.OnNext(-1);
        first.OnNext(4);
        second.OnNext(6);
        first.OnCompleted();
        second.OnCompleted();
        Assert.Equal([CoProcessOutputKind.Error1, CoProcessOutputKind.Output, CoProcessOutputKind.Output], outputs.Select(o => o.Kind));
        Assert.Equal(-1, outputs[0].Record1);
        Assert.Equal(0, outputs[0].Key);
        Assert.IsType<FormatException>(outputs[0].Error);
        Assert.Equal(["1:4", "2:6"], outputs.Skip(1).Select(o => o.Value));
    }

    [Fact]
    public void ConnectChecksItsArguments()
    {
        var s = Observable.Never<int>().WithTimestamps(i => Ms(i), WatermarkStrategy.BoundedOutOfOrderness(Duration.Zero));
        var idle = Observable.Never<int>().WithTimestamps(i => Ms(i), WatermarkStrategy.BoundedOutOfOrderness(Duration.Zero).WithIdleness(Duration.FromSeconds(1)), new HistoricalScheduler());
        var processing = Observable.Never<int>().InProcessingTime(new HistoricalScheduler());
        Assert.Throws<ArgumentNullException>(() => JoinObservable.Connect<int, int, int>(null!, s, i => i, i => i));
        Assert.Throws<ArgumentNullException>(() => s.Connect<int, int, int>(null!, i => i, i => i));
        Assert.Throws<ArgumentNullException>(() => s.Connect<int, int, int>(s, null!, i => i));
        Assert.Throws<ArgumentNullException>(() => s.Connect<int, int, int>(s, i => i, null!));
        Assert.Throws<ArgumentException>(() => s.Connect(processing, i => i, i => i));
        Assert.Throws<ArgumentException>(() => idle.Connect(s, i => i, i => i));
        Assert.Throws<ArgumentNullException>(() => s.Connect(s, i => i, i => i).Process<string>((Func<KeyedCoProcessFunction<int, int, int, string>>)null!));
        Assert.Throws<ArgumentNullException>(() => s.Connect(s, i => i, i => i).Process<string>((KeyedCoProcessFunction<int, int, int, string>)null!));
    }

    private sealed class CountingFunction : KeyedCoProcessFunction<int, int, int, string>
    {
        public override void ProcessElement1(int value, ICoProcessContext<int, string> context) => context.Emit($"1:{value}");

        public override void ProcessElement2(int value, ICoProcessContext<int, string> context) => context.Emit($"2:{value}");
    }

    /// <summary>Adapts the string-keyed test function to records carrying their time.</summary>
    private sealed class WrappedFunction(LambdaFunction inner) : KeyedCoProcessFunction<string, (Rec Rec, long Ms), (Rec Rec, long Ms), string>
    {
        public override void Open(IKeyedStateRegistry state) => inner.Open(state);

        public override void ProcessElement1((Rec Rec, long Ms) value, ICoProcessContext<string, string> context) => inner.ProcessElement1(value.Rec, context);

        public override void ProcessElement2((Rec Rec, long Ms) value, ICoProcessContext<string, string> context) => inner.ProcessElement2(value.Rec, context);

        public override void OnTimer(Instant timestamp, ICoProcessContext<string, string> context) => inner.OnTimer(timestamp, context);
    }
}
