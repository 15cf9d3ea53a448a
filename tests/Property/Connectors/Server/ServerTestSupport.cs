using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cep.HBaseRestServer;
using Google.Protobuf;
using NodaTime;
using NodaTime.Testing;
using Xunit;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.Server;

/// <summary>One gateway with a fake clock and a raw HttpClient, for one test.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";
    public const string Binary = "application/octet-stream";

    private TestGateway(HBaseRestGateway gateway, FakeClock clock, HttpClient http)
    {
        Gateway = gateway;
        Clock = clock;
        Http = http;
    }

    public HBaseRestGateway Gateway { get; }

    public FakeClock Clock { get; }

    public HttpClient Http { get; }

    /// <summary>The fake clock's start: 2026-01-01T00:00:00Z.</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    public long NowMs => Clock.GetCurrentInstant().ToUnixTimeMilliseconds();

    public static async Task<TestGateway> StartAsync(Func<FakeClock, HBaseRestGatewayOptions>? configure = null)
    {
        var clock = new FakeClock(Start);
        var options = configure?.Invoke(clock) ?? new HBaseRestGatewayOptions { Clock = clock };
        var gateway = await HBaseRestGateway.StartAsync(options);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (gateway.Certificate is { } certificate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
                cert is not null && cert.GetCertHashString() == certificate.GetCertHashString();
        }
        return new TestGateway(gateway, clock, new HttpClient(handler) { BaseAddress = gateway.BaseAddress });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
    }

    /// <summary>Creates a table through the REST schema endpoint and asserts 201.</summary>
    public async Task CreateTableAsync(string table, params (string Name, int Versions, int Ttl)[] families)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = table,
            ["ColumnSchema"] = families.Select(f => new Dictionary<string, string>
            {
                ["name"] = f.Name,
                ["VERSIONS"] = f.Versions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TTL"] = f.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }).ToArray(),
        });
        using var response = await Http.PutAsync($"{table}/schema", new StringContent(body, Encoding.UTF8, Json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? accept = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string accept = Json) => SendAsync(HttpMethod.Get, path, accept: accept);

    public async Task<HttpStatusCode> PutCellsAsync(string path, params Cell[] cells)
    {
        using var response = await SendAsync(HttpMethod.Put, path, CellSets.Json(cells));
        return response.StatusCode;
    }
}

/// <summary>A cell as tests write and read it.</summary>
internal sealed record Cell(string Row, string Column, string Value, long? Timestamp = null);

/// <summary>Builds and parses cell-set bodies by hand, independent of the gateway's codecs.</summary>
internal static class CellSets
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string Str(string b64) => Encoding.UTF8.GetString(Convert.FromBase64String(b64));

    public static string JsonText(IEnumerable<Cell> cells) => JsonSerializer.Serialize(new
    {
        Row = cells.GroupBy(c => c.Row).Select(g => new
        {
            key = B64(g.Key),
            Cell = g.Select(c => c.Timestamp is { } ts
                ? (object)new Dictionary<string, object> { ["column"] = B64(c.Column), ["timestamp"] = ts, ["$"] = B64(c.Value) }
                : new Dictionary<string, object> { ["column"] = B64(c.Column), ["$"] = B64(c.Value) }).ToArray(),
        }).ToArray(),
    });

    public static HttpContent Json(IEnumerable<Cell> cells) =>
        new StringContent(JsonText(cells), Encoding.UTF8, TestGateway.Json);

    public static HttpContent Protobuf(IEnumerable<Cell> cells, string mediaType = TestGateway.Protobuf)
    {
        var set = new Wire.CellSet();
        foreach (var group in cells.GroupBy(c => c.Row))
        {
            var row = new Wire.CellSet.Types.Row { Key = ByteString.CopyFromUtf8(group.Key) };
            foreach (var c in group)
            {
                var cell = new Wire.Cell { Column = ByteString.CopyFromUtf8(c.Column), Data = ByteString.CopyFromUtf8(c.Value) };
                if (c.Timestamp is { } ts)
                {
                    cell.Timestamp = ts;
                }
                row.Values.Add(cell);
            }
            set.Rows.Add(row);
        }
        var content = new ByteArrayContent(set.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static async Task<List<Cell>> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.Content.Headers.ContentType?.MediaType switch
        {
            TestGateway.Json => ParseJson(bytes),
            TestGateway.Protobuf or "application/protobuf" => ParseProtobuf(bytes),
            var other => throw new InvalidOperationException($"unexpected content type {other}"),
        };
    }

    public static List<Cell> ParseJson(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        return [.. doc.RootElement.GetProperty("Row").EnumerateArray().SelectMany(row => row.GetProperty("Cell").EnumerateArray()
            .Select(c => new Cell(Str(row.GetProperty("key").GetString()!), Str(c.GetProperty("column").GetString()!),
                Str(c.GetProperty("$").GetString()!), c.GetProperty("timestamp").GetInt64())))];
    }

    public static List<Cell> ParseProtobuf(byte[] bytes) =>
        [.. Wire.CellSet.Parser.ParseFrom(bytes).Rows.SelectMany(r => r.Values.Select(c =>
            new Cell(r.Key.ToStringUtf8(), c.Column.ToStringUtf8(), c.Data.ToStringUtf8(), c.Timestamp)))];

    public static string Esc(string s) => Uri.EscapeDataString(s);
}
