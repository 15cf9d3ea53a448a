using System.Buffers;
using System.Reactive.Concurrency;
using System.Text;
using Cep.Joins.CoProcess;
using Cep.State;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

public sealed class CoProcessSerializerTests
{
    /// <summary>Writes strings upper-cased with a marker, and counts its calls, to prove it is the one used.</summary>
    private sealed class ShoutingSerializer : IStateSerializer<string>
    {
        public int Writes;
        public int Reads;

        public void Write(IBufferWriter<byte> destination, string value)
        {
            Writes++;
            destination.Write(Encoding.UTF8.GetBytes("!" + value));
        }

        public string Read(ReadOnlySpan<byte> source)
        {
            Reads++;
            var s = Encoding.UTF8.GetString(source);
            return s.StartsWith('!') ? s[1..] : throw new FormatException("no marker");
        }
    }

    [Fact]
    public void SnapshotsUseTheDescriptorsAndTheOptionsSerializers()
    {
        var keys = new ShoutingSerializer();
        var values = new ShoutingSerializer();
        IValueState<string> value = null!;
        LambdaFunction Function() => new()
        {
            OnOpen = s => value = s.GetValueState(new ValueStateDescriptor<string>("v", serializer: values)),
            First = (r, ctx) => value.Update(r.Name),
            Second = (r, ctx) => ctx.Emit(value.TryGetValue(out var v) ? v : "-"),
        };

        var op = Operator(Function(), out _, new KeyedCoProcessOptions<string> { KeySerializer = keys });
        op.OnInput1(new Rec("a", "x"), Ms(1));
        op.OnInput1(new Rec("b", "y"), Ms(1));
        var bytes = op.Snapshot();
        Assert.Equal(2, keys.Writes);
        Assert.Equal(2, values.Writes);

        var restored = Operator(Function(), out var output, new KeyedCoProcessOptions<string> { KeySerializer = keys });
        restored.Restore(bytes);
        restored.OnInput2(new Rec("a", "?"), Ms(2));
        restored.OnInput2(new Rec("b", "?"), Ms(2));
        Assert.Equal(["x", "y"], output.Outputs.Select(o => o.Value));
        Assert.Equal(2, keys.Reads);
        Assert.Equal(2, values.Reads);

        // The default serializer cannot read what the custom one wrote: a format error naming the value, nothing restored.
        var plain = Operator(Function(), out _);
        var error = Assert.Throws<SnapshotFormatException>(() => plain.Restore(bytes));
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, plain.Counters.Keys);
    }

    [Fact]
    public void ProcessingTimeTimersDueBeforeARestoreFireAtTheSchedulersNextRun()
    {
        LambdaFunction Function() => new()
        {
            First = (r, ctx) => ctx.TimerService.RegisterProcessingTimeTimer(Ms(3_000)),
            Timer = (t, ctx) => ctx.Emit($"{ctx.CurrentKey}@{t.ToUnixTimeMilliseconds()} now={ctx.TimerService.CurrentProcessingTime.ToUnixTimeMilliseconds()}"),
        };
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var op = Operator(Function(), out _, new KeyedCoProcessOptions<string> { Scheduler = scheduler });
        op.OnInput1(new Rec("a", "x"), Ms(1));
        var bytes = op.Snapshot();

        var later = new HistoricalScheduler(DateTimeOffset.UnixEpoch.AddSeconds(10));
        var restored = Operator(Function(), out var output, new KeyedCoProcessOptions<string> { Scheduler = later });
        restored.Restore(bytes);
        Assert.Equal(1, restored.Counters.PendingProcessingTimers);
        later.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["a@3000 now=10000"], output.Outputs.Select(o => o.Value));
        Assert.Equal(0, restored.Counters.Keys);
    }
}
