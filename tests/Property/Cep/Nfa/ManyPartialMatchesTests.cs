using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Nfa;

/// <summary>
/// A key's partial matches are stored inline up to a few and spill to an array beyond; counts that rise past that
/// and fall back, repeatedly, with a snapshot taken while spilled, must give exactly the matches a direct count does.
/// </summary>
public sealed class ManyPartialMatchesTests
{
    private sealed record Ev(int Key, bool IsClick, int Id);

    private static Pattern<Ev> ExposureThenClick() =>
        Pattern.Begin<Ev>("exposure").Where(e => !e.IsClick)
            .FollowedBy("click").Where(e => e.IsClick)
            .Within(Duration.FromMinutes(5));

    /// <summary>Bursts of exposures of growing and shrinking sizes, each closed by a click, on two keys.</summary>
    private static List<Ev> Bursts()
    {
        var events = new List<Ev>();
        var id = 0;
        foreach (var size in new[] { 3, 40, 2, 9, 1, 17, 8, 0, 25, 4 })
        {
            for (var i = 0; i < size; i++)
            {
                events.Add(new Ev(1, false, ++id));
                events.Add(new Ev(2, false, ++id));
            }

            events.Add(new Ev(1, true, ++id));
            if (size % 2 == 0)
            {
                events.Add(new Ev(2, true, ++id));
            }
        }

        return events;
    }

    /// <summary>The oracle: every exposure matches the first click of its key after it (all within the window here).</summary>
    private static List<string> Expected(List<Ev> events) =>
        events.Where(e => !e.IsClick)
            .Select(e => (e, click: events.FirstOrDefault(c => c.IsClick && c.Key == e.Key && c.Id > e.Id)))
            .Where(p => p.click is not null)
            .Select(p => $"{p.e.Id}->{p.click!.Id}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<string> Actual(CollectingOutput<int, Ev> output) =>
        output.Matches.Select(m => $"{m.Match["exposure"][0].Id}->{m.Match["click"][0].Id}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void CountsThatRiseAndFallPastTheInlineCapacityGiveEveryMatch()
    {
        var events = Bursts();
        var output = new CollectingOutput<int, Ev>();
        var op = new CepOperator<int, Ev>(ExposureThenClick(), e => e.Key, output);
        for (var i = 0; i < events.Count; i++)
        {
            op.OnRecord(events[i], Instant.FromUnixTimeMilliseconds(i));
            if (i % 7 == 0)
            {
                op.OnWatermark(Instant.FromUnixTimeMilliseconds(i));
            }
        }

        op.OnWatermark(Instant.MaxValue);

        Assert.Equal(Expected(events), Actual(output));
        Assert.Equal(events.Count(e => !e.IsClick) - output.Matches.Count, output.Timeouts.Count);
        Assert.Equal(0, op.Counters.PartialMatches);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ASnapshotTakenWhileSpilledRestoresEveryPartialMatch()
    {
        var events = Bursts();
        var expected = Expected(events);

        // Cut inside the 40-exposure burst, when key 1 holds far more partial matches than fit inline.
        var cut = events.FindIndex(e => e.Id == 60);
        var first = new CollectingOutput<int, Ev>();
        var op = new CepOperator<int, Ev>(ExposureThenClick(), e => e.Key, first);
        for (var i = 0; i < cut; i++)
        {
            op.OnRecord(events[i], Instant.FromUnixTimeMilliseconds(i));
        }

        op.OnWatermark(Instant.FromUnixTimeMilliseconds(cut - 1));
        Assert.True(op.Counters.PartialMatches > 2 * KeyStateInlineCapacity, $"only {op.Counters.PartialMatches} partial matches at the cut");
        var snapshot = op.Snapshot();

        var second = new CollectingOutput<int, Ev>();
        var restored = new CepOperator<int, Ev>(ExposureThenClick(), e => e.Key, second);
        restored.Restore(snapshot);
        for (var i = cut; i < events.Count; i++)
        {
            restored.OnRecord(events[i], Instant.FromUnixTimeMilliseconds(i));
        }

        restored.OnWatermark(Instant.MaxValue);

        Assert.Equal(expected, Actual(first).Concat(Actual(second)).Order(StringComparer.Ordinal).ToList());
        Assert.True(restored.Counters.Balanced, restored.Counters.ToString());
    }

    private const int KeyStateInlineCapacity = global::Cep.Nfa.KeyState<int>.InlinePartials;
}
