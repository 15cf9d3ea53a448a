using Cep.Operators;
using Cep.Tests.Harness;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Cep.Tests.State.SnapshotTestSupport;

namespace Cep.Tests.State;

public sealed class SnapshotProperties
{
    /// <summary>One input step: a record (kind 0..6) or a watermark (kind 7..9), with three parameters.</summary>
    public readonly record struct Step(int Kind, int A, int B, int C);

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > 0 ? n : 300;

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Choose(0, 9)
        from a in Gen.Choose(0, 99)
        from b in Gen.Choose(0, 99)
        from c in Gen.Choose(0, 99)
        select new Step(kind, a, b, c);

    private static readonly Gen<(int Pattern, Step[] Steps, int Cut, bool Flush)> CaseGen =
        from pattern in Gen.Choose(0, TestPatterns.Length - 1)
        from steps in StepGen.ArrayOf()
        from cut in Gen.Choose(0, steps.Length)
        from flush in Gen.Elements(true, false)
        select (pattern, steps, cut, flush);

    /// <summary>
    /// For any pattern of <see cref="SnapshotTestSupport.TestPatterns"/>, any keyed input with watermarks and any cut point:
    /// running to the cut, snapshotting, restoring into a fresh operator and feeding the rest gives exactly the output of
    /// the uninterrupted run (matches, timeouts, late records and errors, each in emission order) and the same counters;
    /// and a snapshot of the restored operator is byte for byte the snapshot it was restored from.
    /// </summary>
    [Fact]
    public void SnapshotAtAnyCutThenRestoreGivesTheUninterruptedOutput()
    {
        var property = Prop.ForAll(Arb.From(CaseGen), c =>
        {
            var (patternIndex, steps, cut, flush) = c;
            var pattern = TestPatterns[patternIndex]();

            var whole = new CollectingOutput<string, Rec>();
            var uninterrupted = NewOperator(pattern, whole);
            var clock = Feed(uninterrupted, steps, 0, steps.Length, 1_000);
            Finish(uninterrupted, flush);

            var before = new CollectingOutput<string, Rec>();
            var first = NewOperator(pattern, before);
            var cutClock = Feed(first, steps, 0, cut, 1_000);
            var bytes = first.Snapshot();

            var after = new CollectingOutput<string, Rec>();
            var second = NewOperator(pattern, after);
            second.Restore(bytes);
            var again = second.Snapshot();
            Feed(second, steps, cut, steps.Length, cutClock);
            Finish(second, flush);

            var expected = Describe(whole);
            var actual = Describe(before, after);
            return (expected.SequenceEqual(actual)
                    && uninterrupted.Counters.ToString() == second.Counters.ToString()
                    && second.Counters.Balanced
                    && again.AsSpan().SequenceEqual(bytes))
                .Label($"pattern {patternIndex}, cut {cut} of {steps.Length}, flush {flush}, clock {clock}\n" +
                       $"expected:\n  {string.Join("\n  ", expected)}\nactual:\n  {string.Join("\n  ", actual)}\n" +
                       $"counters {uninterrupted.Counters} vs {second.Counters}")
                .Classify(actual.Any(l => l.StartsWith("match", StringComparison.Ordinal)), "matches")
                .Classify(actual.Any(l => l.StartsWith("timeout", StringComparison.Ordinal)), "timeouts")
                .Classify(actual.Any(l => l.StartsWith("late", StringComparison.Ordinal)), "late")
                .Classify(after.Matches.Count + after.Timeouts.Count > 0, "output after restore")
                .Classify(first.Counters.PartialMatches > 0 || first.Counters.RecordsBuffered > 0, "state at cut");
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property);
    }

    /// <summary>Feeds steps [from, to) and returns the clock (ms) the next step starts from.</summary>
    private static long Feed(CepOperator<string, Rec> op, Step[] steps, int from, int to, long clock)
    {
        for (var i = from; i < to; i++)
        {
            var s = steps[i];
            if (s.Kind < 7)
            {
                var rec = new Rec($"k{s.A % 3}", "abc"[s.B % 3], i, s.C % 2);
                op.OnRecord(rec, T(clock + (s.C % 40) - 10));
            }
            else
            {
                clock += s.A % 30;
                op.OnWatermark(T(clock - 5));
            }
        }

        return clock;
    }

    private static void Finish(CepOperator<string, Rec> op, bool flush)
    {
        if (flush)
        {
            op.OnWatermark(NodaTime.Instant.MaxValue);
        }
    }
}
