using System.Net;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.Server;

/// <summary>One step of a random history: a put, or a delete of a row, family or column at or below a timestamp.</summary>
public sealed record StoreStep(string Kind, string Row, string Column, long Ts, string Value, bool Protobuf)
{
    public override string ToString() => $"{Kind}({Row},{Column},{Ts},{Value}{(Protobuf ? ",pb" : "")})";
}

/// <summary>A random history against a table with VERSIONS = <see cref="Versions"/> and TTL = <see cref="TtlSeconds"/>.</summary>
public sealed record StoreCase(int Versions, int TtlSeconds, long ReadAtMs, IReadOnlyList<StoreStep> Steps)
{
    public override string ToString() => $"VERSIONS={Versions} TTL={TtlSeconds}s readAt={ReadAtMs}ms: {string.Join(" ", Steps)}";
}

/// <summary>
/// Puts and deletes through REST against the definition of HBase visibility: of all values written per
/// (row, column, timestamp) the last wins; a delete hides every version at or below its timestamp whenever it
/// was issued; a read returns the newest VERSIONS of what remains, minus versions older than TTL.
/// </summary>
public sealed class StoreOracleProperties : IAsyncLifetime
{
    private static readonly string[] Rows = ["r0", "r1", "r/2"];
    private static readonly string[] Columns = ["cf:a", "cf:b", "cf2:a"];
    private static int s_tables;
    private TestGateway _g = null!;

    public async Task InitializeAsync() => _g = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _g.DisposeAsync();

    [Fact]
    public void RestReadsAgreeWithTheVisibilityOracle() =>
        PropertyRunner.Check(
            Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed))), Shrink),
            c => Task.Run(() => CheckAsync(c)).GetAwaiter().GetResult(),
            byDefault: 150);

    private static StoreCase NewCase(Random r)
    {
        var steps = new List<StoreStep>();
        var count = r.Next(1, 16);
        for (var i = 0; i < count; i++)
        {
            var roll = r.Next(10);
            var kind = roll < 6 ? "put" : roll < 7 ? "deleteRow" : roll < 8 ? "deleteFamily" : "deleteColumn";
            steps.Add(new StoreStep(kind, Rows[r.Next(Rows.Length)], Columns[r.Next(Columns.Length)], r.Next(1, 21) * 1000L,
                "v" + r.Next(100), r.Next(2) == 0));
        }
        var ttl = r.Next(3) == 0 ? r.Next(1, 25) : int.MaxValue;
        return new StoreCase(r.Next(1, 4), ttl, r.Next(0, 30) * 1000L + r.Next(2), steps);
    }

    private static IEnumerable<StoreCase> Shrink(StoreCase c) =>
        Enumerable.Range(0, c.Steps.Count).Select(i => c with { Steps = [.. c.Steps.Where((_, j) => j != i)] });

    private static List<Cell> Oracle(StoreCase c, string row)
    {
        var result = new List<Cell>();
        foreach (var column in Columns.OrderBy(x => x.Split(':')[0], StringComparer.Ordinal).ThenBy(x => x, StringComparer.Ordinal))
        {
            var family = column.Split(':')[0];
            var marker = c.Steps.Where(s => s.Row == row && (s.Kind == "deleteRow"
                                                            || (s.Kind == "deleteFamily" && s.Column.Split(':')[0] == family)
                                                            || (s.Kind == "deleteColumn" && s.Column == column)))
                .Select(s => s.Ts).DefaultIfEmpty(long.MinValue).Max();
            var versions = c.Steps.Where(s => s.Kind == "put" && s.Row == row && s.Column == column)
                .GroupBy(s => s.Ts).Select(g => g.Last())
                .Where(s => s.Ts > marker)
                .OrderByDescending(s => s.Ts)
                .Take(c.Versions)
                .Where(s => c.TtlSeconds == int.MaxValue || s.Ts >= c.ReadAtMs - c.TtlSeconds * 1000L);
            result.AddRange(versions.Select(s => new Cell(row, column, s.Value, s.Ts)));
        }
        return result;
    }

    private async Task CheckAsync(StoreCase c)
    {
        var table = "p" + Interlocked.Increment(ref s_tables);
        var schema = new HBaseRestServer.Store.ColumnFamilyDescriptor[]
        {
            new("cf", c.Versions, c.TtlSeconds), new("cf2", c.Versions, c.TtlSeconds),
        };
        _g.Gateway.Store.CreateTable(table, schema);
        _g.Clock.Reset(Instant.FromUnixTimeMilliseconds(0));
        foreach (var step in c.Steps)
        {
            var row = CellSets.Esc(step.Row);
            using var response = step.Kind switch
            {
                "put" => await _g.SendAsync(HttpMethod.Put, $"{table}/{row}", step.Protobuf
                    ? CellSets.Protobuf([new Cell(step.Row, step.Column, step.Value, step.Ts)])
                    : CellSets.Json([new Cell(step.Row, step.Column, step.Value, step.Ts)])),
                "deleteRow" => await _g.SendAsync(HttpMethod.Delete, $"{table}/{row}//{step.Ts}"), // empty column list, then the timestamp
                "deleteFamily" => await _g.SendAsync(HttpMethod.Delete, $"{table}/{row}/{step.Column.Split(':')[0]}/{step.Ts}"),
                _ => await _g.SendAsync(HttpMethod.Delete, $"{table}/{row}/{step.Column}/{step.Ts}"),
            };
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        _g.Clock.Reset(Instant.FromUnixTimeMilliseconds(c.ReadAtMs));
        foreach (var row in Rows)
        {
            var expected = Oracle(c, row);
            using var response = await _g.GetAsync($"{table}/{CellSets.Esc(row)}?v=5", c.Steps.Count % 2 == 0 ? TestGateway.Json : TestGateway.Protobuf);
            if (expected.Count == 0)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(expected, await CellSets.ReadAsync(response));
            }
        }
        using var multi = await _g.GetAsync($"{table}/multiget?{string.Join('&', Rows.Select(r => "row=" + CellSets.Esc(r)))}&v=5");
        var all = Rows.SelectMany(r => Oracle(c, r)).ToList(); // multi-get answers in request order
        Assert.Equal(all.Count == 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK, multi.StatusCode);
        if (all.Count > 0)
        {
            Assert.Equal(all, await CellSets.ReadAsync(multi));
        }
        _g.Gateway.Store.DeleteTable(table);
    }
}
