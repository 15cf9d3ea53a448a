using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Nfa;

/// <summary>
/// Matches completed by a take straight into the final state (no skip strategy) are emitted without storing their
/// last event: the view must still show every event, in order, with its timestamp, and the buffer must empty.
/// </summary>
public sealed class VirtualLeafTests
{
    private sealed record Ev(int Key, char Kind, int Id)
    {
        public override string ToString() => $"{Kind}{Id}";
    }

    private static bool Throw() => throw new InvalidOperationException("boom");

    private static Instant T(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static (CollectingOutput<int, Ev> Output, CepOperator<int, Ev> Op) Run(Pattern<Ev> pattern, params (char Kind, long Ms)[] events)
    {
        var output = new CollectingOutput<int, Ev>();
        var op = new CepOperator<int, Ev>(pattern, e => e.Key, output);
        for (var i = 0; i < events.Length; i++)
        {
            op.OnRecord(new Ev(1, events[i].Kind, i + 1), T(events[i].Ms));
        }

        op.OnWatermark(Instant.MaxValue);
        return (output, op);
    }

    [Fact]
    public void TwoStageMatchesShowBothEventsAndTheirTimestamps()
    {
        var pattern = Pattern.Begin<Ev>("exposure").Where(e => e.Kind == 'e')
            .FollowedBy("click").Where(e => e.Kind == 'c')
            .Within(Duration.FromMinutes(5));

        var (output, op) = Run(pattern, ('e', 10), ('e', 20), ('x', 25), ('c', 30));

        Assert.Equal(["exposure:e1 click:c4", "exposure:e2 click:c4"], output.MatchStrings());
        foreach (var (_, match) in output.Matches)
        {
            Assert.Equal(T(30), match.Last);
            Assert.Equal(2, match.Timestamps.Count);
        }

        Assert.Equal([T(10), T(30)], output.Matches.Single(m => m.Match["exposure"][0].Id == 1).Match.Timestamps);
        Assert.Equal(0, op.Counters.SharedBufferEvents);
        Assert.Equal(0, op.Counters.SharedBufferEntries);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void SingleStageMatchHasOnlyTheLeaf()
    {
        var pattern = Pattern.Begin<Ev>("click").Where(e => e.Kind == 'c');

        var (output, op) = Run(pattern, ('e', 1), ('c', 2), ('c', 3));

        Assert.Equal(["click:c2", "click:c3"], output.MatchStrings());
        Assert.Equal([T(2)], output.Matches[0].Match.Timestamps);
        Assert.Equal(0, op.Counters.SharedBufferEvents);
        Assert.Equal(0, op.Counters.SharedBufferEntries);
    }

    [Fact]
    public void LeafAfterALoopComesLastAndTheLoopKeepsItsOrder()
    {
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a').OneOrMore()
            .Next("b").Where(e => e.Kind == 'b');

        var (output, op) = Run(pattern, ('a', 1), ('a', 2), ('b', 3));

        Assert.Equal(["a:a1 a:a2 b:b3", "a:a2 b:b3"], output.MatchStrings());
        var longest = output.Matches.Single(m => m.Match["a"].Count == 2).Match;
        Assert.Equal([T(1), T(2), T(3)], longest.Timestamps);
        Assert.Equal(0, op.Counters.SharedBufferEvents);
        Assert.Equal(0, op.Counters.SharedBufferEntries);
    }

    [Fact]
    public void OptionalLastStageMatchesWithAndWithoutIt()
    {
        // With an optional last stage, a match can end with "b" (a take into a state that proceeds to the final state).
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a')
            .FollowedBy("b").Where(e => e.Kind == 'b')
            .FollowedBy("c").Where(e => e.Kind == 'c').Optional();

        var (output, op) = Run(pattern, ('a', 1), ('b', 2), ('c', 3));

        Assert.Equal(["a:a1 b:b2", "a:a1 b:b2 c:c3"], output.MatchStrings());
        Assert.Equal(0, op.Counters.SharedBufferEvents);
        Assert.Equal(0, op.Counters.SharedBufferEntries);
    }

    [Fact]
    public void IterativeConditionOnTheLastStageSeesThePartialMatch()
    {
        var pattern = Pattern.Begin<Ev>("exposure").Where(e => e.Kind == 'e')
            .FollowedBy("click").Where((e, ctx) => e.Kind == 'c' && ctx.EventsFor("exposure").Single().Id == 1);

        var (output, _) = Run(pattern, ('e', 1), ('e', 2), ('c', 3));

        Assert.Equal(["exposure:e1 click:c3"], output.MatchStrings());
    }

    [Fact]
    public void ConditionThrowingAfterAMatchWasCompletedLeavesTheStateAsItWas()
    {
        // The click c3 completes a match with e1, then the condition throws for e2: the step is undone as a whole.
        var pattern = Pattern.Begin<Ev>("exposure").Where(e => e.Kind == 'e')
            .FollowedBy("click").Where((e, ctx) => e.Kind == 'c' && (e.Id != 3 || ctx.EventsFor("exposure")[0].Id != 2 || Throw()));

        var (output, op) = Run(pattern, ('e', 1), ('e', 2), ('c', 3), ('c', 4));

        Assert.Single(output.Errors);
        Assert.Equal(["exposure:e1 click:c4", "exposure:e2 click:c4"], output.MatchStrings());
        Assert.Equal(0, op.Counters.SharedBufferEvents);
        Assert.Equal(0, op.Counters.SharedBufferEntries);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }
}
