using System.Reactive.Concurrency;
using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Operators;

public sealed class CepOperatorOrderingTests
{
    private sealed record Ev(string Key, char Kind, int Id, int Priority = 0)
    {
        public override string ToString() => $"{Kind}{Id}";
    }

    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static readonly Pattern<Ev> AThenB = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a').Next("b").Where(e => e.Kind == 'b');

    [Fact]
    public void ArgumentChecking()
    {
        var output = new CollectingOutput<string, Ev>();
        Assert.Throws<ArgumentNullException>(() => new CepOperator<string, Ev>(null!, e => e.Key, output));
        Assert.Throws<ArgumentNullException>(() => new CepOperator<string, Ev>(AThenB, null!, output));
        Assert.Throws<ArgumentNullException>(() => new CepOperator<string, Ev>(AThenB, e => e.Key, null!));
        var error = Assert.Throws<ArgumentException>(() => new CepOperator<string, Ev>(
            AThenB, e => e.Key, output, new CepOperatorOptions<Ev> { TimeMode = TimeMode.ProcessingTime }));
        Assert.Equal("options", error.ParamName);
        var processing = new CepOperator<string, Ev>(
            AThenB, e => e.Key, output, new CepOperatorOptions<Ev> { TimeMode = TimeMode.ProcessingTime, Scheduler = new HistoricalScheduler() });
        Assert.Throws<InvalidOperationException>(() => processing.OnWatermark(Ms(1)));
    }

    [Fact]
    public void EqualTimestampsKeepArrivalOrderWithoutAComparer()
    {
        var output = new CollectingOutput<string, Ev>();
        var op = new CepOperator<string, Ev>(AThenB, e => e.Key, output);
        op.OnRecord(new Ev("k", 'b', 1), Ms(5));
        op.OnRecord(new Ev("k", 'a', 2), Ms(5));
        op.OnRecord(new Ev("k", 'b', 3), Ms(5));
        op.OnWatermark(Instant.MaxValue);
        Assert.Equal(["a:a2 b:b3"], output.MatchStrings());
    }

    [Fact]
    public void AComparerOrdersEqualTimestampsBeforeArrivalOrder()
    {
        var output = new CollectingOutput<string, Ev>();
        var options = new CepOperatorOptions<Ev> { Comparer = Comparer<Ev>.Create((x, y) => x.Priority.CompareTo(y.Priority)) };
        var op = new CepOperator<string, Ev>(AThenB, e => e.Key, output, options);
        op.OnRecord(new Ev("k", 'b', 1, Priority: 2), Ms(5));
        op.OnRecord(new Ev("k", 'b', 2, Priority: 1), Ms(5));
        op.OnRecord(new Ev("k", 'a', 3, Priority: 0), Ms(5));
        op.OnRecord(new Ev("k", 'a', 4, Priority: 0), Ms(4));
        op.OnWatermark(Instant.MaxValue);
        // Order: a4@4, then at 5: a3 (priority 0), b2 (priority 1), b1 (priority 2).
        Assert.Equal(["a:a3 b:b2"], output.MatchStrings());
    }

    [Fact]
    public void AFailingConditionSendsTheRecordToTheErrorOutputAndLeavesTheKeyAsIfItNeverArrived()
    {
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a')
            .FollowedBy("b").Where((e, ctx) => e.Id == 13 ? throw new InvalidOperationException("boom") : e.Kind == 'b' && ctx.EventsFor("a").Count == 1);
        var output = new CollectingOutput<string, Ev>();
        var op = new CepOperator<string, Ev>(pattern, e => e.Key, output);
        op.OnRecord(new Ev("k", 'a', 1), Ms(1));
        op.OnRecord(new Ev("k", 'a', 2), Ms(2));
        op.OnRecord(new Ev("k", 'b', 13), Ms(3));
        op.OnRecord(new Ev("k", 'b', 4), Ms(4));
        op.OnWatermark(Instant.MaxValue);

        var error = Assert.Single(output.Errors);
        Assert.Equal(13, error.Value.Id);
        Assert.Equal("k", error.Key);
        Assert.Equal(["a:a1 b:b4", "a:a2 b:b4"], output.MatchStrings());
        Assert.Equal(1, op.Counters.RecordsFailed);
        Assert.Equal(3, op.Counters.RecordsProcessed);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void AFailingKeySelectorIsReportedWithTheRecord()
    {
        var output = new CollectingOutput<string, Ev>();
        var op = new CepOperator<string, Ev>(AThenB, e => e.Id == 7 ? throw new KeyNotFoundException("no key") : e.Key, output);
        op.OnRecord(new Ev("k", 'a', 7), Ms(1));
        var error = Assert.Single(output.Errors);
        Assert.Null(error.Key);
        Assert.IsType<KeyNotFoundException>(error.Error);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ProcessingTimeStampsRecordsWithTheSchedulerAndTimesOutOnItsTimers()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var output = new CollectingOutput<string, Ev>();
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a').FollowedBy("b").Where(e => e.Kind == 'b').Within(Duration.FromSeconds(30));
        var op = new CepOperator<string, Ev>(pattern, e => e.Key, output, new CepOperatorOptions<Ev> { TimeMode = TimeMode.ProcessingTime, Scheduler = scheduler });

        scheduler.AdvanceTo(DateTimeOffset.UnixEpoch.AddSeconds(100));
        op.OnRecord(new Ev("k", 'a', 1), Ms(0));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(29));
        op.OnRecord(new Ev("k", 'b', 2), Ms(0));
        op.OnRecord(new Ev("j", 'a', 3), Ms(0));
        Assert.Equal(["a:a1 b:b2"], output.MatchStrings());
        Assert.Equal(Instant.FromUnixTimeSeconds(129), output.Matches[0].Match.Last);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(29));
        Assert.Empty(output.Timeouts);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        var timeout = Assert.Single(output.Timeouts);
        Assert.Equal("j", timeout.Key);
        Assert.Equal(Instant.FromUnixTimeSeconds(159), timeout.TimedOutAt);
        Assert.Equal(0, op.Counters.PartialMatches);
    }
}
