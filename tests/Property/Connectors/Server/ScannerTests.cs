using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using NodaTime;
using Xunit;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.Server;

public sealed class ScannerTests
{
    private static async Task SeedAsync(TestGateway g)
    {
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        await g.PutCellsAsync("t/x",
            new Cell("a1", "cf:x", "1", 1), new Cell("a1", "cf:y", "2", 1), new Cell("a2", "cf:x", "3", 1),
            new Cell("b1", "cf:x", "4", 1), new Cell("b2", "cf:x", "5", 1));
    }

    private static async Task<Uri> OpenAsync(TestGateway g, HttpContent spec)
    {
        using var response = await g.SendAsync(HttpMethod.Put, "t/scanner", spec);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(new Uri(g.Gateway.BaseAddress, "t/scanner/").ToString(), location.ToString(), StringComparison.Ordinal);
        return location;
    }

    [Theory]
    [InlineData(TestGateway.Json)]
    [InlineData(TestGateway.Protobuf)]
    public async Task ScannerReturnsBatchesThen204ThenDeletes(string format)
    {
        await using var g = await TestGateway.StartAsync();
        await SeedAsync(g);
        HttpContent spec = format == TestGateway.Json
            ? new StringContent("{\"batch\":2}", Encoding.UTF8, TestGateway.Json)
            : Proto(new Wire.Scanner { Batch = 2 });
        var scanner = await OpenAsync(g, spec);
        var seen = new List<Cell>();
        var calls = 0;
        while (true)
        {
            using var next = await g.GetAsync(scanner.ToString(), format);
            if (next.StatusCode == HttpStatusCode.NoContent)
            {
                break;
            }
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            var cells = await CellSets.ReadAsync(next);
            Assert.InRange(cells.Count, 1, 2);
            seen.AddRange(cells);
            calls++;
        }
        Assert.Equal(3, calls);
        Assert.Equal(["a1/cf:x", "a1/cf:y", "a2/cf:x", "b1/cf:x", "b2/cf:x"], seen.Select(c => $"{c.Row}/{c.Column}"));
        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, scanner.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync(scanner.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, scanner.ToString())).StatusCode);
    }

    [Fact]
    public async Task RangeColumnsAndPrefixFilter()
    {
        await using var g = await TestGateway.StartAsync();
        await SeedAsync(g);
        var range = new { startRow = B64("a2"), endRow = B64("b2"), column = new[] { B64("cf:x") } };
        var scanner = await OpenAsync(g, new StringContent(JsonSerializer.Serialize(range), Encoding.UTF8, TestGateway.Json));
        using (var next = await g.GetAsync(scanner.ToString()))
        {
            Assert.Equal(["a2", "b1"], (await CellSets.ReadAsync(next)).Select(c => c.Row));
        }
        var filter = JsonSerializer.Serialize(new { type = "PrefixFilter", value = B64("a") });
        var filtered = await OpenAsync(g, new StringContent(JsonSerializer.Serialize(new { filter }), Encoding.UTF8, TestGateway.Json));
        using (var next = await g.GetAsync(filtered.ToString()))
        {
            Assert.Equal(["a1", "a1", "a2"], (await CellSets.ReadAsync(next)).Select(c => c.Row));
        }
        var list = JsonSerializer.Serialize(new
        {
            type = "FilterList",
            op = "MUST_PASS_ALL",
            filters = new object[] { new { type = "PrefixFilter", value = B64("b") }, new { type = "PageFilter", value = "1" } },
        });
        var paged = await OpenAsync(g, new StringContent(JsonSerializer.Serialize(new { filter = list }), Encoding.UTF8, TestGateway.Json));
        using var page = await g.GetAsync(paged.ToString());
        Assert.Equal(["b1"], (await CellSets.ReadAsync(page)).Select(c => c.Row));
    }

    [Fact]
    public async Task BadSpecIs400MissingTableIs404UnknownIdIs404()
    {
        await using var g = await TestGateway.StartAsync();
        await SeedAsync(g);
        using (var bad = await g.SendAsync(HttpMethod.Put, "t/scanner", new StringContent("{\"batch\":\"x\"}", Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        var unknownFilter = JsonSerializer.Serialize(new { filter = "{\"type\":\"NoSuchFilter\"}" });
        using (var bad = await g.SendAsync(HttpMethod.Put, "t/scanner", new StringContent(unknownFilter, Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        using (var missing = await g.SendAsync(HttpMethod.Put, "nope/scanner", new StringContent("{}", Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/scanner/12345")).StatusCode);
        Assert.Equal(0, g.Gateway.OpenScanners);
    }

    [Fact]
    public async Task IdleScannerLeaseExpiresWith410()
    {
        await using var g = await TestGateway.StartAsync(clock => new HBaseRestServer.HBaseRestGatewayOptions
        {
            Clock = clock,
            ScannerLease = Duration.FromSeconds(30),
        });
        await SeedAsync(g);
        var scanner = await OpenAsync(g, new StringContent("{\"batch\":1}", Encoding.UTF8, TestGateway.Json));
        g.Clock.Advance(Duration.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await g.GetAsync(scanner.ToString())).StatusCode); // lease renewed
        g.Clock.Advance(Duration.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Gone, (await g.GetAsync(scanner.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync(scanner.ToString())).StatusCode);
    }

    [Fact]
    public async Task OctetStreamScannerReturnsOneCellPerCallWithHeaders()
    {
        await using var g = await TestGateway.StartAsync();
        await SeedAsync(g);
        var scanner = await OpenAsync(g, new StringContent("{\"startRow\":\"" + B64("b2") + "\"}", Encoding.UTF8, TestGateway.Json));
        using var one = await g.GetAsync(scanner.ToString(), TestGateway.Binary);
        Assert.Equal("5", await one.Content.ReadAsStringAsync());
        Assert.Equal(B64("b2"), one.Headers.GetValues("X-Row").Single());
        Assert.Equal(B64("cf:x"), one.Headers.GetValues("X-Column").Single());
        Assert.Equal("1", one.Headers.GetValues("X-Timestamp").Single());
        Assert.Equal(HttpStatusCode.NoContent, (await g.GetAsync(scanner.ToString(), TestGateway.Binary)).StatusCode);
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static ByteArrayContent Proto(Wire.Scanner scanner)
    {
        var content = new ByteArrayContent(scanner.ToByteArray());
        content.Headers.ContentType = new(TestGateway.Protobuf);
        return content;
    }
}
