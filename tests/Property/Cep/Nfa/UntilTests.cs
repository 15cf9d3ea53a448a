using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>Stop conditions of looping stages: the documentation example and Flink's UntilConditionITCase.</summary>
public sealed class UntilTests
{
    // c(1) a1(2) a2(3) [a3(4)] breaking a(5) then a(6).
    private static readonly Ev[] Input = [Of("c", 1, 1), Of("a1", 3, 2), Of("a2", 4, 3), Of("b", 6, 5), Of("i", 7, 6) with { Name = "a" }];

    private static readonly Ev[] InputWithA3 =
        [Of("c", 1, 1), Of("a1", 3, 2), Of("a2", 4, 3), Of("a3", 5, 4), Of("b", 6, 5), Of("i", 7, 6) with { Name = "a" }];

    private static bool Breaking(Ev e) => e.Price == 5.0;

    private static Pattern<Ev> CAB(Func<Pattern<Ev>, Pattern<Ev>> loop) =>
        loop(Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(e => e.Name is "a" or "b").OneOrMore())
            .FollowedBy("end").Where(Breaking);

    [Fact]
    public void DocumentationExampleAPlusUntilB()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).OneOrMore().Until(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "c", "a2", "b", "a3")).AssertMatches("a:a1 a:a2", "a:a1", "a:a2", "a:a3");
    }

    [Fact]
    public void UntilFollowedByOneOrMore()
    {
        NfaHarness.For(CAB(p => p.Until(Breaking))).Feed(Input)
            .AssertMatches("start:c middle:a1 middle:a2 end:b", "start:c middle:a1 end:b");
        NfaHarness.For(CAB(p => p.Consecutive().Until(Breaking))).Feed(Input)
            .AssertMatches("start:c middle:a1 middle:a2 end:b", "start:c middle:a1 end:b");
    }

    [Fact]
    public void UntilFollowedByOneOrMoreCombinations()
    {
        NfaHarness.For(CAB(p => p.AllowCombinations().Until(Breaking))).Feed(InputWithA3).AssertMatches(
            "start:c middle:a1 middle:a2 middle:a3 end:b",
            "start:c middle:a1 middle:a2 end:b",
            "start:c middle:a1 middle:a3 end:b",
            "start:c middle:a1 end:b");
    }

    [Fact]
    public void UntilFollowedByZeroOrMore()
    {
        NfaHarness.For(CAB(p => p.Optional().Until(Breaking))).Feed(Input).AssertMatches(
            "start:c middle:a1 middle:a2 end:b", "start:c middle:a1 end:b", "start:c end:b");
        NfaHarness.For(CAB(p => p.Optional().Consecutive().Until(Breaking))).Feed(Input).AssertMatches(
            "start:c middle:a1 middle:a2 end:b", "start:c middle:a1 end:b", "start:c end:b");
        NfaHarness.For(CAB(p => p.Optional().AllowCombinations().Until(Breaking))).Feed(InputWithA3).AssertMatches(
            "start:c middle:a1 middle:a2 middle:a3 end:b",
            "start:c middle:a1 middle:a2 end:b",
            "start:c middle:a1 middle:a3 end:b",
            "start:c middle:a1 end:b",
            "start:c end:b");
    }

    [Fact]
    public void UntilWithFollowedByAnyAtTheEnd()
    {
        // c followedByAny a+ until price 5: the loop stops at the breaking event; a later a starts from c again.
        var events = new[] { Of("c", 1, 1), Of("a1", 3, 2), Of("a2", 4, 3), Of("b", 6, 5) with { Name = "a" }, Of("a3", 7, 6) };
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedByAny("middle").Where(Named("a")).OneOrMore().Until(Breaking);
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:c middle:a1 middle:a2", "start:c middle:a1", "start:c middle:a2", "start:c middle:a3");

        var zeroOrMore = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedByAny("middle").Where(Named("a")).OneOrMore().Optional().Until(Breaking);
        NfaHarness.For(zeroOrMore).Feed(events).AssertMatches(
            "start:c middle:a1 middle:a2", "start:c middle:a1", "start:c middle:a2", "start:c middle:a3", "start:c");
    }

    [Fact]
    public void UntilWithoutWhere()
    {
        var events = new[] { Of("c", 1, 1), Of("a1", 3, 2), Of("a2", 4, 3), Of("d", 5, 1), Of("b", 6, 5), Of("i", 7, 6) };
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").OneOrMore().Until(Breaking);
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:c middle:a1 middle:a2 middle:d", "start:c middle:a1 middle:a2", "start:c middle:a1");
    }

    [Fact]
    public void IterativeUntil()
    {
        // The loop stops once the prices taken so far sum to 6 (a1 2 + a2 3 + d 1).
        var events = new[] { Of("c", 1, 1), Of("a1", 3, 2), Of("a2", 4, 3), Of("d", 5, 1), Of("b", 6, 5), Of("i", 7, 6) };
        static bool SumIsSix(Ev e, Cep.Patterns.Conditions.IConditionContext<Ev> ctx) => ctx.EventsFor("middle").Sum(m => m.Price) == 6.0;

        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").OneOrMore().Until(SumIsSix);
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:c middle:a1 middle:a2 middle:d", "start:c middle:a1 middle:a2", "start:c middle:a1");

        var zeroOrMore = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").OneOrMore().Optional().Until(SumIsSix);
        NfaHarness.For(zeroOrMore).Feed(events).AssertMatches(
            "start:c middle:a1 middle:a2 middle:d", "start:c middle:a1 middle:a2", "start:c middle:a1", "start:c");
    }
}
