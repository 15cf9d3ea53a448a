using Cep.Patterns;
using Cep.Tests.Harness;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Nfa;

/// <summary>Times(n) and Times(from, to), after Flink's NFAITCase and TimesRangeITCase.</summary>
public sealed class TimesRangeTests
{
    private static Pattern<Ev> CAD(Func<Pattern<Ev>, Pattern<Ev>> middle) =>
        middle(Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(Named("a")))
            .FollowedBy("end").Where(Named("d"));

    [Fact]
    public void TimesExactly()
    {
        NfaHarness.For(CAD(p => p.Times(2))).Feed(Seq("c", "a1", "x", "a2", "a3", "d"))
            .AssertMatches("start:c middle:a1 middle:a2 end:d");
        NfaHarness.For(CAD(p => p.Times(3))).Feed(Seq("c", "a1", "a2", "d")).AssertMatches();
    }

    [Fact]
    public void TimesRangeEmitsEveryCount()
    {
        NfaHarness.For(CAD(p => p.Times(1, 3))).Feed(Seq("c", "a1", "a2", "a3", "a4", "d")).AssertMatches(
            "start:c middle:a1 end:d", "start:c middle:a1 middle:a2 end:d", "start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void TimesRangeFromZeroIsOptional()
    {
        NfaHarness.For(CAD(p => p.Times(0, 2))).Feed(Seq("c", "a1", "a2", "d")).AssertMatches(
            "start:c end:d", "start:c middle:a1 end:d", "start:c middle:a1 middle:a2 end:d");
    }

    [Fact]
    public void TimesRangeConsecutive()
    {
        NfaHarness.For(CAD(p => p.Times(2, 3).Consecutive())).Feed(Seq("c", "a1", "a2", "x", "a3", "d")).AssertMatches(
            "start:c middle:a1 middle:a2 end:d");
    }

    [Fact]
    public void TimesRangeAllowCombinations()
    {
        NfaHarness.For(CAD(p => p.Times(2, 3).AllowCombinations())).Feed(Seq("c", "a1", "a2", "a3", "d")).AssertMatches(
            "start:c middle:a1 middle:a2 end:d",
            "start:c middle:a1 middle:a3 end:d",
            "start:c middle:a1 middle:a2 middle:a3 end:d");
    }

    [Fact]
    public void TimesRangeAtTheEndAndOptional()
    {
        var atEnd = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("end").Where(Named("a")).Times(1, 2).Optional();
        NfaHarness.For(atEnd).Feed(Seq("c", "a1", "a2", "a3")).AssertMatches("start:c", "start:c end:a1", "start:c end:a1 end:a2");
    }

    [Fact]
    public void TimesWithNextAfterIt()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("c")).FollowedBy("middle").Where(Named("a")).Times(2).Next("end").Where(Named("d"));
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "a3", "d")).AssertMatches();
        NfaHarness.For(p).Feed(Seq("c", "a1", "a2", "d")).AssertMatches("start:c middle:a1 middle:a2 end:d");
    }

    [Fact]
    public void TimesAtTheStartStartsEverywhere()
    {
        var p = Pattern.Begin<Ev>("start").Where(Named("a")).Times(2).FollowedBy("end").Where(Named("b"));
        NfaHarness.For(p).Feed(Seq("a1", "a2", "a3", "b")).AssertMatches("start:a1 start:a2 end:b", "start:a2 start:a3 end:b");
    }
}
