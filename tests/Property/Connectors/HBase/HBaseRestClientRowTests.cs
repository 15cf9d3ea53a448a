using System.Text;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer.Faults;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Row reads, writes, deletes and conditional mutations against the in-repo gateway, in both formats.</summary>
public sealed class HBaseRestClientRowTests
{
    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    private static Instant At(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(HBaseCell? c) => c is null ? "(null)" : Encoding.UTF8.GetString(c.Value.Span);

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task CellsRoundTripWithAwkwardKeysAndBinaryValues(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        foreach (var key in new[] { "plain", "a/b:c,d", "sp ace+plus%", "中文-é", "x?y&z=1#" })
        {
            await client.PutCellAsync("t", key, "f:q:with:colons", value, At(1000));
            var cell = await client.GetCellAsync("t", key, "f:q:with:colons");
            Assert.NotNull(cell);
            Assert.Equal(value, cell.Value.ToArray());
            Assert.Equal(At(1000), cell.Timestamp);
            Assert.Equal("q:with:colons", cell.Qualifier);
            Assert.Equal(key, (await client.GetRowAsync("t", key))!.Key);
        }

        Assert.Null(await client.GetRowAsync("t", "missing"));
        Assert.Null(await client.GetCellAsync("t", "plain", "f:other"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task BatchPutIsOneRequestAndMultiGetReturnsOnlyFoundRows(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        var rows = Enumerable.Range(0, 20).Select(i => new HBaseRow($"k{i:D2}", [new HBaseCell("f:a", B($"a{i}"), At(10)), new HBaseCell("f:b", B($"b{i}"), At(10))])).ToList();
        await client.PutRowsAsync("t", rows);
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Put));
        Assert.Equal(40, h.Gateway.Counters.PutCells);

        var asked = new[] { "k03", "nope", "k07", "k19", "other*" };
        var found = await client.MultiGetAsync("t", asked);
        Assert.Equal(new[] { "k03", "k07", "k19" }, found.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(found, r => Assert.Equal(2, r.Cells.Count));
        Assert.Equal("a7", S(found.Single(r => r.Key == "k07").Newest("f:a")));
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.MultiGet));

        var onlyB = await client.MultiGetAsync("t", ["k01"], new HBaseGetOptions { Columns = ["f:b"] });
        Assert.Equal("f:b", Assert.Single(Assert.Single(onlyB).Cells).Column);
        Assert.Empty(await client.MultiGetAsync("t", ["x", "y"]));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task VersionsAndTimeRangesSelectTheRightCells(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, versions: 3);
        foreach (var ts in new long[] { 100, 200, 300, 400 })
        {
            await client.PutCellAsync("t", "r", "f:q", B($"v{ts}"), At(ts));
        }

        // Oracle: the family keeps the newest 3 versions (200, 300, 400); reads return them newest first.
        Assert.Equal("v400", S(await client.GetCellAsync("t", "r", "f:q")));
        var all = await client.GetRowAsync("t", "r", new HBaseGetOptions { MaxVersions = 10 });
        Assert.Equal(new long?[] { 400, 300, 200 }, all!.Cells.Select(c => c.TimestampMilliseconds));
        var two = await client.GetRowAsync("t", "r", new HBaseGetOptions { MaxVersions = 2 });
        Assert.Equal(new long?[] { 400, 300 }, two!.Cells.Select(c => c.TimestampMilliseconds));
        var range = await client.GetRowAsync("t", "r", new HBaseGetOptions { Columns = ["f:q"], MaxVersions = 10, TimeRange = new HBaseTimeRange(At(150), At(350)) });
        Assert.Equal(new long?[] { 300, 200 }, range!.Cells.Select(c => c.TimestampMilliseconds));
        Assert.Null(await client.GetRowAsync("t", "r", new HBaseGetOptions { Columns = ["f"], TimeRange = new HBaseTimeRange(At(401), At(500)) }));

        // Deleting at a timestamp removes the versions at or before it.
        await client.DeleteColumnAsync("t", "r", "f:q", At(300));
        var left = await client.GetRowAsync("t", "r", new HBaseGetOptions { MaxVersions = 10 });
        Assert.Equal(new long?[] { 400 }, left!.Cells.Select(c => c.TimestampMilliseconds));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task DeletesRemoveColumnsFamiliesAndRows(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        await client.PutRowsAsync("t", [new HBaseRow("r", [new HBaseCell("f:a", B("1")), new HBaseCell("f:b", B("2"))])]);
        await client.DeleteColumnAsync("t", "r", "f:a");
        Assert.Equal(["f:b"], (await client.GetRowAsync("t", "r"))!.Cells.Select(c => c.Column));
        await client.DeleteRowAsync("t", "r");
        Assert.Null(await client.GetRowAsync("t", "r"));
        await client.DeleteRowAsync("t", "never-written");
        var missingTable = await Assert.ThrowsAsync<HBaseRestException>(() => client.DeleteRowAsync("nosuchtable", "r"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missingTable.StatusCode);
        Assert.Equal("nosuchtable", missingTable.Table);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task CheckAndPutAndCheckAndDeleteReportWhetherTheyApplied(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        await client.PutCellAsync("t", "r", "f:state", B("new"));
        Assert.False(await client.CheckAndPutAsync("t", "r", "f:state", B("old"), [new HBaseCell("f:state", B("done"))]));
        Assert.Equal("new", S(await client.GetCellAsync("t", "r", "f:state")));
        Assert.True(await client.CheckAndPutAsync("t", "r", "f:state", B("new"), [new HBaseCell("f:state", B("done")), new HBaseCell("f:other", B("x"))]));
        Assert.Equal("done", S(await client.GetCellAsync("t", "r", "f:state")));
        Assert.Equal("x", S(await client.GetCellAsync("t", "r", "f:other")));

        Assert.False(await client.CheckAndDeleteAsync("t", "r", "f:state", B("new")));
        Assert.NotNull(await client.GetCellAsync("t", "r", "f:state"));
        Assert.True(await client.CheckAndDeleteAsync("t", "r", "f:state", B("done"), ["f:other"]));
        Assert.Null(await client.GetCellAsync("t", "r", "f:other"));
        Assert.NotNull(await client.GetCellAsync("t", "r", "f:state"));
        Assert.True(await client.CheckAndDeleteAsync("t", "r", "f:state", B("done")));
        Assert.Null(await client.GetRowAsync("t", "r"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task CellsExpireATtlAfterTheirTimestamp(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, ttl: Duration.FromSeconds(60));
        var now = h.Clock.GetCurrentInstant();
        await client.PutCellAsync("t", "old", "f:q", B("o"), now - Duration.FromSeconds(50));
        await client.PutCellAsync("t", "young", "f:q", B("y"), now);
        Assert.Equal(2, (await client.MultiGetAsync("t", ["old", "young"])).Count);

        h.Clock.Advance(Duration.FromSeconds(11));
        Assert.Null(await client.GetRowAsync("t", "old"));
        Assert.Equal(["young"], (await client.MultiGetAsync("t", ["old", "young"])).Select(r => r.Key));

        h.Clock.Advance(Duration.FromSeconds(50));
        Assert.Empty(await client.MultiGetAsync("t", ["old", "young"]));
        Assert.Null(await client.GetCellAsync("t", "young", "f:q"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task UnencodableKeysSendNothingToTheGateway(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(format);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.PutCellAsync("t", "bad\uD800", "f:q", B("v")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.MultiGetAsync("t", ["ok", new string('x', 40000)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetRowAsync("t", string.Empty));
        Assert.Equal(0, h.Gateway.Counters.TotalRequests);
    }
}
