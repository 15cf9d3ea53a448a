using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Lookup;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup.Reactive;

/// <summary>A record of the observable tests: an id, a lookup key (negative: the key selector throws) and a timestamp in
/// milliseconds (negative: the timestamp selector throws).</summary>
public sealed record Click(int Id, int Key, long Ms);

/// <summary>One input of a run: a record, or virtual time passing.</summary>
public sealed record FaceInput(Click? Record, int AdvanceMs);

/// <summary>
/// Runs a generated <see cref="LookupScenario"/> through the observable face, and through an operator driven directly
/// with the calls the face promises to make: each record with its timestamp, each watermark the strategy gives, and at
/// the end a final watermark and a flush; between inputs the direct driver polls after every millisecond of virtual time.
/// </summary>
public static class LookupFaceRun
{
    public static readonly WatermarkStrategy Strategy = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromMilliseconds(3));

    public static Instant TimestampOf(Click c) => c.Ms >= 0 ? LookupHarness.Ms(c.Ms) : throw new FormatException($"click {c.Id} has no time");

    public static int KeyOf(Click c) => c.Key >= 0 ? c.Key : throw new ArgumentException($"click {c.Id} has no key");

    /// <summary>The scenario's steps as inputs: watermark steps move the timestamps on; with faults, every ninth record
    /// has no timestamp.</summary>
    public static List<FaceInput> Inputs(LookupScenario s)
    {
        var inputs = new List<FaceInput>();
        var id = 0;
        var at = 0L;
        foreach (var step in s.Steps)
        {
            switch (step.Kind)
            {
                case 0:
                    var ms = s.Faults && id % 9 == 8 ? -1 : at + (id * 7 % 5);
                    inputs.Add(new FaceInput(new Click(id++, step.Arg, ms), 0));
                    break;
                case 1:
                    at += step.Arg;
                    break;
                default:
                    inputs.Add(new FaceInput(null, step.Arg));
                    break;
            }
        }

        return inputs;
    }

    /// <summary>Runs the inputs through <c>AsyncLookup</c>, then completes the input and advances time until the sequence ends.</summary>
    public static RecordingObserver<LookupOutput<Click, string>> Face(LookupScenario s, List<FaceInput> inputs, out FakeLookupSource source)
    {
        var h = s.NewHarness(DateTimeOffset.UnixEpoch);
        source = h.Source;
        var subject = new Subject<Click>();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        using var subscription = subject.WithTimestamps(TimestampOf, Strategy).AsyncLookup(h.Source, KeyOf, h.Options).Subscribe(observer);
        foreach (var input in inputs)
        {
            if (input.Record is { } record)
            {
                subject.OnNext(record);
            }
            else
            {
                h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(input.AdvanceMs));
            }
        }

        subject.OnCompleted();
        for (var i = 0; !observer.Terminated; i++)
        {
            Assert.True(i < 100_000, "the sequence did not end");
            h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        }

        return observer;
    }

    /// <summary>Drives an operator directly with the calls the face makes; every record call must complete at once (no
    /// waiting for room).</summary>
    public static List<LookupOutput<Click, string>> Direct(LookupScenario s, List<FaceInput> inputs)
    {
        var h = s.NewHarness(DateTimeOffset.UnixEpoch);
        var output = new Collector();
        var op = new AsyncLookupOperator<Click, int, string>(h.Source, KeyOf, output, h.Options);
        var generator = Strategy.CreateGenerator();
        foreach (var input in inputs)
        {
            if (input.Record is not { } record)
            {
                for (var ms = 0; ms < input.AdvanceMs; ms++)
                {
                    h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
                    Done(op.PollAsync());
                }

                continue;
            }

            Instant timestamp;
            try
            {
                timestamp = TimestampOf(record);
            }
            catch (FormatException error)
            {
                output.Outputs.Add(new() { Kind = LookupOutputKind.Error, Record = record, Timestamp = Instant.MinValue, Error = error });
                continue;
            }

            Done(op.OnRecordAsync(record, timestamp));
            if (generator.OnEvent(timestamp))
            {
                Done(op.OnWatermarkAsync(generator.CurrentWatermark));
            }
        }

        Done(op.OnWatermarkAsync(Instant.MaxValue));
        h.Run(op.FlushAsync());
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
        return output.Outputs;
    }

    public static List<string> Describe(IEnumerable<LookupOutput<Click, string>> outputs) =>
        [.. outputs.Select(o => $"{o.Kind} #{o.Record?.Id} {o.Timestamp} {o.Value} {o.FailureReason} {o.RejectReason} {o.Error?.GetType().Name}:{o.Error?.Message}")];

    private static void Done(ValueTask task)
    {
        Assert.True(task.IsCompleted, "a call of the directly driven operator waited");
        task.GetAwaiter().GetResult();
    }

    private sealed class Collector : ILookupOutput<Click, string>
    {
        public List<LookupOutput<Click, string>> Outputs { get; } = [];

        public void OnJoined(Click record, Instant timestamp, string value) =>
            Outputs.Add(new() { Kind = LookupOutputKind.Joined, Record = record, Timestamp = timestamp, Value = value });

        public void OnMiss(Click record, Instant timestamp) =>
            Outputs.Add(new() { Kind = LookupOutputKind.Missed, Record = record, Timestamp = timestamp });

        public void OnFailed(Click record, Instant timestamp, LookupFailureReason reason, Exception error) =>
            Outputs.Add(new() { Kind = LookupOutputKind.Failed, Record = record, Timestamp = timestamp, FailureReason = reason, Error = error });

        public void OnRejected(Click record, Instant timestamp, LookupRejectReason reason) =>
            Outputs.Add(new() { Kind = LookupOutputKind.Rejected, Record = record, Timestamp = timestamp, RejectReason = reason });

        public void OnWatermark(Instant watermark) =>
            Outputs.Add(new() { Kind = LookupOutputKind.Watermark, Timestamp = watermark });
    }
}
