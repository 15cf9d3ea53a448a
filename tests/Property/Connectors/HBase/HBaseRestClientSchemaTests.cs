using Cep.Connectors.HBase;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Schema operations, table listing and the version and status resources, in both formats.</summary>
public sealed class HBaseRestClientSchemaTests
{
    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task TablesAreCreatedReadListedAndDeleted(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(format);
        Assert.False(await client.TableExistsAsync("events"));
        Assert.Null(await client.GetTableSchemaAsync("events"));
        var schema = new HBaseTableSchema("events",
        [
            new HBaseColumnFamilySchema("f") { Ttl = Duration.FromHours(2), MaxVersions = 4, Attributes = new Dictionary<string, string> { ["BLOOMFILTER"] = "ROWCOL" } },
            new HBaseColumnFamilySchema("g"),
        ]);
        Assert.True(await client.CreateTableAsync(schema));
        Assert.True(await client.TableExistsAsync("events"));

        var read = await client.GetTableSchemaAsync("events");
        Assert.NotNull(read);
        Assert.Equal("events", read.Name);
        var f = read.ColumnFamilies.Single(c => c.Name == "f");
        Assert.Equal(Duration.FromHours(2), f.Ttl);
        Assert.Equal(4, f.MaxVersions);
        Assert.Equal("ROWCOL", f.Attributes["BLOOMFILTER"]);
        var g = read.ColumnFamilies.Single(c => c.Name == "g");
        Assert.Null(g.Ttl); // HBase's "forever"
        Assert.Equal(1, g.MaxVersions);

        Assert.True(await client.CreateTableAsync(new HBaseTableSchema("other", [new HBaseColumnFamilySchema("x")])));
        Assert.Equal(["events", "other"], (await client.ListTablesAsync()).Order(StringComparer.Ordinal));
        Assert.True(await client.DeleteTableAsync("events"));
        Assert.False(await client.DeleteTableAsync("events"));
        Assert.False(await client.TableExistsAsync("events"));
        Assert.Equal(["other"], await client.ListTablesAsync());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task VersionAndClusterResourcesAreRead(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync(configure: o => new Cep.HBaseRestServer.HBaseRestGatewayOptions
        {
            Clock = o.Clock, Store = o.Store, ClusterVersion = "2.6.1-test",
        });
        var client = await h.ClientWithTableAsync(format);
        var version = await client.GetVersionAsync();
        Assert.Equal("0.0.3", version.Rest);
        Assert.False(string.IsNullOrEmpty(version.Jvm));
        Assert.Equal("2.6.1-test", await client.GetClusterVersionAsync());
        var status = await client.GetClusterStatusAsync();
        var node = Assert.Single(status.LiveNodes);
        Assert.Contains(h.Gateway.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Name);
        Assert.True(status.Regions >= 1);
        Assert.Empty(status.DeadNodes);
    }
}
