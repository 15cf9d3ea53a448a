using Cep.Joins.Lookup;
using Cep.Time;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup.Reactive;

/// <summary>
/// The observable face of the async lookup against the operator driven directly, and against the store's oracle when the
/// operator must wait for room (which the face buffers).
/// </summary>
public sealed class AsyncLookupObservableProperties
{
    private static Config Config => Config.QuickThrowOnFailure.WithMaxTest(LookupScenario.Cases);

    /// <summary>
    /// For generated stores (found, missing, failing and too slow keys, delays), options (order, capacity, reject mode,
    /// batching, linger, cache) and inputs (records with keys the key selector or the timestamp selector fails on, time
    /// passing), the face sends exactly the outputs, in exactly the order, of an operator driven directly with the calls it
    /// promises (records, the strategy's watermarks, a final watermark and a flush), then completes; its notifications
    /// never overlap and nothing follows the end.
    /// </summary>
    [Fact]
    public void TheFaceSendsWhatTheOperatorDrivenDirectlyEmits()
    {
        Prop.ForAll(Arb.From(LookupScenario.Generator(allowReject: true)), generated =>
        {
            // The direct driver cannot buffer records while the operator waits for room: give it room, or reject.
            var s = generated.Reject ? generated : generated with { Capacity = 1_000 };
            var inputs = LookupFaceRun.Inputs(s);
            var face = LookupFaceRun.Face(s, inputs, out var faceSource);
            var direct = LookupFaceRun.Direct(s, inputs);

            Assert.True(face.Completed);
            Assert.Null(face.Error);
            Assert.Equal(1, face.MaxConcurrent);
            Assert.Equal(0, face.AfterTerminal);
            Assert.Equal(LookupFaceRun.Describe(direct), LookupFaceRun.Describe(face.Values));
            Assert.Empty(faceSource.ContractViolations);
            var records = inputs.Count(i => i.Record is not null);
            Assert.Equal(records, face.Values.Count(o => o.Kind != LookupOutputKind.Watermark));
            Assert.Equal((LookupOutputKind.Watermark, Instant.MaxValue), (face.Values[^1].Kind, face.Values[^1].Timestamp));
        }).Check(Config);
    }

    /// <summary>
    /// With a small capacity in wait mode (records that arrive while the operator is full are buffered by the face), every
    /// record ends exactly once with the outcome its key's behaviour in the store gives (or as an error if its timestamp
    /// selector threw); ordered runs keep input order; no result crosses a watermark in either mode; the watermarks are
    /// the strategy's, rising, ending with the final one; the sequence completes after everything.
    /// </summary>
    [Fact]
    public void WaitingForRoomLosesNothingAndKeepsTheOrderRules()
    {
        Prop.ForAll(Arb.From(LookupScenario.Generator(allowReject: false)), s =>
        {
            var inputs = LookupFaceRun.Inputs(s);
            var face = LookupFaceRun.Face(s, inputs, out _);
            Assert.True(face.Completed);
            Assert.Equal(0, face.AfterTerminal);
            var outputs = face.Values;

            var records = inputs.Where(i => i.Record is not null).Select(i => i.Record!).ToList();
            var results = outputs.Where(o => o.Kind != LookupOutputKind.Watermark).ToList();
            Assert.Equal(records.Select(r => r.Id).Order(), results.Select(o => o.Record!.Id).Order());
            foreach (var o in results)
            {
                var r = o.Record!;
                if (r.Ms < 0)
                {
                    Assert.Equal(LookupOutputKind.Error, o.Kind);
                    Assert.Equal($"click {r.Id} has no time", o.Error!.Message);
                    continue;
                }

                Assert.Equal(LookupHarness.Ms(r.Ms), o.Timestamp);
                var (kind, detail) = s.Expected(r.Key);
                var got = o.Kind switch
                {
                    LookupOutputKind.Joined => (EventKind.Joined, o.Value),
                    LookupOutputKind.Missed => (EventKind.Miss, (string?)null),
                    LookupOutputKind.Failed => (EventKind.Failed, o.FailureReason.ToString()),
                    _ => (EventKind.Rejected, o.Kind.ToString()),
                };
                Assert.Equal((kind, detail), got);
            }

            // The watermarks the strategy gives, and after how many timestamped records each was given.
            var generator = LookupFaceRun.Strategy.CreateGenerator();
            var given = new List<(int After, Instant Watermark)>();
            var timed = records.Where(r => r.Ms >= 0).ToList();
            for (var i = 0; i < timed.Count; i++)
            {
                if (generator.OnEvent(LookupFaceRun.TimestampOf(timed[i])))
                {
                    given.Add((i + 1, generator.CurrentWatermark));
                }
            }

            var watermarks = outputs.Where(o => o.Kind == LookupOutputKind.Watermark).Select(o => o.Timestamp).ToList();
            var expected = given.Select(g => g.Watermark).ToList();
            expected.Add(Instant.MaxValue);

            Assert.Equal(expected, watermarks);

            // Each timestamped record leaves between the watermarks given just before and just after it.
            var sequence = outputs.Where(o => o.Kind != LookupOutputKind.Error).ToList();
            for (var i = 0; i < timed.Count; i++)
            {
                var before = given.Count(g => g.After <= i);
                var position = sequence.FindIndex(o => o.Kind != LookupOutputKind.Watermark && o.Record!.Id == timed[i].Id);
                var watermarksBefore = sequence.Take(position).Count(o => o.Kind == LookupOutputKind.Watermark);
                Assert.Equal(before, watermarksBefore);
            }

            if (s.Ordered)
            {
                Assert.Equal(timed.Select(r => r.Id), sequence.Where(o => o.Kind != LookupOutputKind.Watermark).Select(o => o.Record!.Id));
            }
        }).Check(Config);
    }
}
