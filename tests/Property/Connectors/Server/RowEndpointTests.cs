using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class RowEndpointTests
{
    [Theory]
    [InlineData(TestGateway.Json)]
    [InlineData(TestGateway.Protobuf)]
    [InlineData("application/protobuf")]
    public async Task PutThenGetRowAndCellRoundTripsInEachFormat(string format)
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        HttpContent body = format == TestGateway.Json
            ? CellSets.Json([new Cell("r1", "cf:a", "x", 10), new Cell("r1", "cf:b", "y", 11)])
            : CellSets.Protobuf([new Cell("r1", "cf:a", "x", 10), new Cell("r1", "cf:b", "y", 11)], format);
        using (var put = await g.SendAsync(HttpMethod.Put, "t/r1", body))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using var row = await g.GetAsync("t/r1", format);
        Assert.Equal(HttpStatusCode.OK, row.StatusCode);
        Assert.Equal(format, row.Content.Headers.ContentType!.MediaType);
        Assert.Equal([new Cell("r1", "cf:a", "x", 10), new Cell("r1", "cf:b", "y", 11)], await CellSets.ReadAsync(row));

        using var cell = await g.GetAsync("t/r1/cf:b", format);
        Assert.Equal([new Cell("r1", "cf:b", "y", 11)], await CellSets.ReadAsync(cell));
    }

    [Fact]
    public async Task MissingRowCellTableAndFamilyAnswer404()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "v")));
        foreach (var path in new[] { "t/nope", "t/r/cf:zz", "missing/r", "t/r/other:a" })
        {
            using var response = await g.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, await g.PutCellsAsync("missing/r", new Cell("r", "cf:a", "v")));
        Assert.Equal(HttpStatusCode.NotFound, await g.PutCellsAsync("t/r", new Cell("r", "nofamily:a", "v")));
    }

    [Fact]
    public async Task ServerAssignsTimestampsFromTheClock()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "v")));
        using var response = await g.GetAsync("t/r");
        Assert.Equal([new Cell("r", "cf:a", "v", g.NowMs)], await CellSets.ReadAsync(response));
    }

    [Fact]
    public async Task OctetStreamPutAndGetOfOneCell()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = new MediaTypeHeaderValue(TestGateway.Binary);
        using (var put = await g.SendAsync(HttpMethod.Put, "t/r/cf:q/42", content))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var viaHeaders = new ByteArrayContent([9]);
        viaHeaders.Headers.ContentType = new MediaTypeHeaderValue(TestGateway.Binary);
        var request = new HttpRequestMessage(HttpMethod.Post, "t/ignored") { Content = viaHeaders };
        request.Headers.Add("X-Row", "r2");
        request.Headers.Add("X-Column", "cf:h");
        request.Headers.Add("X-Timestamp", "7");
        using (var put = await g.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var one = await g.GetAsync("t/r/cf:q", TestGateway.Binary);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3 }, await one.Content.ReadAsByteArrayAsync());
        Assert.Equal("42", one.Headers.GetValues("X-Timestamp").Single());
        using var two = await g.GetAsync("t/r2/cf:h", TestGateway.Binary);
        Assert.Equal(new byte[] { 9 }, await two.Content.ReadAsByteArrayAsync());
        Assert.Equal("7", two.Headers.GetValues("X-Timestamp").Single());

        using var wholeRow = await g.GetAsync("t/r", TestGateway.Binary);
        Assert.Equal(HttpStatusCode.BadRequest, wholeRow.StatusCode);
    }

    [Fact]
    public async Task BatchPutBodyRowsAndColumnsOverrideThePath()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        var cells = Enumerable.Range(0, 5).Select(i => new Cell($"row{i}", $"cf:c{i}", $"v{i}", 100 + i)).ToArray();
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/false-row-key", cells));
        Assert.Equal(5, g.Gateway.Counters.PutRows);
        Assert.Equal(5, g.Gateway.Counters.PutCells);
        using var missing = await g.GetAsync("t/false-row-key");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var row = await g.GetAsync($"t/row{i}");
            Assert.Equal([cells[i]], await CellSets.ReadAsync(row));
        }
    }

    [Fact]
    public async Task MalformedWritesAnswer400AndWriteNothing()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        // a column without the family:qualifier separator, after a good cell: nothing is written
        Assert.Equal(HttpStatusCode.BadRequest, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "v"), new Cell("r", "cf", "v")));
        using (var response = await g.GetAsync("t/r"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        // a missing row key (no key in the body; an empty path row cannot be addressed)
        var noKey = new StringContent("{\"Row\":[{\"Cell\":[{\"column\":\"Y2Y6YQ==\",\"$\":\"dg==\"}]}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Put, "t/fromPath", noKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the path supplies the key
        }
        var emptyKey = new StringContent("{\"Row\":[{\"key\":\"\",\"Cell\":[{\"column\":\"Y2Y6YQ==\",\"$\":\"dg==\"}]}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Put, "t/x", emptyKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var noColumn = new StringContent("{\"Row\":[{\"key\":\"cg==\",\"Cell\":[{\"$\":\"dg==\"}]}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Put, "t/r", noColumn))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var response = await g.SendAsync(HttpMethod.Put, "t/r", new StringContent("{not json", Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        }
        using (var response = await g.SendAsync(HttpMethod.Put, "t/r", new StringContent("x", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }
        using var fromPath = await g.GetAsync("t/fromPath");
        Assert.Equal("v", Assert.Single(await CellSets.ReadAsync(fromPath)).Value);
    }

    [Fact]
    public async Task PercentEncodedSeparatorsInKeysAndColumnsAreData()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        const string key = "a/b,c:d e+f%";
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/x", new Cell(key, "cf:q/1,2", "v", 5)));
        using var row = await g.GetAsync($"t/{CellSets.Esc(key)}/{CellSets.Esc("cf:q/1,2")}");
        Assert.Equal(HttpStatusCode.OK, row.StatusCode);
        Assert.Equal([new Cell(key, "cf:q/1,2", "v", 5)], await CellSets.ReadAsync(row));
    }
}
