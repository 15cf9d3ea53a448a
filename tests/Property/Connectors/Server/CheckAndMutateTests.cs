using System.Net;
using System.Text;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class CheckAndMutateTests
{
    [Fact]
    public async Task CheckAndPutAppliesOnlyWhenTheLastCellMatches()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "old", 1));

        using (var miss = await g.SendAsync(HttpMethod.Put, "t/r?check=put",
                   CellSets.Json([new Cell("r", "cf:a", "new", 2), new Cell("r", "cf:a", "wrong")])))
        {
            Assert.Equal(HttpStatusCode.NotModified, miss.StatusCode);
        }
        Assert.Equal("old", await ValueAsync(g, "t/r/cf:a"));

        using (var hit = await g.SendAsync(HttpMethod.Post, "t/r?check=put",
                   CellSets.Protobuf([new Cell("r", "cf:a", "new", 2), new Cell("r", "cf:b", "side", 2), new Cell("r", "cf:a", "old")])))
        {
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        }
        Assert.Equal("new", await ValueAsync(g, "t/r/cf:a"));
        Assert.Equal("side", await ValueAsync(g, "t/r/cf:b"));

        // an empty expected value means "absent": put-if-absent
        var ifAbsent = "{\"Row\":[{\"key\":\"cg==\",\"Cell\":[{\"column\":\"Y2Y6Yw==\",\"$\":\"MQ==\"},{\"column\":\"Y2Y6Yw==\",\"$\":\"\"}]}]}";
        using (var first = await g.SendAsync(HttpMethod.Put, "t/r?check=put", new StringContent(ifAbsent, Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using (var second = await g.SendAsync(HttpMethod.Put, "t/r?check=put", new StringContent(ifAbsent, Encoding.UTF8, TestGateway.Json)))
        {
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        }
    }

    [Fact]
    public async Task MalformedChecksAre400()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        var cases = new (string Path, Cell[] Cells)[]
        {
            ("t/r?check=put", [new Cell("r", "cf:a", "only")]),                                      // no cell to put
            ("t/r?check=put", [new Cell("r", "cf:b", "x"), new Cell("r", "cf:a", "")]),                 // put does not touch the checked column
            ("t/r?check=put", [new Cell("r", "cf:a", "x"), new Cell("s", "cf:a", "")]),                 // two rows
            ("t/r?check=put", [new Cell("r", "cf", "x"), new Cell("r", "cf", "")]),                     // no qualifier
            ("t/r?check=bogus", [new Cell("r", "cf:a", "x"), new Cell("r", "cf:a", "")]),               // unknown check
            ("t/r?check=delete", [new Cell("r", "cf", "x")]),                                          // check column without qualifier
        };
        foreach (var (path, cells) in cases)
        {
            using var response = await g.SendAsync(HttpMethod.Put, path, CellSets.Json(cells));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/r")).StatusCode);
    }

    [Fact]
    public async Task CheckAndDeleteDeletesTheCheckedColumnOrTheListedCells()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 3, int.MaxValue));
        await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "a1", 1), new Cell("r", "cf:a", "a2", 2), new Cell("r", "cf:b", "b", 1),
            new Cell("r", "cf:c", "c", 1));

        using (var miss = await g.SendAsync(HttpMethod.Put, "t/r?check=delete", CellSets.Json([new Cell("r", "cf:b", "not-b")])))
        {
            Assert.Equal(HttpStatusCode.NotModified, miss.StatusCode);
        }
        // only the condition cell: the checked column goes, all versions
        using (var hit = await g.SendAsync(HttpMethod.Put, "t/r?check=delete", CellSets.Json([new Cell("r", "cf:a", "a2")])))
        {
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/r/cf:a")).StatusCode);
        // listed cells are deleted, the checked one stays
        using (var hit = await g.SendAsync(HttpMethod.Put, "t/r?check=delete", CellSets.Json([new Cell("r", "cf:c", ""), new Cell("r", "cf:b", "b")])))
        {
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/r/cf:c")).StatusCode);
        Assert.Equal("b", await ValueAsync(g, "t/r/cf:b"));
    }

    private static async Task<string> ValueAsync(TestGateway g, string path)
    {
        using var response = await g.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(await CellSets.ReadAsync(response)).Value;
    }
}
