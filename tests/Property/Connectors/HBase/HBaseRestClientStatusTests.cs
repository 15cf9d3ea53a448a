using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cep.Connectors.HBase;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Xunit;
using WirePb = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Every status an operation can meet maps to its documented outcome, and bad bodies only ever end in
/// <see cref="HBaseRestException"/>; answers come from a stub so that each byte is under the test's control.</summary>
public sealed class HBaseRestClientStatusTests
{
    private static readonly int[] Statuses = [200, 201, 204, 304, 400, 401, 403, 404, 405, 406, 409, 410, 415, 500, 502, 503, 504];

    /// <summary>The operations, each with the statuses it accepts and what it returns for them (the oracle).</summary>
    private static readonly (string Name, Func<HBaseRestClient, Task<object?>> Call, Func<int, object?> Expected)[] Operations =
    [
        // A 404 of a get or a multi-get is confirmed through the table's schema, which the stub answers 404 as well: no such table.
        ("get row", async c => (await c.GetRowAsync("t", "r1"))?.Key, s => s == 200 ? "r1" : Fail),
        ("multi-get", async c => (await c.MultiGetAsync("t", ["r1", "r2"])).Count, s => s == 200 ? 1 : Fail),
        ("put cell", async c => { await c.PutCellAsync("t", "r1", "f:q", new byte[] { 1 }); return "ok"; }, s => s is 200 or 201 or 204 ? "ok" : Fail),
        ("put rows", async c => { await c.PutRowsAsync("t", [new HBaseRow("r1", [new HBaseCell("f:q", new byte[] { 1 })])]); return "ok"; }, s => s is 200 or 201 or 204 ? "ok" : Fail),
        ("delete row", async c => { await c.DeleteRowAsync("t", "r1"); return "ok"; }, s => s is 200 or 201 or 204 ? "ok" : Fail),
        ("check-and-put", async c => await c.CheckAndPutAsync("t", "r1", "f:q", new byte[] { 1 }, [new HBaseCell("f:q", new byte[] { 2 })]), s => s switch { 200 => true, 304 => false, _ => Fail }),
        ("check-and-delete", async c => await c.CheckAndDeleteAsync("t", "r1", "f:q", new byte[] { 1 }), s => s switch { 200 => true, 304 => false, _ => Fail }),
        ("create table", async c => await c.CreateTableAsync(new HBaseTableSchema("t", [new HBaseColumnFamilySchema("f")])), s => s switch { 200 or 201 => true, 304 => false, _ => Fail }),
        ("get schema", async c => (await c.GetTableSchemaAsync("t"))?.Name, s => s switch { 200 => "t", 404 => null, _ => Fail }),
        ("delete table", async c => await c.DeleteTableAsync("t"), s => s switch { 200 => true, 404 => false, _ => Fail }),
        ("exists", async c => await c.TableExistsAsync("t"), s => s switch { 200 => true, 404 => false, _ => Fail }),
        ("list tables", async c => (await c.ListTablesAsync()).Count, s => s == 200 ? 1 : Fail),
    ];

    private static readonly object Fail = new();

    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EveryStatusOfEveryOperationMapsToItsDocumentedOutcome(HBaseRestFormat format)
    {
        foreach (var (name, call, expected) in Operations)
        {
            foreach (var status in Statuses)
            {
                var stub = new StubHandler(request => StubHandler.Answer((HttpStatusCode)status, status == 200 ? ValidBody(request, format) : Encoding.UTF8.GetBytes($"Status {status} text")));
                using var client = StubHandler.Client(stub, format);
                var want = expected(status);
                if (want == Fail)
                {
                    var error = await Assert.ThrowsAsync<HBaseRestException>(() => call(client));
                    Assert.Equal((HttpStatusCode)status, error.StatusCode);
                    Assert.Contains($"HTTP status {status}", error.Message);
                    Assert.Contains($"Status {status} text", error.Message);
                    Assert.Equal($"Status {status} text", error.BodySnippet);
                    Assert.Equal(new Uri("http://gateway.test:8080/"), error.Endpoint);
                    if (name != "list tables")
                    {
                        Assert.Equal("t", error.Table);
                        Assert.Contains("table 't'", error.Message);
                    }

                    if (name is "get row" or "put cell" or "delete row" or "check-and-put")
                    {
                        Assert.Equal("r1", error.Row);
                        Assert.Contains("row 'r1'", error.Message);
                    }
                }
                else
                {
                    Assert.Equal(want, await call(client));
                }

                // Retries are off here: one call, one request, whatever the status (and the multi-get's table check).
                Assert.Equal(name is "multi-get" or "get row" && status == 404 ? 2 : 1, stub.Requests);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ScannerStatusesMapToRowsEndExpiryOrError(HBaseRestFormat format)
    {
        foreach (var status in Statuses)
        {
            var stub = new StubHandler(request => request.Method == HttpMethod.Put
                ? WithLocation(StubHandler.Answer(HttpStatusCode.Created), "http://elsewhere.test/t/scanner/abc123")
                : StubHandler.Answer((HttpStatusCode)status, status == 200 ? CellSet(format, "r1") : Encoding.UTF8.GetBytes("scanner text")));
            using var client = StubHandler.Client(stub, format);
            var scanner = await client.CreateScannerAsync("t");
            Assert.Equal("abc123", scanner.Id);
            switch (status)
            {
                case 200:
                    Assert.Equal("r1", Assert.Single((await scanner.NextAsync())!).Key);
                    break;
                case 204:
                    Assert.Null(await scanner.NextAsync());
                    break;
                case 410:
                    var expired = await Assert.ThrowsAsync<HBaseScannerExpiredException>(() => scanner.NextAsync());
                    Assert.Equal("abc123", expired.ScannerId);
                    Assert.Contains("expired", expired.Message);
                    break;
                default:
                    var error = await Assert.ThrowsAsync<HBaseRestException>(() => scanner.NextAsync());
                    Assert.Equal((HttpStatusCode)status, error.StatusCode);
                    break;
            }

            // Create and next went to the one configured gateway, on the scanner's path, not the Location's host.
            Assert.Equal("/t/scanner/abc123", stub.Paths[1]);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void GarbageOrTruncatedBodiesEndInHBaseRestExceptionOnly(HBaseRestFormat format)
    {
        var valid = CellSet(format, "r1", "r2", "r3");
        var garbage = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        var truncated = Gen.Choose(0, valid.Length - 1).Select(n => valid[..n]);
        var bodies = Gen.OneOf(garbage, truncated);
        Prop.ForAll(bodies.ToArbitrary(), body =>
        {
            var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK, body));
            using var client = StubHandler.Client(stub, format);
            foreach (var call in new Func<Task>[]
            {
                () => client.MultiGetAsync("t", ["r1", "r2", "r3"]),
                () => client.GetTableSchemaAsync("t"),
                () => client.GetVersionAsync(),
                () => client.GetClusterStatusAsync(),
                () => client.ListTablesAsync(),
            })
            {
                try
                {
                    call().GetAwaiter().GetResult();
                }
                catch (HBaseRestException error)
                {
                    Assert.Contains("malformed", error.Message);
                    Assert.Equal(HttpStatusCode.OK, error.StatusCode);
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases()));
    }

    [Fact]
    public async Task CredentialsNeverAppearInExceptionsOrDescriptions()
    {
        const string Secret = "s3cr3t-t0ken";
        var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.Forbidden, Encoding.UTF8.GetBytes("Forbidden")));
        using var client = new HBaseRestClient(new HBaseRestClientOptions
        {
            Endpoints = [new Uri("http://gateway.test:8080/")],
            MaxRetryAttempts = 0,
            AuthorizationProvider = _ => ValueTask.FromResult<AuthenticationHeaderValue?>(new AuthenticationHeaderValue("Bearer", Secret)),
            HttpMessageHandlerFactory = () => stub,
        });
        var error = await Assert.ThrowsAsync<HBaseRestException>(() => client.GetRowAsync("t", "r"));
        Assert.Equal($"Bearer {Secret}", stub.AuthorizationHeaders.Single());
        Assert.Contains("forbidden", error.Message);
        foreach (var text in new[] { error.ToString(), error.Message, client.ToString(), error.Endpoint!.ToString() })
        {
            Assert.DoesNotContain(Secret, text);
        }
    }

    private static HttpResponseMessage WithLocation(HttpResponseMessage response, string location)
    {
        response.Headers.Location = new Uri(location);
        return response;
    }

    private static byte[] ValidBody(HttpRequestMessage request, HBaseRestFormat format)
    {
        var path = request.RequestUri!.AbsolutePath;
        var json = format == HBaseRestFormat.Json;
        if (path.EndsWith("/schema", StringComparison.Ordinal) && request.Method == HttpMethod.Get)
        {
            return json
                ? Encoding.UTF8.GetBytes("""{"name":"t","ColumnSchema":[{"name":"f","TTL":"60","VERSIONS":"2"}]}""")
                : new WirePb.TableSchema { Name = "t", Columns = { new WirePb.ColumnSchema { Name = "f", Ttl = 60 } } }.ToByteArray();
        }

        if (path == "/")
        {
            return json ? Encoding.UTF8.GetBytes("""{"table":[{"name":"t"}]}""") : new WirePb.TableList { Name = { "t" } }.ToByteArray();
        }

        return request.Method == HttpMethod.Get ? CellSet(format, "r1") : [];
    }

    internal static byte[] CellSet(HBaseRestFormat format, params string[] rows)
    {
        if (format == HBaseRestFormat.Json)
        {
            var parts = rows.Select(r =>
                $$"""{"key":"{{B64(r)}}","Cell":[{"column":"{{B64("f:q")}}","timestamp":5,"$":"{{B64("v-" + r)}}"}]}""");
            return Encoding.UTF8.GetBytes($$"""{"Row":[{{string.Join(",", parts)}}]}""");
        }

        var set = new WirePb.CellSet();
        foreach (var r in rows)
        {
            set.Rows.Add(new WirePb.CellSet.Types.Row
            {
                Key = ByteString.CopyFromUtf8(r),
                Values = { new WirePb.Cell { Column = ByteString.CopyFromUtf8("f:q"), Timestamp = 5, Data = ByteString.CopyFromUtf8("v-" + r) } },
            });
        }

        return set.ToByteArray();
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
}
