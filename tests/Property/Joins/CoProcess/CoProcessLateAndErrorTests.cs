using Cep.Joins.CoProcess;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessLateAndErrorTests
{
    private static LambdaFunction Echo() => new()
    {
        First = (r, ctx) => ctx.Emit($"1:{r.Name}"),
        Second = (r, ctx) =>
        {
            if (r.Name == "throw")
            {
                ctx.Emit("before-throw");
                throw new FormatException("bad record");
            }

            if (r.Name == "side")
            {
                ctx.EmitSide("audit", "2:side");
                return;
            }

            ctx.Emit($"2:{r.Name}");
        },
    };

    [Fact]
    public void ARecordAtOrBelowItsInputsWatermarkGoesToTheLateOutputAndNotToTheFunction()
    {
        var op = Operator(Echo(), out var output);
        op.OnWatermark1(Ms(100));
        op.OnWatermark2(Ms(10));
        op.OnInput1(new Rec("a", "at"), Ms(100));  // late for input 1
        op.OnInput1(new Rec("a", "on-time"), Ms(101));
        op.OnInput2(new Rec("a", "behind-1"), Ms(50)); // input 2's own watermark is 10: on time
        op.OnInput2(new Rec("a", "below"), Ms(10));  // late for input 2
        Assert.Equal(
            [
                "late1 a Rec { Key = a, Name = at } @100 wm=100",
                "out a 1:on-time @101",
                "out a 2:behind-1 @50",
                "late2 a Rec { Key = a, Name = below } @10 wm=10",
            ],
            output.Lines);
        Assert.Equal(2, op.Counters.RecordsLate);
        Assert.Equal(2, op.Counters.RecordsProcessed);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void UserExceptionsGoToTheErrorOutputWithTheRecordAndNeverEscape()
    {
        var output = new CollectingCoOutput<string, Rec, Rec, string>();
        var op = new KeyedCoProcessOperator<string, Rec, Rec, string>(
            r => r.Key == "bad-key" ? throw new ArgumentException("no key") : r.Key, r => r.Key, Echo(), output);
        op.OnInput1(new Rec("bad-key", "x"), Ms(1));
        op.OnInput2(new Rec("a", "throw"), Ms(2));
        op.OnInput2(new Rec("a", "side"), Ms(3));
        op.OnInput2(new Rec("a", "ok"), Ms(4));
        Assert.Equal(
            [
                "error1  Rec { Key = bad-key, Name = x } @1: no key",
                "out a before-throw @2",
                "error2 a Rec { Key = a, Name = throw } @2: bad record",
                "side[audit] a 2:side @3",
                "out a 2:ok @4",
            ],
            output.Lines);
        Assert.Equal(2, op.Counters.RecordsFailed);
        Assert.Equal(2, op.Counters.RecordsProcessed);
        Assert.Equal(1, op.Counters.SideOutputs);
        Assert.Equal(2, op.Counters.Outputs);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ConstructorArgumentsAreChecked()
    {
        var output = new CollectingCoOutput<string, Rec, Rec, string>();
        var f = new LambdaFunction();
        Assert.Throws<ArgumentNullException>(() => new KeyedCoProcessOperator<string, Rec, Rec, string>(null!, r => r.Key, f, output));
        Assert.Throws<ArgumentNullException>(() => new KeyedCoProcessOperator<string, Rec, Rec, string>(r => r.Key, null!, f, output));
        Assert.Throws<ArgumentNullException>(() => new KeyedCoProcessOperator<string, Rec, Rec, string>(r => r.Key, r => r.Key, null!, output));
        Assert.Throws<ArgumentNullException>(() => new KeyedCoProcessOperator<string, Rec, Rec, string>(r => r.Key, r => r.Key, f, null!));
        Assert.Throws<ArgumentNullException>(() => new KeyedCoProcessOptions<string>().KeySerializer = null!);
    }

    [Fact]
    public void StateDeclarationsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => Operator(
            new LambdaFunction
            {
                OnOpen = s =>
                {
                    s.GetValueState(new ValueStateDescriptor<int>("x"));
                    s.GetListState(new ListStateDescriptor<int>("x"));
                },
            },
            out _));
        Assert.Throws<InvalidOperationException>(() => Operator(
            new LambdaFunction { OnOpen = s => s.GetValueState(new ValueStateDescriptor<int>("x", StateTtl.ProcessingTime(Duration.FromSeconds(1)))) },
            out _));
        Assert.Throws<ArgumentNullException>(() => Operator(new LambdaFunction { OnOpen = s => s.GetMapState<int, int>(null!) }, out _));
        Assert.ThrowsAny<ArgumentException>(() => new ValueStateDescriptor<int>(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => StateTtl.EventTime(Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => StateTtl.ProcessingTime(Duration.FromSeconds(-1)));

        IKeyedStateRegistry registry = null!;
        _ = Operator(new LambdaFunction { OnOpen = s => registry = s }, out _);
        Assert.Throws<InvalidOperationException>(() => registry.GetValueState(new ValueStateDescriptor<int>("late")));
    }

    [Fact]
    public void SideOutputTagsMustNotBeEmpty()
    {
        var op = Operator(new LambdaFunction { First = (r, ctx) => ctx.EmitSide("", "x") }, out var output);
        op.OnInput1(new Rec("a", "x"), Ms(1));
        Assert.IsAssignableFrom<ArgumentException>(Assert.Single(output.Errors));
    }
}
