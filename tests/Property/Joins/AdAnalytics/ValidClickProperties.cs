using Cep.Joins.AdAnalytics;
using Cep.Joins.CoProcess;
using Cep.Tests.Joins.CoProcess;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.AdAnalytics;

/// <summary>ValidClickFunction against the definition, under disorder, lateness, duplicates and gaps; bounded state; snapshots.</summary>
public sealed class ValidClickProperties
{
    private static readonly Arbitrary<ValidClickCase> Cases =
        Gen.Choose(0, int.MaxValue).Select(ValidClickCase.Generate).ToArbitrary();

    private static (CollectingCoOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict> Output, KeyedCoProcessOperator<WatchKey, Click, PlayHeartbeat, ClickVerdict> Op) Fresh()
    {
        var output = new CollectingCoOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict>();
        return (output, ValidClickFunction.CreateOperator(output, ValidClickCase.Options));
    }

    [Fact]
    public void VerdictsMatchTheOracleAndNothingIsLeftAfterTheFinalWatermark() => PropertyRunner.Check(Cases, c =>
    {
        var (output, op) = Fresh();
        foreach (var step in c.Steps)
        {
            ValidClickCase.Apply(op, step);
        }

        var late = new HashSet<object>(output.LateRecords1.Cast<object>().Concat(output.LateRecords2), ReferenceEqualityComparer.Instance);
        var onTime = c.Steps.Select(s => s.Record).Where(r => r is not null && !late.Contains(r)).ToList();
        var expected = ValidClickOracle.Verdicts(onTime.OfType<Click>(), onTime.OfType<PlayHeartbeat>(), ValidClickCase.Options);
        var actual = ValidClickOracle.Describe(output.Outputs.Select(o => o.Value));
        PropertyRunner.AssertSameMatches(c, expected, actual);

        Check(output.Errors.Count == 0, c, "errors: " + string.Join("; ", output.Errors));
        Check(op.Counters.Balanced, c, op.Counters.ToString());
        Check(op.Counters.Keys == 0 && op.CountStateValues() == 0 && op.Counters.PendingEventTimers == 0, c, "state left: " + op.Counters);
        foreach (var (key, verdict, ts) in output.Outputs)
        {
            var decided = verdict.IsValid ? verdict.Watched >= ValidClickCase.Options.RequiredWatchTime && ts >= verdict.Click.Timestamp
                : ts == verdict.Click.Timestamp + ValidClickCase.Options.ClickTtl;
            Check(decided && ts == verdict.DecidedAt && key == verdict.Click.Key, c, $"bad verdict {verdict} at {ts}");
        }
    });

    [Fact]
    public void ASnapshotAtAnyCutRestoredAndContinuedGivesTheUninterruptedRun() => PropertyRunner.Check(
        Cases.Generator.SelectMany(c => Gen.Choose(0, c.Steps.Count).Select(cut => (Case: c, Cut: cut))).ToArbitrary(),
        t =>
        {
            var (output, op) = Fresh();
            foreach (var step in t.Case.Steps)
            {
                ValidClickCase.Apply(op, step);
            }

            var (before, beforeOp) = Fresh();
            foreach (var step in t.Case.Steps.Take(t.Cut))
            {
                ValidClickCase.Apply(beforeOp, step);
            }

            var (after, afterOp) = Fresh();
            afterOp.Restore(beforeOp.Snapshot());
            foreach (var step in t.Case.Steps.Skip(t.Cut))
            {
                ValidClickCase.Apply(afterOp, step);
            }

            PropertyRunner.AssertSameMatches($"cut {t.Cut} of {t.Case}", output.Lines, [.. before.Lines, .. after.Lines], "uninterrupted", "restored");
            Check(op.Counters.ToString() == afterOp.Counters.ToString(), t.Case, $"counters {op.Counters} vs {afterOp.Counters}");
        });

    [Fact]
    public void TheGeneratorReachesEveryOutcome()
    {
        int valid = 0, notValid = 0, late = 0, duplicates = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var c = ValidClickCase.Generate(seed);
            var (output, op) = Fresh();
            foreach (var step in c.Steps)
            {
                ValidClickCase.Apply(op, step);
            }

            valid += output.Outputs.Count(o => o.Value.IsValid);
            notValid += output.Outputs.Count(o => !o.Value.IsValid);
            late += output.Late.Count;
            duplicates += c.Steps.Select(s => s.Record).OfType<PlayHeartbeat>().GroupBy(h => h).Count(g => g.Count() > 1);
        }

        Assert.True(valid > 50 && notValid > 50 && late > 20 && duplicates > 20, $"valid={valid} notValid={notValid} late={late} duplicates={duplicates}");
    }

    private static void Check(bool ok, object testCase, string message)
    {
        if (!ok)
        {
            throw new MatchMismatchException($"{testCase}\n  {message}");
        }
    }
}
