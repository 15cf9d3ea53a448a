using Cep.Patterns;
using Cep.Patterns.Conditions;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>
/// Iterative conditions, after Flink's IterativeConditionsITCase: <c>ctx.EventsFor(stage)</c> sees the events of the same
/// partial match only, never the event under test; the relaxed ignore condition is the negated take condition in the same context.
/// </summary>
public sealed class IterativeConditionTests
{
    private static bool Increasing(Ev e, IConditionContext<Ev> ctx)
    {
        var taken = ctx.EventsFor("middle");
        return e.Name == "a" && (taken.Count == 0 || taken[^1].Price < e.Price);
    }

    [Fact]
    public void LoopTakesOnlyIncreasingPricesAndSkipsTheRest()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(Increasing).OneOrMore().FollowedBy("end").Where(Named("b"));
        var events = new[] { Of("c", 1), Of("a1", 2, 1), Of("a3", 3, 3), Of("a2", 4, 2), Of("a4", 5, 4), Of("b", 6) };
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:c middle:a1 end:b", "start:c middle:a1 middle:a3 end:b", "start:c middle:a1 middle:a3 middle:a4 end:b");
    }

    [Fact]
    public void ConditionReadsAnEarlierStage()
    {
        // The end event must cost more than the start event of the same partial match.
        var p = Pattern.Begin<Ev>("start").Where(Named("a"))
            .FollowedByAny("end").Where((e, ctx) => e.Name == "b" && e.Price > ctx.EventsFor("start")[0].Price);
        var events = new[] { Of("a1", 1, 5), Of("a2", 2, 1), Of("b1", 3, 3), Of("b2", 4, 6) };
        NfaHarness.For(p).Feed(events).AssertMatches("start:a1 end:b2", "start:a2 end:b1", "start:a2 end:b2");
    }

    [Fact]
    public void SumOfTheLoopBoundsTheNextEvent()
    {
        // IterativeConditionsITCase-like: start followedByAny middle+ (sum of middle prices so far < 5) followedBy end.
        static bool SumBelowFive(Ev e, IConditionContext<Ev> ctx) => e.Name == "m" && ctx.EventsFor("middle").Sum(m => m.Price) + e.Price < 5;
        var p = Pattern.Begin<Ev>("start").Where(Named("s"))
            .FollowedByAny("middle").Where(SumBelowFive).OneOrMore().AllowCombinations()
            .FollowedBy("end").Where(Named("e"));
        var events = new[] { Of("s", 1), Of("m1", 2, 1), Of("m2", 3, 2), Of("m3", 4, 3), Of("e", 5) };
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:s middle:m1 end:e",
            "start:s middle:m1 middle:m2 end:e",
            "start:s middle:m1 middle:m3 end:e",
            "start:s middle:m2 end:e",
            "start:s middle:m3 end:e");
    }

    [Fact]
    public void TheEventUnderTestIsNotInTheContext()
    {
        var seen = new List<int>();
        var p = Pattern.Begin<Ev>("start").Where(Named("a")).OneOrMore()
            .FollowedBy("end").Where((e, ctx) =>
            {
                seen.Add(ctx.EventsFor("end").Count);
                Assert.Equal(e.Ts, ctx.Timestamp.ToUnixTimeMilliseconds());
                Assert.DoesNotContain(e, ctx.EventsFor("start"));
                return e.Name == "b";
            });
        NfaHarness.For(p).Feed(Seq("a1", "a2", "b")).AssertMatches(
            "start:a1 start:a2 end:b", "start:a1 end:b", "start:a2 end:b");
        Assert.All(seen, count => Assert.Equal(0, count));
    }

    [Fact]
    public void IterativeOrCondition()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("a"))
            .FollowedBy("end").Where(Named("b")).Or((e, ctx) => e.Price == ctx.EventsFor("start")[0].Price);
        var events = new[] { Of("a1", 1, 7), Of("x", 2, 7), Of("b", 3, 1) };
        NfaHarness.For(p).Feed(events).AssertMatches("start:a1 end:x");
    }

    [Fact]
    public void UnknownStageNameInTheContextIsAnError()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("a")).FollowedBy("end").Where((e, ctx) => ctx.EventsFor("nope").Count == 0);
        var output = NfaHarness.For(p);
        var error = Assert.Throws<InvalidOperationException>(() => output.Feed(Seq("a", "b")));
        var inner = Assert.IsType<ArgumentException>(error.InnerException);
        Assert.StartsWith("'nope' is not a stage of the pattern; the stages are 'start', 'end'.", inner.Message, StringComparison.Ordinal);
    }
}
