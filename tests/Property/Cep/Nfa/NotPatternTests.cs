using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>NotNext and NotFollowedBy, after Flink's NotPatternITCase (events at timestamps 1, 2, 3, ... in list order).</summary>
public sealed class NotPatternTests
{
    private static Pattern<Ev> Start() => Pattern.Begin<Ev>("start").Where(Named("a"));

    [Fact]
    public void NotNextInTheMiddle()
    {
        var p = Start().NotNext("notPattern").Where(Named("b")).FollowedByAny("middle").Where(Named("c")).FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "c1", "b1", "c2", "d")).AssertMatches("start:a1 middle:c1 end:d", "start:a1 middle:c2 end:d");

        var relaxed = Start().NotNext("notPattern").Where(Named("b")).FollowedBy("middle").Where(Named("c")).FollowedBy("end").Where(Named("d"));
        NfaHarness.For(relaxed).Feed(Seq("a1", "b1", "c1", "c2", "d")).AssertMatches();
    }

    [Fact]
    public void NotNextAtTheEndWaitsForTheNextEvent()
    {
        var p = Start().FollowedByAny("middle").Where(Named("c")).FollowedByAny("end").Where(Named("d")).NotNext("notPattern").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "c1", "c2", "d", "b1")).AssertMatches();

        // Without a following event nothing is emitted; an allowed next event releases both matches.
        NfaHarness.For(p).Feed(Seq("a1", "c1", "c2", "d")).AssertMatches();
        NfaHarness.For(p).Feed(Seq("a1", "c1", "c2", "d", "x")).AssertMatches("start:a1 middle:c1 end:d", "start:a1 middle:c2 end:d");
    }

    [Fact]
    public void NotFollowedByInTheMiddle()
    {
        var p = Start().NotFollowedBy("notPattern").Where(Named("b")).FollowedByAny("middle").Where(Named("c")).FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "c1", "b1", "c2", "d")).AssertMatches("start:a1 middle:c1 end:d");
    }

    [Fact]
    public void NotFollowedByBeforeAnOptionalStage()
    {
        var p = Start().NotFollowedBy("notPattern").Where(Named("b")).FollowedByAny("middle").Where(Named("c")).Optional()
            .FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "c1", "b1", "c2", "d")).AssertMatches("start:a1 middle:c1 end:d");

        var atEnd = Start().NotFollowedBy("notPattern").Where(Named("b")).FollowedByAny("end").Where(Named("c")).Optional();
        NfaHarness.For(atEnd).Feed(Seq("a1", "c1", "b1", "c2")).AssertMatches("start:a1 end:c1", "start:a1");
    }

    [Fact]
    public void NotFollowedByBeforeOptionalTimes()
    {
        var p = Start().NotFollowedBy("notPattern").Where(Named("b")).FollowedByAny("middle").Where(Named("c")).Times(2).Optional()
            .FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "c1", "b1", "c2", "d")).AssertMatches("start:a1 middle:c1 middle:c2 end:d");

        // Out of time order in Flink's test (fed in list order there): a1 d1 e b1 c1 c2 d2.
        NfaHarness.For(p).Feed(Seq("a1", "d1", "e", "b1", "c1", "c2", "d2")).AssertMatches("start:a1 end:d1");
    }

    [Fact]
    public void TimesBeforeNotFollowedBy()
    {
        var p = Start().FollowedByAny("middle").Where(Named("b")).Times(2).NotFollowedBy("notPattern").Where(Named("c"))
            .FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "b1", "c", "b2", "d")).AssertMatches();
        NfaHarness.For(p).Feed(Seq("a1", "d1", "e", "b1", "b2", "c1", "d2")).AssertMatches();
    }

    [Fact]
    public void NotFollowedByWithBranchingAtTheStart()
    {
        var p = Start().NotFollowedBy("notPattern").Where(Named("b")).FollowedBy("middle").Where(Named("c")).FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "b1", "c1", "a2", "c2", "d")).AssertMatches("start:a2 middle:c2 end:d");
    }

    [Fact]
    public void NotNextAfterOneOrMore()
    {
        var events = Seq("a1", "b1", "c1", "b2", "d1");
        var next = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b*").Where(Named("b")).OneOrMore()
            .NotNext("not c").Where(Named("c")).FollowedBy("d").Where(Named("d"));
        NfaHarness.For(next).Feed(events).AssertMatches();

        var any = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedByAny("b*").Where(Named("b")).OneOrMore()
            .NotNext("not c").Where(Named("c")).FollowedBy("d").Where(Named("d"));
        NfaHarness.For(any).Feed(events).AssertMatches("a:a1 b*:b2 d:d1");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void NotFollowedByAfterOneOrMore(bool combinations, bool any)
    {
        var events = Seq("a1", "b1", "b2", "b3", "c1", "b4", "b5", "b6", "d1");
        var a = Pattern.Begin<Ev>("a").Where(Named("a"));
        var loop = (any ? a.FollowedByAny("b*") : a.FollowedBy("b*")).Where(Named("b")).OneOrMore();
        var p = (combinations ? loop.AllowCombinations() : loop).NotFollowedBy("not c").Where(Named("c")).FollowedBy("d").Where(Named("d"));
        var result = NfaHarness.For(p).Feed(events);
        if (!any)
        {
            Assert.Empty(result.Matches);
            return;
        }

        string[] expected =
        [
            "a:a1 b*:b4 b*:b5 b*:b6 d:d1", "a:a1 b*:b4 b*:b5 d:d1", "a:a1 b*:b4 d:d1",
            "a:a1 b*:b5 b*:b6 d:d1", "a:a1 b*:b5 d:d1", "a:a1 b*:b6 d:d1",
        ];
        result.AssertMatches(combinations ? [.. expected, "a:a1 b*:b4 b*:b6 d:d1"] : expected);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    public void NotFollowedByBeforeOneOrMore(bool combinations, bool any, bool zeroOrMore)
    {
        // a !c b+ d on a1 b1 c1 b4 b5 b6 d1: the NOT constraint ends once b1 is taken.
        var events = Seq("a1", "b1", "c1", "b4", "b5", "b6", "d1");
        var a = Pattern.Begin<Ev>("a").Where(Named("a")).NotFollowedBy("not c").Where(Named("c"));
        var loop = (any ? a.FollowedByAny("b*") : a.FollowedBy("b*")).Where(Named("b")).OneOrMore();
        loop = zeroOrMore ? loop.Optional() : loop;
        var p = (combinations ? loop.AllowCombinations() : loop).FollowedBy("d").Where(Named("d"));

        string[] expected =
        [
            "a:a1 b*:b1 b*:b4 b*:b5 b*:b6 d:d1", "a:a1 b*:b1 b*:b4 b*:b5 d:d1", "a:a1 b*:b1 b*:b4 d:d1", "a:a1 b*:b1 d:d1",
        ];
        string[] onlyWithCombinations =
        [
            "a:a1 b*:b1 b*:b4 b*:b6 d:d1", "a:a1 b*:b1 b*:b5 b*:b6 d:d1", "a:a1 b*:b1 b*:b5 d:d1", "a:a1 b*:b1 b*:b6 d:d1",
        ];
        NfaHarness.For(p).Feed(events).AssertMatches(combinations ? [.. expected, .. onlyWithCombinations] : expected);
    }

    [Theory]
    [InlineData(WithinType.FirstAndLast)]
    [InlineData(WithinType.PreviousAndCurrent)]
    public void NotFollowedByAtTheEndEmitsWhenTheWindowExpires(WithinType type)
    {
        var p = Start().NotFollowedBy("b").Where(Named("b")).Within(Duration.FromMilliseconds(3), type);
        var events = new[] { Of("a1", 1), Of("b1", 2), Of("a2", 4), Of("c", 5), Of("b2", 10), Of("a3", 11), Of("b3", 13) };
        var result = NfaHarness.For(p).Feed(events);
        result.AssertMatches("start:a2");

        // The pending match is a match, never a timeout; it is emitted at a2 + 3 ms, before b2 is processed.
        Assert.Empty(result.Timeouts);
        var a3 = NfaHarness.For(p).FeedUntil(long.MaxValue, Of("a3", 11));
        a3.AssertMatches("start:a3");
        Assert.Empty(a3.Timeouts);
    }

    [Fact]
    public void NotFollowedByBeforeOptionalTimesWithinAWindow()
    {
        var p = Start().NotFollowedBy("b").Where(Named("b")).FollowedBy("c").Where(Named("c")).Times(0, 2).Within(Duration.FromMilliseconds(3));
        var events = new[]
        {
            Of("a1", 1), Of("b1", 2), Of("a2", 10), Of("c1", 11), Of("c2", 12), Of("a3", 20), Of("c3", 21), Of("c4", 24),
        };
        NfaHarness.For(p).Feed(events).AssertMatches(
            "start:a1", "start:a2", "start:a2 c:c1", "start:a2 c:c1 c:c2", "start:a3", "start:a3 c:c3");
    }

    [Fact]
    public void PendingMatchesReleasedByTheWindowGoThroughTheSkipStrategy()
    {
        var p = Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipPastLastEvent).Where(Named("a")).OneOrMore().AllowCombinations()
            .FollowedBy("c").Where(Named("c"))
            .NotFollowedBy("b").Where(Named("b"))
            .Within(Duration.FromMilliseconds(5));
        var events = new[] { Of("a1", 1), Of("a2", 2), Of("a3", 3), Of("c1", 4), Of("c2", 10) };
        NfaHarness.For(p).Feed(events).AssertMatches("a:a1 a:a2 a:a3 c:c1");
    }
}
