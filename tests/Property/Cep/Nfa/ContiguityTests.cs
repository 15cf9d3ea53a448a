using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>The contiguity examples of the FlinkCEP documentation, and Flink's NFAITCase contiguity cases.</summary>
public sealed class ContiguityTests
{
    private static readonly Ev[] ACB1B2 = Seq("a", "c", "b1", "b2");

    [Fact]
    public void StrictContiguityOnACB1B2FindsNothing()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).Next("b").Where(Named("b"));
        Assert.Empty(NfaHarness.For(p).Feed(ACB1B2).Matches);
    }

    [Fact]
    public void RelaxedContiguityOnACB1B2TakesTheFirstB()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b").Where(Named("b"));
        NfaHarness.For(p).Feed(ACB1B2).AssertMatches("a:a b:b1");
    }

    [Fact]
    public void NonDeterministicRelaxedContiguityOnACB1B2TakesEveryB()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedByAny("b").Where(Named("b"));
        NfaHarness.For(p).Feed(ACB1B2).AssertMatches("a:a b:b1", "a:a b:b2");
    }

    [Fact]
    public void StrictContiguityMatchesDirectlyFollowingEvents()
    {
        // NFAITCase.testStrictContiguity-like: a next b on a b a c b.
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).Next("b").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "b1", "a2", "c", "b2")).AssertMatches("a:a1 b:b1");
    }

    [Fact]
    public void EveryEventCanStartANewRun()
    {
        var p = Pattern.Begin<Ev>("a").Where(Named("a")).FollowedBy("b").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "a2", "b1", "b2")).AssertMatches("a:a1 b:b1", "a:a2 b:b1");
    }

    [Fact]
    public void StrictThenRelaxedInOnePattern()
    {
        // NFAITCase.testSimplePatternNFA shape: start followedBy middle(subtype-like) followedBy end.
        var p = Pattern.Begin<Ev>("start").Where(Named("start"))
            .FollowedBy("middle").Where(e => e.Name == "middle" && e.Price > 5.0)
            .FollowedBy("end").Where(Named("end"));
        var events = new[]
        {
            Of("start1", 1), Of("x", 2), Of("middle1", 3, price: 5.0), Of("middle2", 4, price: 10.0), Of("end1", 5), Of("end2", 6),
        };
        NfaHarness.For(p).Feed(events).AssertMatches("start:start1 middle:middle2 end:end1");
    }

    [Fact]
    public void OptionalMiddleStageYieldsBothVariants()
    {
        // NFAITCase.testBranchingPatternMixedFollowedBy-like: c followedBy a? followedBy b.
        var p = Pattern.Begin<Ev>("start").Where(Named("c"))
            .FollowedBy("middle").Where(Named("a")).Optional()
            .FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("c", "a", "b")).AssertMatches("start:c middle:a end:b", "start:c end:b");
    }

    [Fact]
    public void OptionalStageWithStrictContiguityBehindIt()
    {
        // NFAITCase.testStartWithOptional / testEndWithOptional shapes.
        var startOptional = Pattern.Begin<Ev>("start").Where(Named("c")).Optional().FollowedBy("end").Where(Named("a"));
        NfaHarness.For(startOptional).Feed(Seq("c", "a")).AssertMatches("end:a", "start:c end:a");

        var endOptional = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).Optional();
        NfaHarness.For(endOptional).Feed(Seq("c", "a")).AssertMatches("start:c", "start:c end:a");
    }
}
