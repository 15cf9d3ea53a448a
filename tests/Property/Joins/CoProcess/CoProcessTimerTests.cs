using System.Reactive.Concurrency;
using Cep.Joins.CoProcess;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessTimerTests
{
    /// <summary>Each record registers an event-time timer at the time named by its Name; timers emit "key@time wm=...".</summary>
    private static LambdaFunction TimerAtName() => new()
    {
        First = (r, ctx) => ctx.TimerService.RegisterEventTimeTimer(Ms(long.Parse(r.Name))),
        Second = (r, ctx) => ctx.TimerService.DeleteEventTimeTimer(Ms(long.Parse(r.Name))),
        Timer = (t, ctx) => ctx.Emit($"{ctx.CurrentKey}@{t.ToUnixTimeMilliseconds()} wm={CollectingCoOutput<string, Rec, Rec, string>.Ms(ctx.CurrentWatermark)} {ctx.TimerDomain}"),
    };

    [Fact]
    public void TimersFireInTimestampOrderAcrossKeysWithTheWatermarkThatFiredThem()
    {
        var op = Operator(TimerAtName(), out var output);
        op.OnInput1(new Rec("b", "30"), Ms(1));
        op.OnInput1(new Rec("a", "20"), Ms(2));
        op.OnInput1(new Rec("c", "10"), Ms(3));
        op.OnInput1(new Rec("a", "40"), Ms(4));
        op.Watermark(35);
        Assert.Equal(["out c c@10 wm=35 EventTime @10", "out a a@20 wm=35 EventTime @20", "out b b@30 wm=35 EventTime @30"], output.Lines);
        op.Watermark(100);
        Assert.Equal("out a a@40 wm=100 EventTime @40", output.Lines[^1]);
        Assert.Equal(4, op.Counters.TimersFired);
        Assert.Equal(0, op.Counters.PendingEventTimers);
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void EqualTimesFireInRegistrationOrder()
    {
        var op = Operator(TimerAtName(), out var output);
        foreach (var key in new[] { "z", "m", "a" })
        {
            op.OnInput1(new Rec(key, "10"), Ms(1));
        }

        op.Watermark(10);
        Assert.Equal(["z", "m", "a"], output.Outputs.Select(o => o.Key));
    }

    [Fact]
    public void DuplicateRegistrationsCoalesceAndDeletingAMissingTimerIsANoOp()
    {
        var op = Operator(TimerAtName(), out var output);
        op.OnInput1(new Rec("a", "10"), Ms(1));
        op.OnInput1(new Rec("a", "10"), Ms(2));
        op.OnInput1(new Rec("a", "10"), Ms(3));
        op.OnInput2(new Rec("a", "99"), Ms(4)); // no timer at 99
        op.OnInput2(new Rec("b", "10"), Ms(5)); // b has no timer at 10
        Assert.Equal(1, op.Counters.PendingEventTimers);
        op.Watermark(50);
        Assert.Single(output.Outputs);
        Assert.Equal(1, op.Counters.TimersFired);
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void DeletedTimersDoNotFire()
    {
        var op = Operator(TimerAtName(), out var output);
        op.OnInput1(new Rec("a", "10"), Ms(1));
        op.OnInput1(new Rec("a", "20"), Ms(1));
        op.OnInput2(new Rec("a", "10"), Ms(2));
        op.Watermark(50);
        Assert.Equal(["out a a@20 wm=50 EventTime @20"], output.Lines);
    }

    [Fact]
    public void ATimerRegisteredInOnTimerAtOrBelowTheWatermarkFiresInTheSameAdvance()
    {
        var fired = new List<long>();
        var op = Operator(
            new LambdaFunction
            {
                First = (r, ctx) => ctx.TimerService.RegisterEventTimeTimer(Ms(10)),
                Timer = (t, ctx) =>
                {
                    fired.Add(t.ToUnixTimeMilliseconds());
                    if (t == Ms(10))
                    {
                        ctx.TimerService.RegisterEventTimeTimer(Ms(5)); // already passed: fires now
                        ctx.TimerService.RegisterEventTimeTimer(Ms(40)); // at the watermark: fires now
                        ctx.TimerService.RegisterEventTimeTimer(Ms(41)); // after it: waits
                    }
                },
            },
            out _);
        op.OnInput1(new Rec("a", "x"), Ms(1));
        op.Watermark(40);
        Assert.Equal([10L, 5, 40], fired);
        op.Watermark(41);
        Assert.Equal([10L, 5, 40, 41], fired);
    }

    [Fact]
    public void ATimerRegisteredByARecordAtOrBelowTheWatermarkFiresAtTheNextAdvance()
    {
        var op = Operator(TimerAtName(), out var output);
        op.Watermark(50);
        op.OnInput1(new Rec("a", "20"), Ms(60));
        Assert.Empty(output.Outputs);
        op.Watermark(51);
        Assert.Equal(["out a a@20 wm=51 EventTime @20"], output.Lines);
    }

    [Fact]
    public void TheOperatorWatermarkIsTheMinimumOfBothInputs()
    {
        var op = Operator(TimerAtName(), out var output);
        op.OnInput1(new Rec("a", "10"), Ms(1));
        op.OnWatermark1(Ms(100));
        Assert.Equal(Instant.MinValue, op.Watermark);
        Assert.Empty(output.Outputs);
        op.OnWatermark2(Ms(9));
        Assert.Equal(Ms(9), op.Watermark);
        Assert.Empty(output.Outputs);
        op.OnWatermark2(Ms(10));
        Assert.Equal(Ms(10), op.Watermark);
        Assert.Single(output.Outputs);
        op.OnWatermark2(Ms(5)); // never backwards
        Assert.Equal(Ms(10), op.Watermark);
    }

    [Fact]
    public void OnTimerSeesTheKeyThatRegisteredItAndItsState()
    {
        IValueState<string> state = null!;
        var op = Operator(
            new LambdaFunction
            {
                OnOpen = s => state = s.GetValueState(new ValueStateDescriptor<string>("v")),
                First = (r, ctx) =>
                {
                    state.Update(r.Name);
                    ctx.TimerService.RegisterEventTimeTimer(Ms(10));
                },
                Timer = (t, ctx) =>
                {
                    Assert.True(state.TryGetValue(out var v));
                    Assert.Equal(Ms(10), ctx.Timestamp);
                    ctx.Emit($"{ctx.CurrentKey}={v}");
                    state.Clear();
                },
            },
            out var output);
        op.OnInput1(new Rec("a", "A"), Ms(1));
        op.OnInput1(new Rec("b", "B"), Ms(1));
        op.Watermark(10);
        Assert.Equal(["a=A", "b=B"], output.Outputs.Select(o => o.Value));
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void ProcessingTimeTimersFireWhenTheSchedulerReachesThem()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var op = Operator(
            new LambdaFunction
            {
                First = (r, ctx) => ctx.TimerService.RegisterProcessingTimeTimer(ctx.TimerService.CurrentProcessingTime + Duration.FromSeconds(long.Parse(r.Name))),
                Second = (r, ctx) => ctx.TimerService.DeleteProcessingTimeTimer(Ms(long.Parse(r.Name))),
                Timer = (t, ctx) => ctx.Emit($"{ctx.CurrentKey}@{t.ToUnixTimeMilliseconds()} {ctx.TimerDomain} now={ctx.TimerService.CurrentProcessingTime.ToUnixTimeMilliseconds()}"),
            },
            out var output,
            new KeyedCoProcessOptions<string> { Scheduler = scheduler });
        op.OnInput1(new Rec("a", "5"), Ms(1));
        op.OnInput1(new Rec("b", "2"), Ms(1));
        op.OnInput1(new Rec("b", "2"), Ms(1)); // coalesces
        op.OnInput1(new Rec("c", "3"), Ms(1));
        op.OnInput2(new Rec("c", "3000"), Ms(1)); // deletes c's timer
        Assert.Equal(2, op.Counters.PendingProcessingTimers);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Empty(output.Outputs);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(["b@2000 ProcessingTime now=2000", "a@5000 ProcessingTime now=5000"], output.Outputs.Select(o => o.Value));
        Assert.Equal(0, op.Counters.Keys);
    }

    [Fact]
    public void ProcessingTimeWithoutASchedulerIsAnErrorOutput()
    {
        var op = Operator(new LambdaFunction { First = (r, ctx) => ctx.TimerService.RegisterProcessingTimeTimer(Ms(5)) }, out var output);
        op.OnInput1(new Rec("a", "x"), Ms(1));
        Assert.IsType<InvalidOperationException>(Assert.Single(output.Errors));
        Assert.Equal(1, op.Counters.RecordsFailed);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void AThrowingOnTimerGoesToTheErrorOutputAndTheTimerIsConsumed()
    {
        var op = Operator(
            new LambdaFunction
            {
                First = (r, ctx) => ctx.TimerService.RegisterEventTimeTimer(Ms(10)),
                Timer = (t, ctx) => throw new InvalidOperationException("boom"),
            },
            out var output);
        op.OnInput1(new Rec("a", "x"), Ms(1));
        op.Watermark(20);
        op.Watermark(30);
        Assert.Equal(["timer-error a EventTime @10: boom"], output.Lines);
        Assert.Equal(1, op.Counters.TimerFailures);
        Assert.Equal(0, op.Counters.Keys);
    }
}
