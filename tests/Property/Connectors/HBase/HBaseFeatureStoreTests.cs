using System.Text;
using Cep.Connectors.Features;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer.Faults;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>What the HBase store adds to the contract: its table, its cells, its round trips.</summary>
public sealed class HBaseFeatureStoreTests
{
    private static FeatureRecord Rec(string key, Instant at, string value) => new(key, at, Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task OpeningCreatesTheTableWithTheTtlAndOneVersionOnce()
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(HBaseRestFormat.Protobuf);
        var options = new HBaseFeatureStoreOptions { Table = "features", Ttl = Duration.FromDays(7) };
        await using (var store = await HBaseFeatureStore.OpenAsync(client, options))
        {
            Assert.Equal(Duration.FromDays(7), store.Ttl);
        }

        var family = Assert.Single((await client.GetTableSchemaAsync("features"))!.ColumnFamilies);
        Assert.Equal(("f", Duration.FromDays(7), 1), (family.Name, family.Ttl, family.MaxVersions));
        await using var again = await HBaseFeatureStore.OpenAsync(client, options);
        Assert.Equal(4, h.Gateway.Counters.Handled(RequestKind.Schema)); // read (404) + create, the test's read, then one read only

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HBaseFeatureStore.OpenAsync(client, options with { Ttl = Duration.FromDays(1) }));
        Assert.Contains("TTL", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HBaseFeatureStoreOptions { Ttl = Duration.FromMilliseconds(1500) }.Validate());
        new HBaseFeatureStoreOptions { Ttl = Duration.FromMilliseconds(1500), Clock = h.Clock }.Validate();
    }

    [Theory]
    [InlineData(HBaseRestFormat.Protobuf)]
    [InlineData(HBaseRestFormat.Json)]
    public async Task OneCellPerKeyStampedWithEventTimeAndOneRequestPerBatch(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(format);
        await using var store = await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions { Ttl = Duration.FromMinutes(10) });
        var now = h.Clock.GetCurrentInstant();
        var records = Enumerable.Range(0, 300).Select(i => Rec($"req-{i}", now - Duration.FromSeconds(i), $"v{i}")).ToList();
        await store.WriteAsync(records);
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Put));
        Assert.Equal(300, h.Gateway.Counters.PutCells);

        var cell = await client.GetCellAsync("features", "req-42", "f:v");
        Assert.Equal(now - Duration.FromSeconds(42), cell!.Timestamp);
        Assert.Equal("v42", Encoding.UTF8.GetString(cell.Value.Span));

        var keys = records.Select(r => r.Key).Where((_, i) => i % 2 == 0).Append("missing").ToList();
        var found = await store.LookupAsync(keys, CancellationToken.None);
        Assert.Equal(150, found.Count);
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.MultiGet));

        // Without a client clock the gateway alone expires records, a TTL after their event time.
        h.Clock.Advance(Duration.FromMinutes(10) - Duration.FromSeconds(100) + Duration.FromMilliseconds(1));
        var left = await store.LookupAsync(keys, CancellationToken.None);
        Assert.Equal(records.Where((r, i) => i % 2 == 0 && i < 100).Select(r => r.Key).Order(), left.Keys.Order());
    }

    [Fact]
    public async Task AFailedWriteOrReadSurfacesAsHBaseRestException()
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(HBaseRestFormat.Protobuf, retries: 1);
        await using var store = await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions());
        h.Gateway.Faults.Add(new FaultRule(FaultKind.Unavailable) { Times = null });
        var error = await Assert.ThrowsAsync<HBaseRestException>(() => store.WriteAsync([Rec("k", h.Clock.GetCurrentInstant(), "v")]).AsTask());
        Assert.Equal("features", error.Table);
        await Assert.ThrowsAsync<HBaseRestException>(() => store.GetAsync("k").AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync([Rec("bad\uDC00", h.Clock.GetCurrentInstant(), "v")]).AsTask());
    }
}
