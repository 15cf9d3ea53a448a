using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>
/// Windows: Within(FirstAndLast) and Within(PreviousAndCurrent). A timed-out partial match is reported with the events it
/// had accepted, at first + window (or previous + the stage's window). Timestamps are milliseconds.
/// </summary>
public sealed class TimeoutTests
{
    private static Pattern<Ev> ABC() =>
        Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b").Where(Named("b")).FollowedBy("c").Where(Named("c"));

    [Fact]
    public void FirstAndLastWindowTimesOutAtFirstPlusWindow()
    {
        var p = ABC().Within(Duration.FromMilliseconds(10));
        var events = new[] { Of("a1", 1), Of("b1", 5), Of("a2", 8), Of("c1", 12), Of("b2", 15), Of("c2", 16) };
        NfaHarness.For(p).FeedUntil(long.MaxValue, events)
            .AssertMatches("a:a2 b:b2 c:c2")
            .AssertTimeouts("a:a1 b:b1 @11");
    }

    [Fact]
    public void AMatchMustSpanLessThanTheWindow()
    {
        var p = ABC().Within(Duration.FromMilliseconds(10));
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1), Of("b", 5), Of("c", 11))
            .AssertMatches()
            .AssertTimeouts("a:a b:b @11");
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1), Of("b", 5), Of("c", 10))
            .AssertMatches("a:a b:b c:c")
            .AssertTimeouts();
    }

    [Fact]
    public void TimeoutsFireOnTheWatermarkWithoutFurtherEvents()
    {
        var p = ABC().Within(Duration.FromMilliseconds(10));
        NfaHarness.For(p).FeedUntil(10, Of("a", 1), Of("b", 5)).AssertTimeouts();
        NfaHarness.For(p).FeedUntil(11, Of("a", 1), Of("b", 5)).AssertTimeouts("a:a b:b @11");
    }

    [Fact]
    public void EveryBranchTimesOutWithItsOwnEvents()
    {
        // a followedByAny b+: three partial matches wait for c when the window closes; the start state never times out.
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedByAny("b").Where(Named("b")).OneOrMore()
            .FollowedBy("c").Where(Named("c")).Within(Duration.FromMilliseconds(5));
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1), Of("b1", 2), Of("b2", 3)).AssertTimeouts(
            "a:a @6", "a:a b:b1 @6", "a:a b:b1 b:b2 @6", "a:a b:b2 @6");
    }

    [Fact]
    public void TheSmallestDeclaredWindowApplies()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).Within(Duration.FromMilliseconds(20))
            .FollowedBy("b").Where(Named("b")).Within(Duration.FromMilliseconds(5));
        Assert.Equal(Duration.FromMilliseconds(5), p.Window);
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1), Of("b", 7)).AssertMatches().AssertTimeouts("a:a @6");
    }

    [Fact]
    public void PreviousAndCurrentWindowOnlyAppliesWhileWaitingInItsStage()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b").Where(Named("b"))
            .FollowedBy("c").Where(Named("c")).Within(Duration.FromMilliseconds(3), WithinType.PreviousAndCurrent);

        // Waiting in c since b1 (2): at 6 it is 4 ms later, so the partial match {a1 b1} timed out at 2 + 3.
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a1", 1), Of("b1", 2), Of("c1", 6))
            .AssertMatches()
            .AssertTimeouts("a:a1 b:b1 @5");

        // Waiting in b is not limited: b comes 10 ms after a, then c within 3 ms of b.
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a2", 20), Of("b2", 30), Of("c2", 32))
            .AssertMatches("a:a2 b:b2 c:c2")
            .AssertTimeouts();
    }

    [Fact]
    public void PreviousAndCurrentTogetherWithAGlobalWindow()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a"))
            .FollowedBy("b").Where(Named("b")).Within(Duration.FromMilliseconds(4), WithinType.PreviousAndCurrent)
            .FollowedBy("c").Where(Named("c")).Within(Duration.FromMilliseconds(10));

        // b within 4 ms of a; the whole match within 10 ms.
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a1", 1), Of("b1", 6)).AssertTimeouts("a:a1 @5");
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a2", 1), Of("b2", 4), Of("c2", 12)).AssertTimeouts("a:a2 b:b2 @11");
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a3", 1), Of("b3", 4), Of("c3", 10)).AssertMatches("a:a3 b:b3 c:c3").AssertTimeouts();
    }

    [Fact]
    public void LoopWithALocalWindowBetweenItsEvents()
    {
        // a followedBy b+ (a partial match waiting in b times out 3 ms after its previous event) followedBy c.
        // {a b1 b2} still waits in the loop at 9 (it moves on to c only with the next event), so it times out at 4 + 3;
        // {a b1} already moved to c (which has no window) when b2 arrived, and completes.
        var p = Pattern.Begin<Ev>("a").Where(Named("a"))
            .FollowedBy("b").Where(Named("b")).OneOrMore().Within(Duration.FromMilliseconds(3), WithinType.PreviousAndCurrent)
            .FollowedBy("c").Where(Named("c"));
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1), Of("b1", 2), Of("b2", 4), Of("b3", 9), Of("c", 10))
            .AssertMatches("a:a b:b1 c:c")
            .AssertTimeouts("a:a b:b1 b:b2 @7");
    }

    [Fact]
    public void OptionalTailIsEmittedAtOnceAndItsWaitingRunStillTimesOut()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b").Where(Named("b")).Optional().Within(Duration.FromMilliseconds(5));
        NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a", 1))
            .AssertMatches("a:a")
            .AssertTimeouts("a:a @6");
    }
}
