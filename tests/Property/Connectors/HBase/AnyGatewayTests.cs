using System.Text;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>
/// One script of client calls that holds on any HBase REST gateway: the in-repo one by default, or a real
/// <c>hbase rest</c> gateway when the environment variable <c>CEP_HBASE_REST_URL</c> names it (for example
/// <c>CEP_HBASE_REST_URL=http://hbase-rest:8080 ./test.sh</c>). Each run works in a table of its own and deletes it.
/// </summary>
public sealed class AnyGatewayTests
{
    public const string GatewayVariable = "CEP_HBASE_REST_URL";

    [Theory]
    [InlineData(HBaseRestFormat.Protobuf)]
    [InlineData(HBaseRestFormat.Json)]
    public async Task TheClientRoundTripsOnTheConfiguredGateway(HBaseRestFormat format)
    {
        var external = Environment.GetEnvironmentVariable(GatewayVariable);
        await using var local = string.IsNullOrEmpty(external) ? await HBaseRestGateway.StartAsync() : null;
        using var client = new HBaseRestClient(new HBaseRestClientOptions
        {
            Endpoints = { local?.BaseAddress ?? new Uri(external!) },
            Format = format,
            RetryDelay = TimeSpan.FromMilliseconds(50),
        });
        var table = $"cep_any_gateway_{format}_{Guid.NewGuid():N}".ToLowerInvariant();
        Assert.True(await client.CreateTableAsync(new HBaseTableSchema(table, [new HBaseColumnFamilySchema("f") { MaxVersions = 2 }])));
        try
        {
            Assert.Contains(table, await client.ListTablesAsync());
            var schema = await client.GetTableSchemaAsync(table);
            Assert.Equal("f", Assert.Single(schema!.ColumnFamilies).Name);

            var t1 = Instant.FromUnixTimeMilliseconds(1_700_000_000_000);
            await client.PutCellAsync(table, "row/1", "f:a", Bytes("one"), t1);
            await client.PutCellAsync(table, "row/1", "f:a", Bytes("two"), t1 + Duration.FromMilliseconds(1));
            await client.PutRowsAsync(table, [new HBaseRow("row 2", [new HBaseCell("f:a", Bytes("x"), t1)]), new HBaseRow("row:3", [new HBaseCell("f:b", Bytes("y"), t1)])]);

            var cell = await client.GetCellAsync(table, "row/1", "f:a");
            Assert.Equal("two", Text(cell!.Value));
            var versions = await client.GetRowAsync(table, "row/1", new HBaseGetOptions { MaxVersions = 2 });
            Assert.Equal(["two", "one"], versions!.Cells.Select(c => Text(c.Value)));
            Assert.Null(await client.GetRowAsync(table, "missing"));

            var found = await client.MultiGetAsync(table, ["row 2", "missing", "row:3"]);
            Assert.Equal(["row 2", "row:3"], found.Select(r => r.Key).Order(StringComparer.Ordinal));

            Assert.False(await client.CheckAndPutAsync(table, "row 2", "f:a", Bytes("not x"), [new HBaseCell("f:a", Bytes("z"))]));
            Assert.True(await client.CheckAndPutAsync(table, "row 2", "f:a", Bytes("x"), [new HBaseCell("f:a", Bytes("z"))]));
            Assert.Equal("z", Text((await client.GetCellAsync(table, "row 2", "f:a"))!.Value));

            var scanned = new List<string>();
            await foreach (var row in client.ScanAsync(table, new HBaseScanOptions { Prefix = "row", Batch = 1 }))
            {
                scanned.Add(row.Key);
            }

            Assert.Equal(["row 2", "row/1", "row:3"], scanned.Distinct());

            await client.DeleteRowAsync(table, "row:3");
            Assert.Null(await client.GetRowAsync(table, "row:3"));
        }
        finally
        {
            Assert.True(await client.DeleteTableAsync(table));
        }

        Assert.False(await client.TableExistsAsync(table));
    }

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(ReadOnlyMemory<byte> b) => Encoding.UTF8.GetString(b.Span);
}
