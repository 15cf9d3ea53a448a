using System.Net;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class VersionsTtlDeleteTests
{
    [Fact]
    public async Task VersionsAreNewestFirstCappedByFamilyAndByV()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 3, int.MaxValue));
        foreach (var ts in new long[] { 10, 30, 20, 40 })
        {
            Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", $"v{ts}", ts)));
        }
        using (var latest = await g.GetAsync("t/r"))
        {
            Assert.Equal([new Cell("r", "cf:a", "v40", 40)], await CellSets.ReadAsync(latest));
        }
        using (var all = await g.GetAsync("t/r?v=10"))
        {
            // VERSIONS=3 keeps 40, 30, 20; 10 is gone
            Assert.Equal([40L, 30, 20], (await CellSets.ReadAsync(all)).Select(c => c.Timestamp!.Value));
        }
        using (var two = await g.GetAsync("t/r/cf:a?v=2"))
        {
            Assert.Equal([40L, 30], (await CellSets.ReadAsync(two)).Select(c => c.Timestamp!.Value));
        }
        using (var exact = await g.GetAsync("t/r/cf:a/30"))
        {
            Assert.Equal([new Cell("r", "cf:a", "v30", 30)], await CellSets.ReadAsync(exact));
        }
        using (var range = await g.GetAsync("t/r/cf:a/20,40?v=5"))
        {
            Assert.Equal([30L, 20], (await CellSets.ReadAsync(range)).Select(c => c.Timestamp!.Value));
        }
        using (var none = await g.GetAsync("t/r/cf:a/25"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }
        // same coordinates overwrite that version
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "again", 30)));
        using var overwritten = await g.GetAsync("t/r/cf:a/30");
        Assert.Equal("again", Assert.Single(await CellSets.ReadAsync(overwritten)).Value);
    }

    [Fact]
    public async Task TtlCountsFromTheCellTimestampAndExpiredRowsAre404()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, 10));
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/fresh", new Cell("fresh", "cf:a", "v")));
        // written now, but stamped 8 s in the past: expires 2 s from now
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/old", new Cell("old", "cf:a", "v", g.NowMs - 8_000)));
        Assert.Equal(HttpStatusCode.OK, (await g.GetAsync("t/old")).StatusCode);

        g.Clock.Advance(Duration.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await g.GetAsync("t/old")).StatusCode); // exactly at ts + TTL: still visible
        g.Clock.Advance(Duration.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/old")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await g.GetAsync("t/fresh")).StatusCode);

        g.Clock.Advance(Duration.FromSeconds(8));
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/fresh")).StatusCode);
        using var multi = await g.GetAsync("t/multiget?row=fresh&row=old");
        Assert.Equal(HttpStatusCode.NotFound, multi.StatusCode);
    }

    [Fact]
    public async Task DeletesOfRowFamilyColumnAndVersionsAtOrBelowATimestamp()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 5, int.MaxValue), ("other", 1, int.MaxValue));
        await g.PutCellsAsync("t/r",
            new Cell("r", "cf:a", "a1", 1), new Cell("r", "cf:a", "a2", 2), new Cell("r", "cf:a", "a3", 3),
            new Cell("r", "cf:b", "b1", 1), new Cell("r", "other:x", "x1", 1));

        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, "t/r/cf:a/2")).StatusCode);
        using (var a = await g.GetAsync("t/r/cf:a?v=5"))
        {
            Assert.Equal([3L], (await CellSets.ReadAsync(a)).Select(c => c.Timestamp!.Value));
        }
        // a version written later with an older timestamp stays hidden by the marker
        await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "late", 2));
        using (var a = await g.GetAsync("t/r/cf:a?v=5"))
        {
            Assert.Equal([3L], (await CellSets.ReadAsync(a)).Select(c => c.Timestamp!.Value));
        }
        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, "t/r/cf")).StatusCode);
        using (var row = await g.GetAsync("t/r"))
        {
            Assert.Equal([new Cell("r", "other:x", "x1", 1)], await CellSets.ReadAsync(row));
        }
        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, "t/r")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await g.GetAsync("t/r")).StatusCode);
        // a newer write after a row delete is visible again
        g.Clock.Advance(Duration.FromMilliseconds(1));
        await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "new"));
        Assert.Equal(HttpStatusCode.OK, (await g.GetAsync("t/r")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await g.SendAsync(HttpMethod.Delete, "t/never-written")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await g.SendAsync(HttpMethod.Delete, "missing/r")).StatusCode);
    }
}
