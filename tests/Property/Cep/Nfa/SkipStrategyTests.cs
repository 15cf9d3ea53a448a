using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;

namespace Cep.Tests.Nfa;

/// <summary>After-match skip strategies, after Flink's AfterMatchSkipITCase. Conditions test whether the event name contains a letter.</summary>
public sealed class SkipStrategyTests
{
    /// <summary>Events whose name is their label, at timestamps 1, 2, 3, ...</summary>
    private static Ev[] L(params string[] labels) => labels.Select((l, i) => new Ev(l, l, 0, i + 1)).ToArray();

    private static Func<Ev, bool> Has(string letter) => e => e.Name.Contains(letter, StringComparison.Ordinal);

    private static Pattern<Ev> ATimes3(AfterMatchSkipStrategy skip) => Pattern.Begin<Ev>("start", skip).Where(Has("a")).Times(3);

    [Fact]
    public void NoSkipEmitsEveryMatch()
    {
        NfaHarness.For(ATimes3(AfterMatchSkipStrategy.NoSkip)).Feed(L("a1", "a2", "a3", "a4", "a5", "a6")).AssertMatches(
            "start:a1 start:a2 start:a3", "start:a2 start:a3 start:a4", "start:a3 start:a4 start:a5", "start:a4 start:a5 start:a6");
    }

    [Fact]
    public void SkipPastLastEventRestartsAfterTheMatch()
    {
        NfaHarness.For(ATimes3(AfterMatchSkipStrategy.SkipPastLastEvent)).Feed(L("a1", "a2", "a3", "a4", "a5", "a6"))
            .AssertMatches("start:a1 start:a2 start:a3", "start:a4 start:a5 start:a6");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SkipToNextWithFollowedByAny(bool skip)
    {
        var p = Pattern.Begin<Ev>("start", skip ? AfterMatchSkipStrategy.SkipToNext : AfterMatchSkipStrategy.NoSkip).Where(Has("a"))
            .FollowedByAny("end").Where(Has("b"));
        var result = NfaHarness.For(p).Feed(L("a1", "b1", "a2", "b2"));
        if (skip)
        {
            result.AssertMatches("start:a1 end:b1", "start:a2 end:b2");
        }
        else
        {
            result.AssertMatches("start:a1 end:b1", "start:a1 end:b2", "start:a2 end:b2");
        }
    }

    [Fact]
    public void SkipToNextWithAQuantifierAtTheEnd()
    {
        var events = L("a1", "b1", "b2", "b3");
        Pattern<Ev> P(AfterMatchSkipStrategy s) => Pattern.Begin<Ev>("start", s).Where(Has("a")).Next("end").Where(Has("b")).OneOrMore();
        NfaHarness.For(P(AfterMatchSkipStrategy.NoSkip)).Feed(events).AssertMatches(
            "start:a1 end:b1", "start:a1 end:b1 end:b2", "start:a1 end:b1 end:b2 end:b3");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToNext)).Feed(events).AssertMatches("start:a1 end:b1");
    }

    [Fact]
    public void SkipToFirstAndSkipToLastWithTimes()
    {
        Pattern<Ev> P(AfterMatchSkipStrategy s) => Pattern.Begin<Ev>("start", s).Where(Has("a")).Times(2).Next("end").Where(Has("b")).Times(2);
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToFirst("end"))).Feed(L("ab1", "ab2", "ab3", "ab4", "ab5", "ab6")).AssertMatches(
            "start:ab1 start:ab2 end:ab3 end:ab4", "start:ab3 start:ab4 end:ab5 end:ab6");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToLast("end"))).Feed(L("ab1", "ab2", "ab3", "ab4", "ab5", "ab6", "ab7")).AssertMatches(
            "start:ab1 start:ab2 end:ab3 end:ab4", "start:ab4 start:ab5 end:ab6 end:ab7");
    }

    [Fact]
    public void SkipPastLastEventWithBranches()
    {
        // Flink's testSkipPastLast2: of all a-b-c-d combinations only the first survives. Which one is first among matches
        // with the same start event is Flink's priority-queue order; here the earliest-completed (then first-created) wins.
        var p = Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipPastLastEvent).Where(Has("a"))
            .FollowedByAny("b").Where(Has("b")).FollowedByAny("c").Where(Has("c")).FollowedBy("d").Where(Has("d"));
        var events = L("a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2");
        events[7] = events[7] with { Ts = 7 };
        NfaHarness.For(p).Feed(events).AssertMatches("a:a1 b:b1 c:c1 d:d1");

        var strict = Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipPastLastEvent).Where(Has("a")).Next("b").Where(Has("b"));
        NfaHarness.For(strict).Feed(L("a1", "c", "a2", "b2")).AssertMatches("a:a2 b:b2");
    }

    [Fact]
    public void SkipToFirstWithOptionalLoopAndAtTheStartPosition()
    {
        var optional = Pattern.Begin<Ev>("x", AfterMatchSkipStrategy.SkipToFirst("b")).Where(Has("x")).OneOrMore().Optional()
            .Next("b").Where(Has("b")).Next("c").Where(Has("c"));
        NfaHarness.For(optional).Feed(L("ab1", "c1", "ab2", "c2")).AssertMatches("b:ab1 c:c1", "b:ab2 c:c2");

        var atStart = Pattern.Begin<Ev>("b", AfterMatchSkipStrategy.SkipToFirst("b")).Where(Has("b")).Next("c").Where(Has("c"));
        NfaHarness.For(atStart).Feed(L("ab1", "c1", "ab2", "c2")).AssertMatches("b:ab1 c:c1", "b:ab2 c:c2");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SkipToFirstOrLastWithConsecutiveOneOrMore(bool first)
    {
        var skip = first ? AfterMatchSkipStrategy.SkipToFirst("b") : AfterMatchSkipStrategy.SkipToLast("b");
        var p = Pattern.Begin<Ev>("a", skip).Where(Has("a")).Next("b").Where(Has("b")).OneOrMore().Consecutive();
        NfaHarness.For(p).Feed(L("a1", "b1", "a2", "b2", "b3", "a3", "b4")).AssertMatches("a:a1 b:b1", "a:a2 b:b2", "a:a3 b:b4");
    }

    [Fact]
    public void ThrowExceptionOnMissWhenTheTargetIsTheFirstEventOfTheMatch()
    {
        var p = Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipToFirst("a").ThrowExceptionOnMiss()).Where(Has("a"));
        var error = Assert.Throws<InvalidOperationException>(() => NfaHarness.For(p).Feed(L("a1")));
        Assert.Equal(
            "Could not skip to stage 'a': its event is the first event of the match, so skipping would find the same match again.",
            error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SkipToAStageThatTookNoEvent(bool first)
    {
        AfterMatchSkipStrategy Skip() => first ? AfterMatchSkipStrategy.SkipToFirst("b") : AfterMatchSkipStrategy.SkipToLast("b");
        Pattern<Ev> P(AfterMatchSkipStrategy s) =>
            Pattern.Begin<Ev>("a", s).Where(Has("a")).Next("b").Where(Has("b")).OneOrMore().Optional().Consecutive().Next("c").Where(Has("c"));

        // Without the flag nothing is skipped (like NoSkip).
        NfaHarness.For(P(Skip())).Feed(L("a", "c")).AssertMatches("a:a c:c");

        var error = Assert.Throws<InvalidOperationException>(() => NfaHarness.For(P(Skip().ThrowExceptionOnMiss())).Feed(L("a", "c")));
        Assert.Equal("Could not skip to stage 'b': it took no event in the match {a: [a], c: [c]}.", error.Message);
    }

    [Fact]
    public void DocumentationExamplesWithAGreedyLoopAtTheBeginning()
    {
        var events = L("a1", "a2", "a3", "b1");
        Pattern<Ev> P(AfterMatchSkipStrategy s) =>
            Pattern.Begin<Ev>("a", s).Where(Has("a")).OneOrMore().Consecutive().Greedy().Next("b").Where(Has("b"));

        NfaHarness.For(P(AfterMatchSkipStrategy.NoSkip)).Feed(events).AssertMatches(
            "a:a1 a:a2 a:a3 b:b1", "a:a2 a:a3 b:b1", "a:a3 b:b1");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToNext)).Feed(events).AssertMatches(
            "a:a1 a:a2 a:a3 b:b1", "a:a2 a:a3 b:b1", "a:a3 b:b1");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipPastLastEvent)).Feed(events).AssertMatches("a:a1 a:a2 a:a3 b:b1");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToFirst("a"))).Feed(events).AssertMatches(
            "a:a1 a:a2 a:a3 b:b1", "a:a2 a:a3 b:b1", "a:a3 b:b1");
        NfaHarness.For(P(AfterMatchSkipStrategy.SkipToLast("a"))).Feed(events).AssertMatches("a:a1 a:a2 a:a3 b:b1", "a:a3 b:b1");
    }

    [Fact]
    public void SkipToFirstDiscardsRunsStartedBeforeTheTarget()
    {
        var p = Pattern.Begin<Ev>("a or c", AfterMatchSkipStrategy.SkipToFirst("c*")).Where(e => e.Name.Contains('a') || e.Name.Contains('c'))
            .FollowedBy("b or c").Where(e => e.Name.Contains('b') || e.Name.Contains('c'))
            .FollowedBy("c*").Where(Has("c")).OneOrMore().Greedy()
            .FollowedBy("d").Where(Has("d"));
        NfaHarness.For(p).Feed(L("a", "b", "c1", "c2", "c3", "d")).AssertMatches(
            "a or c:a b or c:b c*:c1 c*:c2 c*:c3 d:d", "a or c:c1 b or c:c2 c*:c3 d:d");
    }

    [Fact]
    public void AMatchIsHeldBackWhileAnEarlierRunIsAlive()
    {
        // b must have the price of a. {a2 c2 b1} completes first but waits for the run started at a1, which completes with b2;
        // then {a1 c1 b2} goes out first, skips to c1 (pruning nothing else), and {a2 c2 b1} follows.
        var p = Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipToFirst("c")).Where(Has("a"))
            .FollowedBy("c").Where(Has("c"))
            .FollowedBy("b").Where((e, ctx) => e.Name.Contains('b') && ctx.EventsFor("a")[0].Price == e.Price);
        Ev[] events =
        [
            new("a1", "a1", 0, 1), new("c1", "c1", 0, 2), new("a2", "a2", 1, 3), new("c2", "c2", 0, 4), new("b1", "b1", 1, 5), new("b2", "b2", 0, 6),
        ];

        Assert.Empty(NfaHarness.For(p).Feed(events[..5]).Matches);
        var result = NfaHarness.For(p).Feed(events);
        Assert.Equal(["a:a1 c:c1 b:b2", "a:a2 c:c2 b:b1"], result.InOrder);
    }

    [Fact]
    public void SharedBufferIsEmptyAfterSkipPastLastEvent()
    {
        var p = Pattern.Begin<Ev>("start", AfterMatchSkipStrategy.SkipPastLastEvent).Times(2);
        var result = NfaHarness.For(p).Feed(L("a1", "a2", "a3", "a4"));
        result.AssertMatches("start:a1 start:a2", "start:a3 start:a4");
        Assert.Equal(0, result.Counters.SharedBufferEvents);
        Assert.Equal(0, result.Counters.SharedBufferEntries);
    }
}
