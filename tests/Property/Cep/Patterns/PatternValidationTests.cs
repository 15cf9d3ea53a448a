using Cep.Compiler;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.Harness.Ev;

namespace Cep.Tests.Patterns;

/// <summary>
/// Every compile-time rule of the pattern language: the pattern is built and compiled, and the <see cref="PatternException"/>
/// must name the offending stage with the exact message. Rules on one stage fail while building, cross-stage rules when
/// compiling; both are covered by building inside the assertion.
/// </summary>
public sealed class PatternValidationTests
{
    private static PatternException Fails(Func<Pattern<Ev>> build) => Assert.Throws<PatternException>(() => NfaCompiler.Compile(build()));

    private static void AssertRule(Func<Pattern<Ev>> build, string stage, string rule)
    {
        var error = Fails(build);
        Assert.Equal(stage, error.StageName);
        Assert.Equal(rule, error.Rule);
        Assert.Equal($"Stage '{stage}': {rule}", error.Message);
    }

    private static Pattern<Ev> A() => Pattern.Begin<Ev>("a").Where(Named("a"));

    [Fact]
    public void DuplicateNames() => AssertRule(
        () => A().FollowedBy("b").FollowedBy("a"),
        "a",
        "the name is used by more than one stage; stage names must be unique in a pattern, including inside groups.");

    [Fact]
    public void DuplicateNamesInsideAGroup() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b").FollowedBy("a")),
        "a",
        "the name is used by more than one stage; stage names must be unique in a pattern, including inside groups.");

    [Fact]
    public void DuplicateNamesAcrossTwoGroups() => AssertRule(
        () => Pattern.Begin(Pattern.Begin<Ev>("x")).FollowedBy(Pattern.Begin<Ev>("x")),
        "x",
        "the name is used by more than one stage; stage names must be unique in a pattern, including inside groups.");

    [Fact]
    public void ColonInName()
    {
        AssertRule(() => Pattern.Begin<Ev>("a:1"), "a:1", "a stage name must not contain ':'.");
        AssertRule(() => A().FollowedBy("b:2"), "b:2", "a stage name must not contain ':'.");
    }

    [Fact]
    public void ReservedName() => AssertRule(() => A().Next("$endState$"), "$endState$", "the name '$endState$' is reserved.");

    [Fact]
    public void EmptyName() => AssertRule(() => A().Next(string.Empty), string.Empty, "a stage name must not be null or empty.");

    [Fact]
    public void TrailingNotFollowedByWithoutWindow() => AssertRule(
        () => A().NotFollowedBy("not"),
        "not",
        "NotFollowedBy as the last stage needs a window: add Within(...) so the match can be emitted when the window expires without a forbidden event.");

    [Fact]
    public void TrailingNotFollowedByWithAWindowIsAccepted()
    {
        NfaCompiler.Compile(A().NotFollowedBy("not").Where(Named("b")).Within(Duration.FromSeconds(1)));
        NfaCompiler.Compile(A().Within(Duration.FromSeconds(1)).NotFollowedBy("not").Where(Named("b")));
        NfaCompiler.Compile(A().NotFollowedBy("not").Where(Named("b")).Within(Duration.FromSeconds(1), WithinType.PreviousAndCurrent));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NotAfterAnOptionalStage(bool notNext) => AssertRule(
        () => notNext ? A().Optional().NotNext("not") : A().Optional().NotFollowedBy("not"),
        "not",
        $"{(notNext ? "NotNext" : "NotFollowedBy")} cannot follow the optional stage 'a'; write two patterns, one with and one without the optional stage.");

    [Fact]
    public void NotAfterAnOptionalTimesRange() => AssertRule(
        () => A().Times(0, 2).NotNext("not"),
        "not",
        "NotNext cannot follow the optional stage 'a'; write two patterns, one with and one without the optional stage.");

    [Fact]
    public void OptionalAfterGreedy() => AssertRule(
        () => A().OneOrMore().Greedy().FollowedBy("b").Optional(),
        "b",
        "an optional stage cannot directly follow the greedy stage 'a'.");

    [Fact]
    public void OptionalTimesRangeAfterGreedy() => AssertRule(
        () => A().OneOrMore().Greedy().FollowedBy("b").Times(0, 2),
        "b",
        "an optional stage cannot directly follow the greedy stage 'a'.");

    [Fact]
    public void GreedyOnAGroup() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b")).OneOrMore().Greedy(),
        "group:b",
        "Greedy() does not apply to a group.");

    [Fact]
    public void GreedyOnANotStage() => AssertRule(
        () => A().NotNext("not").Greedy(),
        "not",
        "Greedy() does not apply to a NotNext or NotFollowedBy stage.");

    [Fact]
    public void GreedyOnASingleStage() => AssertRule(
        () => A().Greedy(),
        "a",
        "Greedy() applies only to looping or times stages, not to a single-event stage.");

    [Theory]
    [InlineData("Times")]
    [InlineData("OneOrMore")]
    [InlineData("TimesOrMore")]
    public void QuantifierAppliedTwice(string second) => AssertRule(
        () =>
        {
            var looping = A().OneOrMore();
            return second switch
            {
                "Times" => looping.Times(2),
                "OneOrMore" => looping.OneOrMore(),
                _ => looping.TimesOrMore(2),
            };
        },
        "a",
        $"{second}(): a quantifier is already applied to this stage (followedBy'a'{{1,}}).");

    [Theory]
    [InlineData("Times")]
    [InlineData("OneOrMore")]
    [InlineData("TimesOrMore")]
    public void QuantifierOnANotStage(string quantifier) => AssertRule(
        () =>
        {
            var not = A().NotFollowedBy("not");
            return quantifier switch
            {
                "Times" => not.Times(2),
                "OneOrMore" => not.OneOrMore(),
                _ => not.TimesOrMore(2),
            };
        },
        "not",
        $"{quantifier}() does not apply to a NotNext or NotFollowedBy stage.");

    [Fact]
    public void OptionalOnANotStage() => AssertRule(
        () => A().NotNext("not").Optional(),
        "not",
        "a NotNext or NotFollowedBy stage cannot be optional.");

    [Fact]
    public void UntilOnANonLoopingStage()
    {
        AssertRule(() => A().Until(Named("b")), "a", "Until() applies only to looping stages (OneOrMore, TimesOrMore).");
        AssertRule(() => A().Times(1, 3).Until(Named("b")), "a", "Until() applies only to looping stages (OneOrMore, TimesOrMore).");
    }

    [Fact]
    public void UntilTwice() => AssertRule(
        () => A().OneOrMore().Until(Named("b")).Until(Named("c")),
        "a",
        "Until() can be applied only once per stage.");

    [Fact]
    public void UntilOnAGroup() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b")).OneOrMore().Until(Named("c")),
        "group:b",
        "Until() does not apply to a group.");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TimesNotPositive(int n)
    {
        AssertRule(() => A().Times(n), "a", $"Times({n}): the number of events must be greater than 0.");
        AssertRule(() => A().TimesOrMore(n), "a", $"TimesOrMore({n}): the number of events must be greater than 0.");
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(-1, 2)]
    [InlineData(0, 0)]
    public void BadTimesRange(int from, int to) => AssertRule(
        () => A().Times(from, to),
        "a",
        $"Times({from}, {to}): the range must satisfy 0 <= from <= to and to > 0.");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnknownSkipTarget(bool first) => AssertRule(
        () => Pattern.Begin<Ev>("a", first ? AfterMatchSkipStrategy.SkipToFirst("zz") : AfterMatchSkipStrategy.SkipToLast("zz"))
            .FollowedBy(Pattern.Begin<Ev>("b")).FollowedBy("c"),
        "zz",
        $"the skip strategy {(first ? "SkipToFirst" : "SkipToLast")}('zz') names a stage that is not in the pattern; the stages are 'a', 'b', 'c'.");

    [Fact]
    public void SkipTargetInsideAGroupIsKnown() =>
        NfaCompiler.Compile(Pattern.Begin<Ev>("a", AfterMatchSkipStrategy.SkipToFirst("b")).FollowedBy(Pattern.Begin<Ev>("b")).FollowedBy("c"));

    [Fact]
    public void LocalWindowLargerThanTheGlobalWindow() => AssertRule(
        () => A().Within(Duration.FromSeconds(5))
            .FollowedBy("b").Within(Duration.FromSeconds(10), WithinType.PreviousAndCurrent),
        "b",
        "the previous-to-current window 0:00:00:10 is larger than the pattern's first-to-last window 0:00:00:05.");

    [Fact]
    public void LocalWindowInsideAGroupLargerThanTheGlobalWindow() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b").Within(Duration.FromSeconds(10), WithinType.PreviousAndCurrent))
            .Within(Duration.FromSeconds(5)),
        "b",
        "the previous-to-current window 0:00:00:10 is larger than the pattern's first-to-last window 0:00:00:05.");

    [Fact]
    public void NotFollowedByAsTheLastStageOfAGroup() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b").NotFollowedBy("not")).FollowedBy("c").Within(Duration.FromSeconds(1)),
        "not",
        "NotFollowedBy cannot be the last stage of a group; put the constraint after the group.");

    [Fact]
    public void WhereOnAGroup() => AssertRule(
        () => A().FollowedBy(Pattern.Begin<Ev>("b")).Where(Named("b")),
        "group:b",
        "Where() does not apply to a group; put conditions on the group's stages.");

    [Fact]
    public void InnerContiguityOnASingleStageOrTwice()
    {
        AssertRule(() => A().Consecutive(), "a", "Consecutive() applies only to looping or times stages, not to a single-event stage.");
        AssertRule(() => A().OneOrMore().Consecutive().AllowCombinations(), "a", "AllowCombinations(): the inner contiguity is already set.");
    }
}
