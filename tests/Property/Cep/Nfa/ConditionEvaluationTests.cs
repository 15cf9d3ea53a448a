using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Nfa;

/// <summary>
/// How often and in what order user predicates run: each at most once per event and key, however many edges and
/// partial matches test it, and never where the pattern's own short-circuits (And, Or) would not reach it.
/// </summary>
public sealed class ConditionEvaluationTests
{
    private sealed record Ev(int Key, char Kind, int Id, string? Tag = null);

    private static Instant T(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static CollectingOutput<int, Ev> Run(Pattern<Ev> pattern, IEnumerable<Ev> events)
    {
        var output = new CollectingOutput<int, Ev>();
        var op = new CepOperator<int, Ev>(pattern, e => e.Key, output);
        var ms = 0L;
        foreach (var e in events)
        {
            op.OnRecord(e, T(ms++));
        }

        op.OnWatermark(Instant.MaxValue);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
        return output;
    }

    [Fact]
    public void EachPredicateRunsAtMostOncePerEventHoweverManyPartialMatchesWait()
    {
        // "click" is tested by the take edge and, negated, by the ignore edge of every waiting partial match.
        var exposureCalls = 0;
        var clickCalls = 0;
        var pattern = Pattern.Begin<Ev>("exposure").Where(e => { exposureCalls++; return e.Kind == 'e'; })
            .FollowedBy("click").Where(e => { clickCalls++; return e.Kind == 'c'; })
            .Within(Duration.FromMinutes(5));

        // Ten exposures wait before the click: the click predicate sees each event once, not once per partial match.
        var events = Enumerable.Range(1, 10).Select(i => new Ev(1, 'e', i)).Append(new Ev(1, 'x', 11)).Append(new Ev(1, 'c', 12)).ToList();
        var output = Run(pattern, events);

        Assert.Equal(10, output.Matches.Count);
        Assert.Equal(events.Count, exposureCalls);
        Assert.True(clickCalls <= events.Count, $"click predicate ran {clickCalls} times for {events.Count} events");
        Assert.True(clickCalls >= events.Count - 1, $"click predicate ran only {clickCalls} times: every event after the first exposure must be tested");
    }

    [Fact]
    public void ChainedWhereKeepsItsShortCircuit()
    {
        // The second predicate dereferences the tag, which only events passing the first one have.
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Tag is not null).Where(e => e.Tag!.Length > 1)
            .FollowedBy("b").Where(e => e.Kind == 'b').Where(e => e.Tag!.StartsWith('y'))
            .Within(Duration.FromMinutes(5));

        var output = Run(pattern, [new Ev(1, 'a', 1, "xx"), new Ev(1, 'a', 2), new Ev(1, 'z', 3), new Ev(1, 'b', 4, "yes")]);

        Assert.Empty(output.Errors);
        Assert.Equal(["a:1 b:4"], output.Matches.Select(m => $"a:{m.Match["a"][0].Id} b:{m.Match["b"][0].Id}"));
    }

    [Fact]
    public void OrTestsItsRightSideOnlyWhenTheLeftFails()
    {
        var rightCalls = 0;
        var pattern = Pattern.Begin<Ev>("a").Where(e => e.Kind == 'a').Or(e => { rightCalls++; return e.Kind == 'A'; })
            .Next("b").Where(e => e.Kind == 'b');

        var output = Run(pattern, [new Ev(1, 'a', 1), new Ev(1, 'b', 2), new Ev(1, 'A', 3), new Ev(1, 'b', 4)]);

        Assert.Equal(2, output.Matches.Count);
        Assert.Equal(3, rightCalls); // events 2, 3 and 4; event 1 passed on the left
    }

    [Fact]
    public void APredicateThatThrowsLeavesTheKeyAsItWasAndTheNextEventStillMatches()
    {
        var pattern = Pattern.Begin<Ev>("exposure").Where(e => e.Kind == 'e')
            .FollowedBy("click").Where(e => e.Kind == '!' ? throw new InvalidOperationException("bad click") : e.Kind == 'c')
            .Within(Duration.FromMinutes(5));

        var output = Run(pattern, [new Ev(1, 'e', 1), new Ev(1, 'e', 2), new Ev(1, '!', 3), new Ev(1, 'c', 4)]);

        var error = Assert.Single(output.Errors);
        Assert.Equal(3, error.Value.Id);
        Assert.Equal(2, output.Matches.Count);
        Assert.All(output.Matches, m => Assert.Equal(4, m.Match["click"][0].Id));
    }
}
