using System.Text;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer.Faults;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Stateful scanners: ranges, prefixes, batches, exhaustion, expiry and stickiness to their gateway.</summary>
public sealed class HBaseRestClientScannerTests
{
    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ScansReturnExactlyTheSelectedRowsInKeyOrder(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        var keys = Enumerable.Range(0, 30).Select(i => (i % 3 == 0 ? "a" : "b") + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await client.PutRowsAsync("t", keys.Select(k => new HBaseRow(k, [new HBaseCell("f:x", Encoding.UTF8.GetBytes(k)), new HBaseCell("f:y", new byte[] { 1 })])).ToList());
        var sorted = keys.Order(StringComparer.Ordinal).ToList();

        // Oracle: filter and sort the written keys.
        var cases = Gen.Choose(0, 5).SelectMany(batch => Gen.Elements<string?>(null, "a", "b1", "zz").SelectMany(prefix =>
            Gen.Elements<string?>(null, "a06", "b10").SelectMany(start => Gen.Elements<string?>(null, "b20", "b29").Select(end => (Batch: batch + 1, Prefix: prefix, Start: start, End: end)))));
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var expected = sorted.Where(k => (c.Prefix is null || k.StartsWith(c.Prefix, StringComparison.Ordinal))
                && (c.Start is null || string.CompareOrdinal(k, c.Start) >= 0) && (c.End is null || string.CompareOrdinal(k, c.End) < 0)).ToList();
            var rows = client.ScanAsync("t", new HBaseScanOptions { Batch = c.Batch, Prefix = c.Prefix, StartRow = c.Start, EndRow = c.End })
                .ToListAsync().AsTask().GetAwaiter().GetResult();
            Assert.Equal(expected, rows.Select(r => r.Key));
            Assert.All(rows, r => Assert.Equal(["f:x", "f:y"], r.Cells.Select(x => x.Column).Order(StringComparer.Ordinal)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Math.Min(HBaseRestClientArgumentTests.Cases(40), 400)));
        Assert.Equal(0, h.Gateway.OpenScanners);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ScannerBatchesEndWithNullAndHonourColumnsAndTimeRange(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        for (var i = 0; i < 5; i++)
        {
            await client.PutCellAsync("t", $"r{i}", "f:x", new byte[] { (byte)i }, Instant.FromUnixTimeMilliseconds(100 + i));
            await client.PutCellAsync("t", $"r{i}", "f:y", new byte[] { (byte)i }, Instant.FromUnixTimeMilliseconds(100 + i));
        }

        await using var scanner = await client.CreateScannerAsync("t", new HBaseScanOptions
        {
            Batch = 2, Columns = ["f:x"], TimeRange = new HBaseTimeRange(Instant.FromUnixTimeMilliseconds(101), Instant.FromUnixTimeMilliseconds(104)),
        });
        var seen = new List<string>();
        while (await scanner.NextAsync() is { } batch)
        {
            Assert.InRange(batch.Sum(r => r.Cells.Count), 1, 2);
            seen.AddRange(batch.SelectMany(r => r.Cells.Select(c => $"{r.Key}/{c.Column}")));
        }

        Assert.Equal(["r1/f:x", "r2/f:x", "r3/f:x"], seen);
        Assert.Null(await scanner.NextAsync());
        await scanner.DeleteAsync();
        Assert.Equal(0, h.Gateway.OpenScanners);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => scanner.NextAsync());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AFilterIsSentVerbatim(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        await client.PutRowsAsync("t", new[] { "ab1", "ab2", "ac1", "b" }.Select(k => new HBaseRow(k, [new HBaseCell("f:x", new byte[] { 1 })])).ToList());
        var prefix = Convert.ToBase64String(Encoding.UTF8.GetBytes("ab"));
        var rows = await client.ScanAsync("t", new HBaseScanOptions { Filter = $$"""{"type":"PrefixFilter","value":"{{prefix}}"}""" }).ToListAsync();
        Assert.Equal(["ab1", "ab2"], rows.Select(r => r.Key));
        var bad = await Assert.ThrowsAsync<HBaseRestException>(() => client.CreateScannerAsync("t", new HBaseScanOptions { Filter = "{not json" }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AnExpiredScannerThrowsAClearException(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format);
        await client.PutRowsAsync("t", [new HBaseRow("a", [new HBaseCell("f:x", new byte[] { 1 })]), new HBaseRow("b", [new HBaseCell("f:x", new byte[] { 2 })])]);
        await using var scanner = await client.CreateScannerAsync("t", new HBaseScanOptions { Batch = 1 });
        Assert.NotNull(await scanner.NextAsync());
        h.Clock.Advance(Duration.FromMinutes(5));
        var error = await Assert.ThrowsAsync<HBaseScannerExpiredException>(() => scanner.NextAsync());
        Assert.Equal(System.Net.HttpStatusCode.Gone, error.StatusCode);
        Assert.Equal(scanner.Id, error.ScannerId);
        Assert.Contains("expired", error.Message);
        Assert.Contains("table 't'", error.Message);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ScannerCallsStayOnTheGatewayThatCreatedTheScanner(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync(gateways: 2);
        var client = await h.ClientWithTableAsync(format);
        await client.PutRowsAsync("t", Enumerable.Range(0, 10).Select(i => new HBaseRow($"r{i}", [new HBaseCell("f:x", new byte[] { 1 })])).ToList());
        for (var round = 0; round < 4; round++)
        {
            var scanner = await client.CreateScannerAsync("t", new HBaseScanOptions { Batch = 3 });
            var owner = h.Gateways.Single(g => g.BaseAddress == scanner.Endpoint);
            var other = h.Gateways.Single(g => g.BaseAddress != scanner.Endpoint);
            var nextBefore = (owner.Counters.Requests(RequestKind.ScannerNext), other.Counters.Requests(RequestKind.ScannerNext));
            var rows = 0;
            while (await scanner.NextAsync() is { } batch)
            {
                rows += batch.Count;
                _ = await client.GetRowAsync("t", "r1"); // other calls keep rotating over both gateways
            }

            await scanner.DeleteAsync();
            Assert.Equal(10, rows);
            Assert.Equal(nextBefore.Item1 + 5, owner.Counters.Requests(RequestKind.ScannerNext)); // 4 batches + the final 204
            Assert.Equal(nextBefore.Item2, other.Counters.Requests(RequestKind.ScannerNext));
        }

        // Creation rotated over both gateways.
        Assert.All(h.Gateways, g => Assert.True(g.Counters.Requests(RequestKind.ScannerCreate) >= 1));
        Assert.All(h.Gateways, g => Assert.Equal(g.Counters.Requests(RequestKind.ScannerCreate), g.Counters.Requests(RequestKind.ScannerDelete)));
    }
}
