using Cep.Metrics;
using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Metrics;

public sealed class CepMetricsTests
{
    private sealed record Ad(int User, char Kind, int Id);

    [Fact]
    public void CountersArePublishedAndBalance()
    {
        var pattern = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == 'e')
            .FollowedBy("click").Where(e => e.Kind == 'c')
            .Within(Duration.FromSeconds(10));
        var output = new CollectingOutput<int, Ad>();
        var op = new CepOperator<int, Ad>(pattern, e => e.User, output);
        var name = "balance-" + Guid.NewGuid();
        using var tracking = CepMetrics.Track(op.Counters, name);

        Instant S(int s) => Instant.FromUnixTimeSeconds(s);
        op.OnRecord(new Ad(1, 'e', 1), S(1));
        op.OnRecord(new Ad(2, 'e', 2), S(2));
        op.OnRecord(new Ad(1, 'c', 3), S(3));
        op.OnRecord(new Ad(3, 'x', 4), S(9));
        op.OnWatermark(S(5));
        op.OnRecord(new Ad(1, 'c', 5), S(4)); // late
        op.OnRecord(new Ad(2, 'c', 6), S(30)); // still buffered

        var values = MetricsCollector.Collect(name);
        Assert.Equal(6, values["cep.records.in"]);
        Assert.Equal(3, values["cep.records.processed"]);
        Assert.Equal(1, values["cep.records.late"]);
        Assert.Equal(0, values["cep.records.failed"]);
        Assert.Equal(2, values["cep.records.buffered"]);
        Assert.Equal(1, values["cep.matches"]);
        Assert.Equal(1, values["cep.partial_matches"]);
        Assert.Equal(1, values["cep.shared_buffer.events"]);
        Assert.Equal(1, values["cep.shared_buffer.entries"]);
        Assert.Equal(
            values["cep.records.in"],
            values["cep.records.processed"] + values["cep.records.late"] + values["cep.records.failed"] + values["cep.records.buffered"]);

        op.OnWatermark(Instant.MaxValue);
        values = MetricsCollector.Collect(name);
        Assert.Equal(0, values["cep.records.buffered"]);
        Assert.Equal(0, values["cep.partial_matches"]);
        Assert.Equal(0, values["cep.shared_buffer.events"]);
        Assert.Equal(0, values["cep.keys"]);
        Assert.Equal(1, values["cep.timeouts"]);
        Assert.True(op.Counters.Balanced);
    }

    [Fact]
    public void DisposingTheRegistrationStopsPublishing()
    {
        var op = new CepOperator<int, Ad>(Pattern.Begin<Ad>("a"), e => e.User, new CollectingOutput<int, Ad>());
        var name = "gone-" + Guid.NewGuid();
        CepMetrics.Track(op.Counters, name).Dispose();
        Assert.Empty(MetricsCollector.Collect(name));
    }
}
