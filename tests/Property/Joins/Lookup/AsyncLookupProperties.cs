using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

/// <summary>
/// The operator against the oracle: every record ends exactly once, with the outcome the fake store's contents and fault
/// schedule give its key; ordered runs keep input order, unordered runs never move a result across a watermark; the
/// counters balance; and a snapshot at any step, restored into a fresh operator, ends in the uninterrupted run's outcomes.
/// </summary>
public sealed class AsyncLookupProperties
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    private static Config Config => Config.QuickThrowOnFailure.WithMaxTest(LookupScenario.Cases);

    [Fact]
    public void EveryRecordEndsOnceWithTheOraclesOutcomeInTheModesOrder()
    {
        Prop.ForAll(Arb.From(LookupScenario.Generator(allowReject: true)), s =>
        {
            var h = s.NewHarness(Start);
            s.Feed(h, 0, s.Steps.Length, 0, 0);
            h.Flush();
            s.Check(h.Output.Events, h.Operator.Counters);
            Assert.Empty(h.Source.ContractViolations);
            Assert.All(h.Source.Calls, c => Assert.InRange(c.Length, 1, s.MaxBatchSize));
            if (s.Cache is null)
            {
                Assert.Equal(0, h.Operator.Counters.CacheHits);
            }
        }).Check(Config);
    }

    [Fact]
    public void SnapshotAtAnyStepThenRestoreGivesTheUninterruptedOutcomes()
    {
        Prop.ForAll(Arb.From(LookupScenario.Generator(allowReject: false)), s =>
        {
            var whole = s.NewHarness(Start);
            s.Feed(whole, 0, s.Steps.Length, 0, 0);
            whole.Flush();

            var first = s.NewHarness(Start);
            var (nextId, watermark) = s.Feed(first, 0, s.Cut, 0, 0);
            var bytes = first.Operator.Snapshot();
            var second = s.NewHarness(first.Scheduler.Now);
            second.Operator.Restore(bytes);
            s.Feed(second, s.Cut, s.Steps.Length, nextId, watermark);
            second.Flush();

            var events = first.Output.Events.Concat(second.Output.Events).ToList();
            s.Check(events, second.Operator.Counters);
            var c1 = whole.Operator.Counters;
            var c2 = second.Operator.Counters;
            Assert.Equal((c1.RecordsIn, c1.Joined, c1.Missed, c1.Failed), (c2.RecordsIn, c2.Joined, c2.Missed, c2.Failed));
            if (s.Ordered)
            {
                Assert.Equal(Describe(whole.Output.Events), Describe(events));
            }
        }).Check(Config);
    }

    private static List<string> Describe(IEnumerable<LookupEvent> events) =>
        events.Select(e => $"{e.Kind}:{e.Record?.Id}:{e.Time}:{e.Value}:{e.Reason}").ToList();
}
