using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>Group patterns with quantifiers, after Flink's GroupITCase. Events are reported under the inner stage names.</summary>
public sealed class GroupTests
{
    private static readonly Ev[] CABABD = Seq("c", "a1", "b1", "a2", "b2", "d");

    private static readonly Ev[] CABABABD = Seq("c", "a1", "b1", "a2", "b2", "a3", "b3", "d");

    private static Pattern<Ev> AB() => Pattern.Begin<Ev>("middle1").Where(Named("a")).FollowedBy("middle2").Where(Named("b"));

    private static Pattern<Ev> Around(Func<Pattern<Ev>, Pattern<Ev>> group, bool any = false)
    {
        var start = Pattern.Begin<Ev>("start").Where(Named("c"));
        return group(any ? start.FollowedByAny(AB()) : start.FollowedBy(AB())).FollowedBy("end").Where(Named("d"));
    }

    [Fact]
    public void GroupTimesTwo()
    {
        NfaHarness.For(Around(g => g.Times(2))).Feed(CABABD)
            .AssertMatches("start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d");
    }

    [Fact]
    public void OptionalGroup()
    {
        NfaHarness.For(Around(g => g.Optional())).Feed(Seq("c", "a1", "a2", "b", "d"))
            .AssertMatches("start:c end:d", "start:c middle1:a1 middle2:b end:d");
    }

    [Fact]
    public void OptionalGroupTimesTwoThatDoesNotComplete()
    {
        NfaHarness.For(Around(g => g.Times(2).Optional())).Feed(Seq("c", "a", "d")).AssertMatches("start:c end:d");
    }

    [Fact]
    public void GroupOneOrMoreAndZeroOrMore()
    {
        NfaHarness.For(Around(g => g.OneOrMore())).Feed(CABABD).AssertMatches(
            "start:c middle1:a1 middle2:b1 end:d",
            "start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d");
        NfaHarness.For(Around(g => g.OneOrMore().Optional())).Feed(CABABD).AssertMatches(
            "start:c end:d",
            "start:c middle1:a1 middle2:b1 end:d",
            "start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d");
    }

    [Fact]
    public void FollowedByAnyGroupTimesWithAllowCombinations()
    {
        NfaHarness.For(Around(g => g.Times(2).AllowCombinations(), any: true)).Feed(CABABABD).AssertMatches(
            "start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d",
            "start:c middle1:a1 middle1:a3 middle2:b1 middle2:b3 end:d",
            "start:c middle1:a2 middle1:a3 middle2:b2 middle2:b3 end:d");
    }

    [Fact]
    public void FollowedByAnyGroupTimesRelaxed()
    {
        // Without AllowCombinations the second copy of the group must follow the first directly (skip till next).
        NfaHarness.For(Around(g => g.Times(2), any: true)).Feed(CABABABD).AssertMatches(
            "start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d",
            "start:c middle1:a2 middle1:a3 middle2:b2 middle2:b3 end:d");
    }

    [Fact]
    public void NextGroupOneOrMoreConsecutive()
    {
        // c next (a next b)+ consecutive, followedBy d: the x breaks the loop.
        var group = Pattern.Begin<Ev>("middle1").Where(Named("a")).Next("middle2").Where(Named("b"));
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).Next(group).OneOrMore().Consecutive().FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "b1", "x", "a2", "b2", "d")).AssertMatches("start:c middle1:a1 middle2:b1 end:d");
        NfaHarness.For(p).Feed(Seq("c", "a1", "b1", "a2", "b2", "d")).AssertMatches(
            "start:c middle1:a1 middle2:b1 end:d", "start:c middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d");
    }

    [Fact]
    public void GroupAtTheBeginning()
    {
        var p = Pattern.Begin(AB()).Times(2).FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("a1", "b1", "a2", "b2", "d")).AssertMatches("middle1:a1 middle1:a2 middle2:b1 middle2:b2 end:d");
    }

    [Fact]
    public void NestedGroup()
    {
        // c ((a b) e)? d
        var inner = Pattern.Begin(AB()).FollowedBy("middle3").Where(Named("e"));
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy(inner).Optional().FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("c", "a", "b", "e", "d")).AssertMatches(
            "start:c end:d", "start:c middle1:a middle2:b middle3:e end:d");
    }

    [Fact]
    public void NestedOptionalGroupsCanBothBeSkipped()
    {
        // c ((a b)? e)? d: the inner group is optional and the first stage of the optional outer group.
        var inner = Pattern.Begin(AB()).Optional().FollowedBy("middle3").Where(Named("e"));
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy(inner).Optional().FollowedBy("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("c", "e", "d")).AssertMatches("start:c end:d", "start:c middle3:e end:d");
        NfaHarness.For(p).Feed(Seq("c", "a", "b", "e", "d")).AssertMatches(
            "start:c end:d", "start:c middle3:e end:d", "start:c middle1:a middle2:b middle3:e end:d");
    }
}
