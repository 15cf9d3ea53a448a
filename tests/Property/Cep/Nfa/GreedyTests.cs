using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>Greedy quantifiers, after Flink's GreedyITCase: the stage after a greedy loop never takes an event the loop could take.</summary>
public sealed class GreedyTests
{
    private static Pattern<Ev> CAD(Func<Pattern<Ev>, Pattern<Ev>> middle) =>
        middle(Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(Named("a")))
            .FollowedBy("end").Where(Named("d"));

    [Fact]
    public void GreedyZeroOrMoreKeepsOnlyTheLongestRun()
    {
        NfaHarness.For(CAD(p => p.OneOrMore().Optional().Greedy())).Feed(Seq("c", "a1", "a2", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void GreedyZeroOrMoreConsecutive()
    {
        // Flink's older testGreedyZeroOrMoreConsecutiveEndWithOptional made "end" optional; an optional stage directly
        // after a greedy one is now rejected (see PatternValidationTests), so "end" is mandatory here.
        NfaHarness.For(CAD(p => p.OneOrMore().Optional().Consecutive().Greedy())).Feed(Seq("c", "a1", "a2", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void GreedyZeroOrMoreWithEventsInBetween()
    {
        NfaHarness.For(CAD(p => p.OneOrMore().Optional().Greedy())).Feed(Seq("c", "x1", "a1", "x2", "a2", "x3", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void GreedyZeroOrMoreWithEventsAfterOrBeforeTheLoop()
    {
        NfaHarness.For(CAD(p => p.OneOrMore().Optional().Greedy())).Feed(Seq("c", "a1", "a2", "x", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 end:d");
        NfaHarness.For(CAD(p => p.OneOrMore().Optional().Greedy())).Feed(Seq("c", "x", "d"))
            .AssertMatches("start:c end:d");
    }

    [Fact]
    public void GreedyUntilStopsTheLoop()
    {
        // a4 (price 4) satisfies the stop condition: the loop cannot take it, the run continues to d.
        var p = CAD(p => p.OneOrMore().Optional().Greedy().Until(e => e.Price > 3.0));
        var events = new[] { Of("c", 1, 1), Of("a1", 2, 2), Of("a2", 3, 3), Of("a3", 4, 3), Of("a4", 5, 4), Of("d", 6, 3) };
        NfaHarness.For(p).Feed(events).AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void GreedyUntilBeforeTheLoopLeavesItEmpty()
    {
        var p = CAD(p => p.OneOrMore().Optional().Greedy().Until(e => e.Price > 3.0));
        var events = new[] { Of("c", 1, 1), Of("a4", 2, 4), Of("a1", 3, 2), Of("a2", 4, 3), Of("a3", 5, 3), Of("d", 6, 3) };
        NfaHarness.For(p).Feed(events).AssertMatches("start:c end:d");

        var oneOrMore = CAD(p => p.OneOrMore().Greedy().Until(e => e.Price > 3.0));
        NfaHarness.For(oneOrMore).Feed(events).AssertMatches();
    }

    [Fact]
    public void GreedyOneOrMore()
    {
        NfaHarness.For(CAD(p => p.OneOrMore().Greedy())).Feed(Seq("c", "a1", "a2", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
        NfaHarness.For(CAD(p => p.OneOrMore().Greedy())).Feed(Seq("c", "x1", "a1", "x2", "a2", "x3", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 end:d");
        NfaHarness.For(CAD(p => p.OneOrMore().Greedy())).Feed(Seq("c", "x", "d")).AssertMatches();
    }

    [Fact]
    public void GreedyZeroOrMoreBeforeAGroupTimesTwo()
    {
        // c a* (d e){2} f
        var group = Pattern.Begin<Ev>("middle1").Where(Named("d")).FollowedBy("middle2").Where(Named("e"));
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).OneOrMore().Optional().Greedy()
            .FollowedBy(group).Times(2)
            .FollowedBy("end").Where(Named("f"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "x", "a3", "d1", "e1", "d2", "e2", "f")).AssertMatches(
            "start:c middle:a1 middle:a2 middle:a3 middle1:d1 middle1:d2 middle2:e1 middle2:e2 end:f");
    }

    [Fact]
    public void GreedyLoopAtTheEndStillEmitsEveryPrefix()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).OneOrMore().Optional().Greedy();
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "x", "a3")).AssertMatches(
            "start:c", "start:c end:a1", "start:c end:a1 end:a2", "start:c end:a1 end:a2 end:a3");

        var consecutive = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).OneOrMore().Optional().Consecutive().Greedy();
        NfaHarness.For(consecutive).Feed(Seq("c", "a1", "a2", "x", "a3")).AssertMatches(
            "start:c", "start:c end:a1", "start:c end:a1 end:a2");
    }

    [Fact]
    public void GreedyTimesRange()
    {
        var atEnd = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).Times(2, 5).Greedy();
        NfaHarness.For(atEnd).Feed(Seq("c", "a1", "a2", "a3", "a4", "x")).AssertMatches(
            "start:c end:a1 end:a2", "start:c end:a1 end:a2 end:a3", "start:c end:a1 end:a2 end:a3 end:a4");

        NfaHarness.For(CAD(p => p.Times(2, 5).Greedy())).Feed(Seq("c", "a1", "a2", "a3", "a4", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 middle:a3 middle:a4 end:d");
    }
}
