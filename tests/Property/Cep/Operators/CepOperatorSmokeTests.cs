using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Operators;

public sealed class CepOperatorSmokeTests
{
    private sealed record Ad(string User, string Kind, int Id)
    {
        public override string ToString() => $"{Kind}{Id}";
    }

    private static Instant T(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    [Fact]
    public void ExposureThenClickInTheSameMillisecondMatchesWhenTheExposureArrivedFirst()
    {
        var pattern = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == "e")
            .FollowedBy("click").Where(e => e.Kind == "c")
            .Within(Duration.FromMinutes(5));
        var output = new CollectingOutput<string, Ad>();
        var op = new CepOperator<string, Ad>(pattern, e => e.User, output);

        op.OnRecord(new Ad("u1", "e", 1), T(1000));
        op.OnRecord(new Ad("u1", "c", 2), T(1000));
        op.OnWatermark(T(1000));

        Assert.Equal(["exposure:e1 click:c2"], output.MatchStrings());
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }

    [Fact]
    public void ClickArrivingBeforeItsSameMillisecondExposureDoesNotMatch()
    {
        var pattern = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == "e")
            .FollowedBy("click").Where(e => e.Kind == "c")
            .Within(Duration.FromMinutes(5));
        var output = new CollectingOutput<string, Ad>();
        var op = new CepOperator<string, Ad>(pattern, e => e.User, output);

        op.OnRecord(new Ad("u1", "c", 2), T(1000));
        op.OnRecord(new Ad("u1", "e", 1), T(1000));
        op.OnWatermark(Instant.MaxValue);

        Assert.Empty(output.Matches);
        var timeout = Assert.Single(output.Timeouts);
        Assert.Equal("exposure:e1", CollectingOutput<string, Ad>.Describe(timeout.Partial));
        Assert.Equal(T(1000) + Duration.FromMinutes(5), timeout.TimedOutAt);
    }

    [Fact]
    public void OutOfOrderRecordsAreProcessedInTimestampOrderAndLateOnesAreReported()
    {
        var pattern = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == "e")
            .FollowedBy("click").Where(e => e.Kind == "c");
        var output = new CollectingOutput<string, Ad>();
        var op = new CepOperator<string, Ad>(pattern, e => e.User, output);

        op.OnRecord(new Ad("u1", "c", 2), T(20));
        op.OnRecord(new Ad("u1", "e", 1), T(10));
        op.OnWatermark(T(20));
        op.OnRecord(new Ad("u1", "c", 3), T(20));

        Assert.Equal(["exposure:e1 click:c2"], output.MatchStrings());
        var late = Assert.Single(output.Late);
        Assert.Equal(3, late.Value.Id);
        Assert.Equal(3, op.Counters.RecordsIn);
        Assert.Equal(1, op.Counters.RecordsLate);
        Assert.True(op.Counters.Balanced, op.Counters.ToString());
    }
}
