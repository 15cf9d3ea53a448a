using System.Net;
using System.Text;
using System.Text.Json;
using Cep.HBaseRestServer.Store;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cep.Tests.Connectors.Server;

/// <summary>Random rows and a random scanner (range, prefix filter, batch, row cap per call).</summary>
public sealed record ScanCase(IReadOnlyList<string> Rows, string Start, string End, string? Prefix, int Batch, int? RowsPerCall, bool Protobuf)
{
    public override string ToString() =>
        $"rows [{string.Join(",", Rows)}] start '{Start}' end '{End}' prefix '{Prefix}' batch {Batch} n {RowsPerCall} pb {Protobuf}";
}

/// <summary>
/// Paging through a scanner returns, in order and exactly once, the cells of the rows in [start, end) that carry
/// the prefix; no call returns more than batch cells or more than n rows; the end is 204.
/// </summary>
public sealed class ScannerOracleProperties : IAsyncLifetime
{
    private const string Letters = "abc";
    private static int s_tables;
    private TestGateway _g = null!;

    public async Task InitializeAsync() => _g = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _g.DisposeAsync();

    [Fact]
    public void PagingThroughAScannerYieldsTheRangeExactlyOnce() =>
        PropertyRunner.Check(
            Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed))), Shrink),
            c => Task.Run(() => CheckAsync(c)).GetAwaiter().GetResult(),
            byDefault: 100);

    private static string Key(Random r) => new([.. Enumerable.Range(0, r.Next(1, 4)).Select(_ => Letters[r.Next(Letters.Length)])]);

    private static ScanCase NewCase(Random r) => new(
        [.. Enumerable.Range(0, r.Next(0, 12)).Select(_ => Key(r)).Distinct()],
        r.Next(3) == 0 ? "" : Key(r),
        r.Next(3) == 0 ? "" : Key(r),
        r.Next(3) == 0 ? Key(r)[..1] : null,
        r.Next(1, 6),
        r.Next(3) == 0 ? r.Next(1, 3) : null,
        r.Next(2) == 0);

    private static IEnumerable<ScanCase> Shrink(ScanCase c) =>
        Enumerable.Range(0, c.Rows.Count).Select(i => c with { Rows = [.. c.Rows.Where((_, j) => j != i)] });

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private async Task CheckAsync(ScanCase c)
    {
        var table = "s" + Interlocked.Increment(ref s_tables);
        _g.Gateway.Store.CreateTable(table, new ColumnFamilyDescriptor("cf"));
        foreach (var row in c.Rows)
        {
            _g.Gateway.Store.Put(table, Encoding.UTF8.GetBytes(row), "cf:a", 1, Encoding.UTF8.GetBytes(row + "-a"));
            _g.Gateway.Store.Put(table, Encoding.UTF8.GetBytes(row), "cf:b", 1, Encoding.UTF8.GetBytes(row + "-b"));
        }
        var expected = c.Rows.Order(StringComparer.Ordinal)
            .Where(r => string.CompareOrdinal(r, c.Start) >= 0 && (c.End.Length == 0 || string.CompareOrdinal(r, c.End) < 0))
            .Where(r => c.Prefix is null || r.StartsWith(c.Prefix, StringComparison.Ordinal))
            .SelectMany(r => new[] { new Cell(r, "cf:a", r + "-a", 1), new Cell(r, "cf:b", r + "-b", 1) })
            .ToList();

        var spec = new Dictionary<string, object> { ["batch"] = c.Batch };
        if (c.Start.Length > 0)
        {
            spec["startRow"] = B64(c.Start);
        }
        if (c.End.Length > 0)
        {
            spec["endRow"] = B64(c.End);
        }
        if (c.Prefix is not null)
        {
            spec["filter"] = JsonSerializer.Serialize(new { type = "PrefixFilter", value = B64(c.Prefix) });
        }
        using var created = await _g.SendAsync(HttpMethod.Post, $"{table}/scanner",
            new StringContent(JsonSerializer.Serialize(spec), Encoding.UTF8, TestGateway.Json));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var next = created.Headers.Location!.ToString() + (c.RowsPerCall is { } n ? $"?n={n}" : "");
        var seen = new List<Cell>();
        for (var call = 0; ; call++)
        {
            Assert.True(call <= expected.Count, "the scanner did not end");
            using var response = await _g.GetAsync(next, c.Protobuf ? TestGateway.Protobuf : TestGateway.Json);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                break;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cells = await CellSets.ReadAsync(response);
            Assert.InRange(cells.Count, 1, c.Batch);
            Assert.InRange(cells.Select(x => x.Row).Distinct().Count(), 1, c.RowsPerCall ?? int.MaxValue);
            seen.AddRange(cells);
        }
        Assert.Equal(expected, seen);
        using var deleted = await _g.SendAsync(HttpMethod.Delete, created.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        _g.Gateway.Store.DeleteTable(table);
    }
}
