using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Operators;

/// <summary>
/// A key that holds nothing any more stays in the operator's key table for a while, so that it comes back cheaply;
/// these tests pin that it still counts as gone for the key gauge, and that it is matched as before when it returns.
/// </summary>
public sealed class KeyRetentionTests
{
    private sealed record Ad(string User, string Kind, int Id);

    private static Instant T(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static Pattern<Ad> ExposureThenClick() =>
        Pattern.Begin<Ad>("exposure").Where(e => e.Kind == "e")
            .FollowedBy("click").Where(e => e.Kind == "c")
            .Within(Duration.FromMinutes(5));

    [Fact]
    public void AKeyWhoseMatchCompletedNoLongerCountsAndMatchesAgainWhenItReturns()
    {
        var output = new CollectingOutput<string, Ad>();
        var op = new CepOperator<string, Ad>(ExposureThenClick(), e => e.User, output);

        op.OnRecord(new Ad("u1", "e", 1), T(1000));
        op.OnRecord(new Ad("u1", "c", 2), T(1500));
        op.OnRecord(new Ad("u2", "e", 3), T(400_000));
        op.OnWatermark(T(1500));
        Assert.Equal(2, op.Counters.Keys); // u1 keeps its timer until the window passes; u2 has a buffered record

        op.OnWatermark(T(350_000));
        Assert.Equal(1, op.Counters.Keys); // u1 holds nothing now
        Assert.Single(output.Matches);

        op.OnRecord(new Ad("u1", "e", 4), T(500_000));
        op.OnWatermark(T(500_000));
        Assert.Equal(2, op.Counters.Keys); // u1 is back
        Assert.Equal(2, op.Counters.PartialMatches); // u1's new exposure and u2's
        op.OnRecord(new Ad("u1", "c", 5), T(600_000));
        op.OnWatermark(Instant.MaxValue);

        Assert.Equal(2, output.Matches.Count);
        Assert.Single(output.Timeouts);
        Assert.Equal(0, op.Counters.Keys);
        Assert.Equal(0, op.Counters.PartialMatches);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ManyKeysThatComeAndGoLeaveNoKeyCountedAndAllMatch()
    {
        var output = new CollectingOutput<string, Ad>();
        var op = new CepOperator<string, Ad>(ExposureThenClick(), e => e.User, output);
        var id = 0;
        for (var round = 0; round < 3; round++)
        {
            for (var user = 0; user < 3_000; user++)
            {
                var ms = (round * 1_000_000) + 1;
                op.OnRecord(new Ad($"u{user}", "e", id++), T(ms));
                op.OnRecord(new Ad($"u{user}", "c", id++), T(ms + 1));
            }

            op.OnWatermark(T((round * 1_000_000) + 400_000)); // past the window: the keys' timers have fired
            Assert.Equal(0, op.Counters.Keys);
        }

        Assert.Equal(9_000, output.Matches.Count);
        Assert.Empty(output.Timeouts);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ASnapshotWithAnEmptiedKeyRestoresToTheSameOutputAndBytes()
    {
        var whole = new CollectingOutput<string, Ad>();
        var uninterrupted = new CepOperator<string, Ad>(ExposureThenClick(), e => e.User, whole);
        var before = new CollectingOutput<string, Ad>();
        var first = new CepOperator<string, Ad>(ExposureThenClick(), e => e.User, before);
        foreach (var op in new[] { uninterrupted, first })
        {
            op.OnRecord(new Ad("u1", "e", 1), T(1000));
            op.OnRecord(new Ad("u1", "c", 2), T(1500));
            op.OnRecord(new Ad("u2", "e", 3), T(200_000));
            op.OnWatermark(T(320_000)); // u1's window has passed: it holds nothing
        }

        var bytes = first.Snapshot();
        var after = new CollectingOutput<string, Ad>();
        var second = new CepOperator<string, Ad>(ExposureThenClick(), e => e.User, after);
        second.Restore(bytes);
        Assert.Equal(bytes, second.Snapshot());
        Assert.Equal(1, second.Counters.Keys);

        foreach (var op in new[] { uninterrupted, second })
        {
            op.OnRecord(new Ad("u3", "e", 4), T(400_000));
            op.OnRecord(new Ad("u1", "e", 5), T(400_000));
            op.OnRecord(new Ad("u2", "c", 6), T(450_000));
            op.OnWatermark(Instant.MaxValue);
        }

        Assert.Equal(whole.MatchStrings(), before.MatchStrings().Concat(after.MatchStrings()));
        Assert.Equal(2, whole.Matches.Count);
        Assert.Equal(2, after.Timeouts.Count);
        Assert.Equal(whole.Timeouts.Count, after.Timeouts.Count);
        Assert.Equal(uninterrupted.Counters.ToString(), second.Counters.ToString());
    }
}
