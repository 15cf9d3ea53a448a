using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>
/// Inner contiguity of looping stages: the documentation's <c>a b+ c</c> and <c>c a+ b</c> examples (with FLINK-28880's
/// corrected results), and OneOrMore / TimesOrMore cases from Flink's NFAITCase and TimesOrMoreITCase.
/// </summary>
public sealed class LoopingTests
{
    private static readonly Ev[] AbdbdbC = Seq("a", "b1", "d1", "b2", "d2", "b3", "c");

    private static readonly Ev[] CdaaadaB =
    [
        Of("C", 1) with { Name = "c" }, Of("D1", 2) with { Name = "d" }, Of("A1", 3) with { Name = "a" }, Of("A2", 4) with { Name = "a" },
        Of("A3", 5) with { Name = "a" }, Of("D2", 6) with { Name = "d" }, Of("A4", 7) with { Name = "a" }, Of("B", 8) with { Name = "b" },
    ];

    private static Pattern<Ev> ABPlusC(Func<Pattern<Ev>, Pattern<Ev>> inner) =>
        inner(Pattern.Begin<Ev>("a").Where(Named("a")).FollowedByAny("b").Where(Named("b")).OneOrMore())
            .FollowedBy("c").Where(Named("c"));

    private static Pattern<Ev> CAPlusB(Func<Pattern<Ev>, Pattern<Ev>> inner) =>
        inner(Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(Named("a")).OneOrMore())
            .FollowedBy("end1").Where(Named("b"));

    [Fact]
    public void ConsecutiveLoopOnABDBDBC()
    {
        // FLINK-28880: older docs said only {a b3 c}.
        NfaHarness.For(ABPlusC(p => p.Consecutive())).Feed(AbdbdbC)
            .AssertMatches("a:a b:b1 c:c", "a:a b:b2 c:c", "a:a b:b3 c:c");
    }

    [Fact]
    public void RelaxedLoopOnABDBDBC()
    {
        NfaHarness.For(ABPlusC(p => p)).Feed(AbdbdbC).AssertMatches(
            "a:a b:b1 c:c",
            "a:a b:b1 b:b2 c:c",
            "a:a b:b1 b:b2 b:b3 c:c",
            "a:a b:b2 c:c",
            "a:a b:b2 b:b3 c:c",
            "a:a b:b3 c:c");
    }

    [Fact]
    public void AllowCombinationsLoopOnABDBDBC()
    {
        NfaHarness.For(ABPlusC(p => p.AllowCombinations())).Feed(AbdbdbC).AssertMatches(
            "a:a b:b1 c:c",
            "a:a b:b1 b:b2 c:c",
            "a:a b:b1 b:b3 c:c",
            "a:a b:b1 b:b2 b:b3 c:c",
            "a:a b:b2 c:c",
            "a:a b:b2 b:b3 c:c",
            "a:a b:b3 c:c");
    }

    [Fact]
    public void ConsecutiveLoopOnCDAAADAB()
    {
        NfaHarness.For(CAPlusB(p => p.Consecutive())).Feed(CdaaadaB).AssertMatches(
            "start:C middle:A1 end1:B",
            "start:C middle:A1 middle:A2 end1:B",
            "start:C middle:A1 middle:A2 middle:A3 end1:B");
    }

    [Fact]
    public void RelaxedLoopOnCDAAADAB()
    {
        NfaHarness.For(CAPlusB(p => p)).Feed(CdaaadaB).AssertMatches(
            "start:C middle:A1 end1:B",
            "start:C middle:A1 middle:A2 end1:B",
            "start:C middle:A1 middle:A2 middle:A3 end1:B",
            "start:C middle:A1 middle:A2 middle:A3 middle:A4 end1:B");
    }

    [Fact]
    public void AllowCombinationsLoopOnCDAAADAB()
    {
        // FLINK-28880: older docs also listed matches starting at A2; followedBy must take A1 first.
        NfaHarness.For(CAPlusB(p => p.AllowCombinations())).Feed(CdaaadaB).AssertMatches(
            "start:C middle:A1 end1:B",
            "start:C middle:A1 middle:A2 end1:B",
            "start:C middle:A1 middle:A3 end1:B",
            "start:C middle:A1 middle:A4 end1:B",
            "start:C middle:A1 middle:A2 middle:A3 end1:B",
            "start:C middle:A1 middle:A2 middle:A4 end1:B",
            "start:C middle:A1 middle:A3 middle:A4 end1:B",
            "start:C middle:A1 middle:A2 middle:A3 middle:A4 end1:B");
    }

    [Fact]
    public void OneOrMoreAtTheEndEmitsEveryPrefix()
    {
        // NFAITCase.testEndWithOneOrMore-like: c followedBy a+.
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).OneOrMore();
        NfaHarness.For(p).Feed(Seq("c", "a1", "x", "a2", "a3")).AssertMatches(
            "start:c end:a1",
            "start:c end:a1 end:a2",
            "start:c end:a1 end:a2 end:a3");
    }

    [Fact]
    public void ZeroOrMoreInTheMiddle()
    {
        // NFAITCase.testZeroOrMore-like: c followedBy a* followedBy b.
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).OneOrMore().Optional()
            .FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "b")).AssertMatches(
            "start:c middle:a1 middle:a2 end:b",
            "start:c middle:a1 end:b",
            "start:c end:b");
    }

    [Fact]
    public void OneOrMoreAtTheStartStartsARunAtEveryEvent()
    {
        // a+ followedBy b: every suffix-closed run of a's.
        var p = Pattern.Begin<Ev>("start").Where(Named("a")).OneOrMore().FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "a2", "a3", "b")).AssertMatches(
            "start:a1 start:a2 start:a3 end:b",
            "start:a1 start:a2 end:b",
            "start:a1 end:b",
            "start:a2 start:a3 end:b",
            "start:a2 end:b",
            "start:a3 end:b");
    }

    [Fact]
    public void TimesOrMoreNeedsTheMinimumCount()
    {
        // TimesOrMoreITCase.testTimesOrMore: c followedBy a{2,} followedBy b.
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).TimesOrMore(2)
            .FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "x", "a2", "a3", "b")).AssertMatches(
            "start:c middle:a1 middle:a2 end:b",
            "start:c middle:a1 middle:a2 middle:a3 end:b");
    }

    [Fact]
    public void TimesOrMoreConsecutive()
    {
        // TimesOrMoreITCase.testTimesOrMoreNonStrict / Consecutive shape: the d breaks the strict loop.
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).TimesOrMore(2).Consecutive()
            .FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "d", "a2", "a3", "b")).AssertMatches();
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "d", "a3", "b")).AssertMatches("start:c middle:a1 middle:a2 end:b");
    }

    [Fact]
    public void TimesOrMoreAllowCombinations()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).TimesOrMore(2).AllowCombinations()
            .FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "a3", "b")).AssertMatches(
            "start:c middle:a1 middle:a2 end:b",
            "start:c middle:a1 middle:a3 end:b",
            "start:c middle:a1 middle:a2 middle:a3 end:b");
    }

    [Fact]
    public void LoopAfterSkippingMustTakeAnotherEventBeforeLeaving()
    {
        // Strict next after a relaxed loop: the x between a2 and b is skipped inside the loop, so the run cannot leave
        // the loop at b with strict contiguity; only the run whose last a directly precedes b matches.
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).OneOrMore()
            .Next("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "x", "a2", "b")).AssertMatches(
            "start:c middle:a1 middle:a2 end:b");
    }
}
