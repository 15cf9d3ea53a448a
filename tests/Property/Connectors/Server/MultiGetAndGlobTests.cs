using System.Net;
using Cep.HBaseRestServer.Faults;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class MultiGetAndGlobTests
{
    [Theory]
    [InlineData(TestGateway.Json)]
    [InlineData(TestGateway.Protobuf)]
    public async Task MultiGetReturnsOnlyFoundRowsAndCountsRequestedKeys(string format)
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        await g.PutCellsAsync("t/x", new Cell("k1", "cf:a", "1", 1), new Cell("k1", "cf:b", "2", 1), new Cell("k/3", "cf:a", "3", 1));
        using var response = await g.GetAsync($"t/multiget?row=k1&row=nope&row={CellSets.Esc("k/3")}", format);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [new Cell("k1", "cf:a", "1", 1), new Cell("k1", "cf:b", "2", 1), new Cell("k/3", "cf:a", "3", 1)],
            await CellSets.ReadAsync(response));
        using var columns = await g.GetAsync("t/multiget/cf:b?row=k1&row=k%2F3", format);
        Assert.Equal([new Cell("k1", "cf:b", "2", 1)], await CellSets.ReadAsync(columns));
        using var none = await g.GetAsync("t/multiget?row=a&row=b", format);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("No rows found.", (await none.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(3, g.Gateway.Counters.Requests(RequestKind.MultiGet));
        Assert.Equal(7, g.Gateway.Counters.MultiGetRows);
    }

    [Theory]
    [InlineData(TestGateway.Json)]
    [InlineData(TestGateway.Protobuf)]
    public async Task MultiGetOfAMissingTableAnswersAsIfNoRowWasFoundAsTheJavaGatewayDoes(string format)
    {
        // The Java gateway reads each row with its own get, which takes a missing table as a row not found.
        await using var g = await TestGateway.StartAsync();
        using var missing = await g.GetAsync("nosuch/multiget?row=a&row=b", format);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No rows found.", (await missing.Content.ReadAsStringAsync()).Trim());
        using var schema = await g.GetAsync("nosuch/schema", format);
        Assert.Equal(HttpStatusCode.NotFound, schema.StatusCode);
    }

    [Fact]
    public async Task MultiGetHonoursVersions()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 3, int.MaxValue));
        await g.PutCellsAsync("t/x", new Cell("k", "cf:a", "1", 1), new Cell("k", "cf:a", "2", 2));
        using var one = await g.GetAsync("t/multiget?row=k");
        Assert.Single(await CellSets.ReadAsync(one));
        using var both = await g.GetAsync("t/multiget?row=k&v=2");
        Assert.Equal(2, (await CellSets.ReadAsync(both)).Count);
    }

    [Fact]
    public async Task SuffixGlobAndRowRange()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        await g.PutCellsAsync("t/x",
            new Cell("ab", "cf:a", "1", 1), new Cell("abc", "cf:a", "2", 1), new Cell("ac", "cf:a", "3", 1), new Cell("b", "cf:a", "4", 1));
        using (var glob = await g.GetAsync("t/ab*"))
        {
            Assert.Equal(["ab", "abc"], (await CellSets.ReadAsync(glob)).Select(c => c.Row));
        }
        using (var range = await g.GetAsync("t/abc,b"))
        {
            Assert.Equal(["abc", "ac"], (await CellSets.ReadAsync(range)).Select(c => c.Row));
        }
        using var nothing = await g.GetAsync("t/zz*");
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
    }
}
