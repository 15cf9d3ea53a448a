using Cep.Joins.Lookup;
using Cep.Metrics;
using Cep.State;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupSnapshotTests
{
    private static LookupHarness Harness() => new(new AsyncLookupOptions { Linger = Duration.FromMilliseconds(5) });

    [Fact]
    public void ARestoredOperatorLooksTheRecordsInFlightUpAgainInTheirOrderWithTheirWatermarks()
    {
        var h = Harness();
        h.Source.Store[1] = "one";
        h.Record(0, 1);
        h.Watermark(50);
        h.Record(1, 2);
        var bytes = h.Operator.Snapshot();

        var restored = Harness();
        restored.Source.Store[1] = "one";
        restored.Operator.Restore(bytes);
        Assert.Equal(2, restored.Operator.Counters.InFlight);
        restored.Flush();
        Assert.Equal(
            ["Joined 0 0", "Watermark  50", "Miss 1 1"],
            restored.Output.Events.Select(e => $"{e.Kind} {e.Record?.Id} {e.Time.ToUnixTimeMilliseconds()}"));
        Assert.Equal([[1, 2]], restored.Source.Calls);
        Assert.True(restored.Operator.Counters.Balanced);
        Assert.Equal(2, restored.Operator.Counters.RecordsIn);
    }

    [Fact]
    public void RestoreNeedsAFreshOperator()
    {
        var h = Harness();
        h.Record(0, 1);
        var bytes = h.Operator.Snapshot();
        var error = Assert.Throws<InvalidOperationException>(() => h.Operator.Restore(bytes));
        Assert.Equal("Restore needs a fresh operator: this one has already received records, a watermark or a snapshot.", error.Message);
    }

    [Fact]
    public void CorruptOrForeignBytesAreRejected()
    {
        var h = Harness();
        h.Record(0, 1);
        var bytes = h.Operator.Snapshot();
        bytes[^12] ^= 0xFF;
        Assert.Throws<SnapshotFormatException>(() => Harness().Operator.Restore(bytes));
        Assert.Throws<SnapshotFormatException>(() => Harness().Operator.Restore("not a snapshot"u8));
    }

    [Fact]
    public void CountersArePublishedOnTheCepMeterAndBalance()
    {
        var h = Harness();
        h.Source.Store[1] = "one";
        var name = "lookup-" + Guid.NewGuid();
        using var tracking = CepMetrics.TrackCounters(h.Operator.Counters, name);
        h.Record(0, 1);
        h.Record(1, 2);
        h.Flush();
        h.Record(2, 3);

        var values = MetricsCollector.Collect(name);
        Assert.Equal(3, values["cep.async_lookup.records_in"]);
        Assert.Equal(1, values["cep.async_lookup.joined"]);
        Assert.Equal(1, values["cep.async_lookup.missed"]);
        Assert.Equal(1, values["cep.async_lookup.in_flight"]);
        Assert.Equal(1, values["cep.async_lookup.lookup_calls"]);
        Assert.Equal(
            values["cep.async_lookup.records_in"],
            values["cep.async_lookup.joined"] + values["cep.async_lookup.missed"] + values["cep.async_lookup.failed"]
                + values["cep.async_lookup.rejected"] + values["cep.async_lookup.in_flight"]);
    }
}
