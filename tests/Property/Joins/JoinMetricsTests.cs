using Cep.Joins.Interval;
using Cep.Metrics;
using Cep.Tests.Harness;
using Cep.Tests.Joins.Interval;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins;

public sealed class JoinMetricsTests
{
    [Fact]
    public void ArgumentChecking()
    {
        Assert.Throws<ArgumentNullException>(() => CepMetrics.TrackCounters(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => CepMetrics.TrackCounters(new object(), null!));
        Assert.Throws<ArgumentException>(() => CepMetrics.TrackCounters(new object(), "x"));
    }

    [Fact]
    public void AnIntervalJoinsCountersArePublishedUnderItsKindAndTheyBalance()
    {
        var output = new JoinCollector<int>();
        var join = new IntervalJoinOperator<int, Rec, Rec>(
            l => l.Key, r => r.Key, JoinBounds.Between(Duration.Zero, Duration.FromMilliseconds(10)), output);
        var name = "interval-" + Guid.NewGuid();
        using var tracking = CepMetrics.TrackCounters(join.Counters, name);

        Rec At(int key, long ms, int id) => new(key, ms * JoinTestSupport.TicksPerMs, id);
        join.OnLeft(At(1, 0, 1), JoinTestSupport.Ms(0));
        join.OnRight(At(1, 5, 2), JoinTestSupport.Ms(5));
        join.OnRight(At(2, 5, 3), JoinTestSupport.Ms(5));
        join.OnLeftWatermark(JoinTestSupport.Ms(20));
        join.OnRightWatermark(JoinTestSupport.Ms(20));
        join.OnLeft(At(1, 3, 4), JoinTestSupport.Ms(3)); // late on the left

        var values = MetricsCollector.Collect(name);
        Assert.Single(output.Pairs);
        Assert.Equal(join.Counters.Pairs, values["cep.interval_join.pairs"]);
        Assert.Equal(1, values["cep.interval_join.pairs"]);
        Assert.Equal(2, values["cep.interval_join.left_in"]);
        Assert.Equal(2, values["cep.interval_join.right_in"]);
        Assert.Equal(1, values["cep.interval_join.left_late"]);
        Assert.Equal(
            values["cep.interval_join.left_in"],
            values["cep.interval_join.left_late"] + values["cep.interval_join.left_buffered"]
                + values["cep.interval_join.left_released_joined"] + values["cep.interval_join.left_released_unmatched"]);
        Assert.True(join.Counters.Balanced);
    }
}
