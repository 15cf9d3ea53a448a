using System.ComponentModel.DataAnnotations;
using System.Net;
using Cep.Connectors.HBase;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Bad arguments and options fail before any request, naming what is wrong.</summary>
public sealed class HBaseRestClientArgumentTests
{
    private static readonly string TooLong = new('k', short.MaxValue + 1);
    private static readonly string TooLongInUtf8 = new('é', (short.MaxValue / 2) + 1);

    // Keys are built inside the test: the test runner's data serialization would replace lone surrogates.
    private static readonly Dictionary<string, (string? Key, string Reason)> Unencodable = new()
    {
        ["null"] = (null, "null"),
        ["empty"] = (string.Empty, "empty"),
        ["unpaired high surrogate"] = ("a\uD800b", "surrogate"),
        ["lone low surrogate"] = ("\uDC00", "surrogate"),
        ["too long"] = (TooLong, "bytes"),
        ["too long in UTF-8"] = (TooLongInUtf8, "bytes"),
    };

    public static TheoryData<string> UnencodableKeys => new(Unencodable.Keys);

    [Theory]
    [MemberData(nameof(UnencodableKeys))]
    public async Task UnencodableRowKeysAreRejectedBeforeAnyRequest(string name)
    {
        var (key, reason) = Unencodable[name];
        var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK));
        using var client = StubHandler.Client(stub);
        var calls = new Func<Task>[]
        {
            () => client.GetRowAsync("t", key!),
            () => client.GetCellAsync("t", key!, "f:q"),
            () => client.MultiGetAsync("t", ["ok", key!]),
            () => client.PutCellAsync("t", key!, "f:q", new byte[] { 1 }),
            () => client.PutRowsAsync("t", [new HBaseRow("ok", [new HBaseCell("f:q", new byte[] { 1 })]), new HBaseRow(key!, [new HBaseCell("f:q", new byte[] { 1 })])]),
            () => client.CheckAndPutAsync("t", key!, "f:q", new byte[] { 1 }, [new HBaseCell("f:q", new byte[] { 2 })]),
            () => client.CheckAndDeleteAsync("t", key!, "f:q", new byte[] { 1 }),
            () => client.DeleteRowAsync("t", key!),
            () => client.DeleteColumnAsync("t", key!, "f:q"),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
            Assert.Contains(reason, error.Message + error.ParamName, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, stub.Requests);
    }

    [Fact]
    public async Task KeysThatCannotBeAddressedInAPathAreRejectedThereButWorkInBatchesAndMultiGets()
    {
        var stub = new StubHandler(StubHandler.NotFoundButTables);
        using var client = StubHandler.Client(stub);
        foreach (var key in new[] { ".", "..", "glob*" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.GetRowAsync("t", key));
            await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteRowAsync("t", key));
        }

        Assert.Equal(0, stub.Requests);
        Assert.Empty(await client.MultiGetAsync("t", [".", "..", "glob*"]));
        Assert.Equal(1, stub.MultiGets);
        Assert.Equal("/t/multiget?row=.&row=..&row=glob%2A", stub.Paths[0]);
    }

    [Fact]
    public async Task PathSegmentsArePercentEncoded()
    {
        var stub = new StubHandler(StubHandler.NotFoundButTables);
        using var client = StubHandler.Client(stub);
        Assert.Null(await client.GetRowAsync("ns:t", "a/b:c,d e+f%", new HBaseGetOptions { Columns = ["f:q/1,2", "g"], MaxVersions = 3 }));
        Assert.Equal("/ns%3At/a%2Fb%3Ac%2Cd%20e%2Bf%25/f:q%2F1%2C2,g?v=3", stub.Paths[0]);
        Assert.Equal("/ns%3At/schema", stub.Paths[1]); // the 404 is confirmed to be a missing row, not a missing table
        var range = new HBaseTimeRange(Instant.FromUnixTimeMilliseconds(5), Instant.FromUnixTimeMilliseconds(9));
        Assert.Null(await client.GetRowAsync("t", "r", new HBaseGetOptions { Columns = ["f"], TimeRange = range }));
        Assert.Equal("/t/r/f/5,9", stub.Paths[2]);
    }

    [Fact]
    public async Task MultiGetsTooLongForOneRequestLineAreSplitAndMerged()
    {
        var stub = new StubHandler(request =>
        {
            var rows = request.RequestUri!.Query.TrimStart('?').Split('&').Select(p => Uri.UnescapeDataString(p["row=".Length..])).ToArray();
            return StubHandler.Answer(HttpStatusCode.OK, HBaseRestClientStatusTests.CellSet(HBaseRestFormat.Protobuf, rows.Where((_, i) => i % 2 == 0).ToArray()));
        });
        using var client = StubHandler.Client(stub);
        var keys = Enumerable.Range(0, 1000).Select(i => $"request-key-{i:D5}").ToList();
        var found = await client.MultiGetAsync("t", keys);

        // Oracle: every key is asked exactly once, in order, and each request line stays within the limit.
        Assert.True(stub.Requests > 1);
        Assert.All(stub.Paths, p => Assert.True(p.Length <= 6001, $"{p.Length} characters"));
        var asked = stub.Paths.SelectMany(p => p.Split('?')[1].Split('&').Select(q => q["row=".Length..])).ToList();
        Assert.Equal(keys, asked);
        Assert.Equal(found.Count, found.Select(r => r.Key).Distinct().Count());
        Assert.All(found, r => Assert.Contains(r.Key, keys));
    }

    [Fact]
    public async Task OtherBadArgumentsNameTheProblem()
    {
        var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK));
        using var client = StubHandler.Client(stub);
        Assert.Contains("table name", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetRowAsync("bad/table", "r"))).Message);
        Assert.Contains("family:qualifier", (await Assert.ThrowsAsync<ArgumentException>(() => client.PutCellAsync("t", "r", "noqualifier", new byte[] { 1 }))).Message);
        Assert.Contains("at least one", (await Assert.ThrowsAsync<ArgumentException>(() => client.MultiGetAsync("t", []))).Message);
        Assert.Contains("no cells", (await Assert.ThrowsAsync<ArgumentException>(() => client.PutRowsAsync("t", [new HBaseRow("r", [])]))).Message);
        Assert.Contains("checked column", (await Assert.ThrowsAsync<ArgumentException>(
            () => client.CheckAndPutAsync("t", "r", "f:a", new byte[] { 1 }, [new HBaseCell("f:b", new byte[] { 1 })]))).Message);
        Assert.Contains("time range", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetRowAsync(
            "t", "r", new HBaseGetOptions { TimeRange = new HBaseTimeRange(Instant.FromUnixTimeMilliseconds(1), Instant.FromUnixTimeMilliseconds(2)) }))).Message);
        Assert.Contains("epoch", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetRowAsync(
            "t", "r", new HBaseGetOptions { Columns = ["f"], TimeRange = new HBaseTimeRange(Instant.FromUnixTimeMilliseconds(0), Instant.FromUnixTimeMilliseconds(2)) }))).Message);
        Assert.Contains("MaxVersions", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetRowAsync("t", "r", new HBaseGetOptions { MaxVersions = 0 }))).Message);
        Assert.Contains("batch", (await Assert.ThrowsAsync<ArgumentException>(() => client.CreateScannerAsync("t", new HBaseScanOptions { Batch = 0 }))).Message);
        Assert.Contains("TTL", (await Assert.ThrowsAsync<ArgumentException>(() => client.CreateTableAsync(
            new HBaseTableSchema("t", [new HBaseColumnFamilySchema("f") { Ttl = Duration.FromMilliseconds(1500) }])))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HBaseTimeRange(Instant.FromUnixTimeMilliseconds(5), Instant.FromUnixTimeMilliseconds(5)));
        Assert.Equal(0, stub.Requests);
    }

    [Fact]
    public void InvalidOptionsAreReportedTogether()
    {
        var options = new HBaseRestClientOptions
        {
            Endpoints = [new Uri("ftp://x/"), new Uri("http://user:secret@x/")],
            Timeout = TimeSpan.Zero,
            MaxRetryAttempts = -1,
            RetryDelay = TimeSpan.FromSeconds(-1),
            EndpointCooldown = TimeSpan.FromSeconds(-1),
            TableExistenceTtl = TimeSpan.FromMilliseconds(-1),
        };
        var error = Assert.Throws<ValidationException>(() => new HBaseRestClient(options));
        foreach (var name in new[] { "Endpoints[0]", "Endpoints[1]", "Timeout", "MaxRetryAttempts", "RetryDelay", "EndpointCooldown", "TableExistenceTtl" })
        {
            Assert.Contains(name, error.Message);
        }

        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain("secret", options.ToString());
        Assert.Contains("at least one", Assert.Throws<ValidationException>(() => new HBaseRestClient(new HBaseRestClientOptions())).Message);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new HBaseRestClientOptions();
        Assert.Equal(HBaseRestFormat.Protobuf, options.Format);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryDelay);
        Assert.Equal(Polly.DelayBackoffType.Exponential, options.BackoffType);
        Assert.True(options.UseJitter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.EndpointCooldown);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TableExistenceTtl);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public void AnyRowKeyThatEncodesIsAcceptedAndAnyOtherRejected()
    {
        // Oracle: a key is acceptable iff it is non-empty, valid UTF-16 and at most 32767 bytes in UTF-8.
        var stub = new StubHandler(StubHandler.NotFoundButTables);
        using var client = StubHandler.Client(stub);
        var chars = Gen.Elements('a', 'Z', '/', ':', ',', '*', '%', '+', ' ', 'é', '\uD800', '\uDC00', '\u4E2D', '.');
        var keys = Gen.ArrayOf(chars).Select(a => new string(a));
        Prop.ForAll(keys.ToArbitrary(), key =>
        {
            var valid = key.Length > 0 && IsValidUtf16(key);
            var before = stub.MultiGets;
            var requestsBefore = stub.Requests;
            try
            {
                _ = client.MultiGetAsync("t", [key]).GetAwaiter().GetResult();
                Assert.True(valid, $"'{key}' should have been rejected");
                Assert.Equal(before + 1, stub.MultiGets);
            }
            catch (ArgumentException)
            {
                Assert.False(valid, $"'{key}' should have been accepted");
                Assert.Equal(requestsBefore, stub.Requests);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases()));
    }

    internal static int Cases(int byDefault = 200) =>
        int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > byDefault ? n : byDefault;

    private static bool IsValidUtf16(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
