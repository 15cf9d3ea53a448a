using System.Text;
using System.Net;
using System.Net.Http.Headers;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using Cep.HBaseRestServer.Faults;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>Retries, failover between gateways, malformed and truncated answers, TLS and authentication, against the
/// in-repo gateway's fault injection and request counters.</summary>
public sealed class HBaseRestClientResilienceTests
{
    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task UnavailableAndResetAreRetriedUntilTheCallSucceeds(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, retries: 3);
        await client.PutCellAsync("t", "r", "f:q", new byte[] { 7 });
        h.Gateway.Faults.Add(new FaultRule(FaultKind.Unavailable) { Kinds = [RequestKind.Get], Times = 2 });
        Assert.NotNull(await client.GetRowAsync("t", "r"));
        Assert.Equal(3, h.Gateway.Counters.Requests(RequestKind.Get));
        Assert.Equal(2, h.Gateway.Counters.Faults(FaultKind.Unavailable));

        h.Gateway.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Kinds = [RequestKind.MultiGet], Times = 3 });
        Assert.Single(await client.MultiGetAsync("t", ["r"]));
        Assert.Equal(4, h.Gateway.Counters.Requests(RequestKind.MultiGet));
        Assert.Equal(3, h.Gateway.Counters.Faults(FaultKind.ConnectionReset));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task RetriesStopAfterMaxAttemptsWithTheLastFailure(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, retries: 2);
        h.Gateway.Faults.Add(new FaultRule(FaultKind.Unavailable) { Kinds = [RequestKind.Get], Times = null });
        var error = await Assert.ThrowsAsync<HBaseRestException>(() => client.GetRowAsync("t", "r"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("r", error.Row);
        Assert.Contains("Unavailable", error.BodySnippet);
        Assert.Equal(3, h.Gateway.Counters.Requests(RequestKind.Get));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task NonTransientAnswersAreNeverRetried(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, retries: 5);
        Assert.Null(await client.GetRowAsync("t", "missing"));                                   // 404
        Assert.False(await client.CheckAndPutAsync("t", "r", "f:q", new byte[] { 1 }, [new HBaseCell("f:q", new byte[] { 2 })])); // 304
        var missingFamily = await Assert.ThrowsAsync<HBaseRestException>(() => client.PutCellAsync("t", "r", "nofamily:q", new byte[] { 1 }));
        Assert.False(missingFamily.IsTransient);
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Get));
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.CheckAndPut));
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Put));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task MalformedAndTruncatedAnswersEndInHBaseRestException(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(format, retries: 0);
        await client.PutRowsAsync("t", Enumerable.Range(0, 50).Select(i => new HBaseRow($"r{i}", [new HBaseCell("f:q", new byte[100])])).ToList());
        var keys = Enumerable.Range(0, 50).Select(i => $"r{i}").ToList();

        h.Gateway.Faults.Add(new FaultRule(FaultKind.MalformedBody) { Kinds = [RequestKind.MultiGet] });
        var malformed = await Assert.ThrowsAsync<HBaseRestException>(() => client.MultiGetAsync("t", keys));
        Assert.Contains("malformed", malformed.Message);
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        Assert.Equal("t", malformed.Table);

        h.Gateway.Faults.Add(new FaultRule(FaultKind.TruncatedBody) { Kinds = [RequestKind.MultiGet] });
        var truncated = await Assert.ThrowsAsync<HBaseRestException>(() => client.MultiGetAsync("t", keys));
        Assert.Equal("t", truncated.Table);

        h.Gateway.Faults.Add(new FaultRule(FaultKind.MalformedBody) { Kinds = [RequestKind.Schema] });
        await Assert.ThrowsAsync<HBaseRestException>(() => client.GetTableSchemaAsync("t"));
        Assert.Equal(50, (await client.MultiGetAsync("t", keys)).Count); // the rules fired once each; the data is intact
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AGatewayThatIsDownIsSkippedAndCallsFailOverToTheOther(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync(gateways: 2);
        var time = new ManualTimeProvider();
        var client = h.Client(format, retries: 2, o => { o.TimeProvider = time; o.EndpointCooldown = TimeSpan.FromSeconds(30); });
        Assert.True(await client.CreateTableAsync(new HBaseTableSchema("t", [new HBaseColumnFamilySchema("f")])));
        var (down, up) = (h.Gateways[0], h.Gateways[1]);
        var downBefore = down.Counters.TotalRequests;
        down.IsDown = true;
        for (var i = 0; i < 10; i++)
        {
            await client.PutCellAsync("t", $"r{i}", "f:q", new byte[] { (byte)i });
            Assert.Equal(new byte[] { (byte)i }, (await client.GetCellAsync("t", $"r{i}", "f:q"))!.Value.ToArray());
        }

        var handledByUp = up.Counters.Handled(RequestKind.Put) + up.Counters.Handled(RequestKind.Get);
        Assert.Equal(20, handledByUp);
        Assert.Equal(downBefore, down.Counters.TotalRequests);

        // After the cool-down the recovered gateway takes its share again.
        down.IsDown = false;
        time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await client.GetRowAsync("t", $"r{i}"));
        }

        Assert.Equal(5, down.Counters.Requests(RequestKind.Get));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AMultiGetRefusedByOneGatewayIsRetriedWholeOnTheOther(HBaseRestFormat format)
    {
        // Multi-get addresses are built for the gateway of the first attempt; a retry elsewhere must ask the same keys.
        await using var h = await GatewayHarness.StartAsync(gateways: 2);
        var client = await h.ClientWithTableAsync(format);
        var keys = Enumerable.Range(0, 300).Select(i => $"k/{i} é").ToList();
        await client.PutRowsAsync("t", [.. keys.Where((_, i) => i % 3 == 0).Select(k => new HBaseRow(k, [new HBaseCell("f:q", Encoding.UTF8.GetBytes(k))]))]);
        h.Gateways[0].Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Kinds = [RequestKind.MultiGet], Times = null });
        for (var i = 0; i < 4; i++)
        {
            var found = await client.MultiGetAsync("t", keys);
            Assert.Equal(keys.Where((_, i) => i % 3 == 0), found.Select(r => r.Key));
            Assert.All(found, r => Assert.Equal(r.Key, Encoding.UTF8.GetString(r.Cells[0].Value.Span)));
        }

        Assert.True(h.Gateways[0].Counters.Requests(RequestKind.MultiGet) > 0, "the first gateway was never tried");
        Assert.Equal(0, h.Gateways[0].Counters.Handled(RequestKind.MultiGet));
        Assert.Equal(8, h.Gateways[1].Counters.Handled(RequestKind.MultiGet)); // two requests a call: 300 keys do not fit in one line
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WhenEveryGatewayIsDownTheCallFailsWithATransportError(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync(gateways: 2);
        var client = h.Client(format, retries: 3);
        foreach (var g in h.Gateways)
        {
            g.IsDown = true;
        }

        var error = await Assert.ThrowsAsync<HBaseRestException>(() => client.GetRowAsync("t", "r"));
        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("(no answer)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AnAttemptThatTimesOutIsRetried(HBaseRestFormat format)
    {
        // The gateway's latency waits on a time source that never moves, so a delayed request never completes by itself.
        await using var h = await GatewayHarness.StartAsync(configure: o => new HBaseRestGatewayOptions
        {
            Clock = o.Clock, Store = o.Store, DelayTimeProvider = new FrozenTimeProvider(),
        });
        var client = await h.ClientWithTableAsync(format, retries: 2);
        await client.PutCellAsync("t", "r", "f:q", new byte[] { 1 });
        var quick = h.Client(format, retries: 2, o => o.Timeout = TimeSpan.FromMilliseconds(200));
        h.Gateway.Faults.Add(new FaultRule(FaultKind.Latency) { Kinds = [RequestKind.Get], Times = 1 });
        Assert.NotNull(await quick.GetRowAsync("t", "r"));
        Assert.Equal(2, h.Gateway.Counters.Requests(RequestKind.Get));

        var single = h.Client(format, retries: 0, o => o.Timeout = TimeSpan.FromMilliseconds(200));
        h.Gateway.Faults.Add(new FaultRule(FaultKind.Latency) { Kinds = [RequestKind.Get], Times = 1 });
        var error = await Assert.ThrowsAsync<HBaseRestException>(() => single.GetRowAsync("t", "r"));
        Assert.Contains("timed out after 200 ms", error.Message);
        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(3, h.Gateway.Counters.Requests(RequestKind.Get));
    }

    [Fact]
    public async Task TlsAndAnAuthorizationHeaderAreUsedOnEveryRequest()
    {
        const string Token = "Bearer tls-test-token";
        await using var h = await GatewayHarness.StartAsync(configure: o => new HBaseRestGatewayOptions
        {
            Clock = o.Clock, Store = o.Store, UseHttps = true, RequiredAuthValue = Token,
        });
        Assert.Equal("https", h.Gateway.BaseAddress.Scheme);
        var certificate = h.Gateway.Certificate!;
        var calls = 0;
        Func<HttpMessageHandler> tls = () => new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString() },
        };
        var client = h.Client(HBaseRestFormat.Protobuf, configure: o =>
        {
            o.HttpMessageHandlerFactory = tls;
            o.AuthorizationProvider = _ =>
            {
                Interlocked.Increment(ref calls);
                return ValueTask.FromResult<AuthenticationHeaderValue?>(AuthenticationHeaderValue.Parse(Token));
            };
        });
        Assert.True(await client.CreateTableAsync(new HBaseTableSchema("t", [new HBaseColumnFamilySchema("f")])));
        await client.PutCellAsync("t", "r", "f:q", new byte[] { 1 });
        Assert.NotNull(await client.GetRowAsync("t", "r"));
        Assert.Equal(3, calls);
        Assert.Equal(0, h.Gateway.Counters.Unauthorized);

        var anonymous = h.Client(HBaseRestFormat.Protobuf, configure: o => o.HttpMessageHandlerFactory = tls);
        var refused = await Assert.ThrowsAsync<HBaseRestException>(() => anonymous.GetRowAsync("t", "r"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not authorized", refused.Message);
        Assert.Equal(1, h.Gateway.Counters.Unauthorized);
        Assert.DoesNotContain("tls-test-token", refused.ToString());

        var untrusting = h.Client(HBaseRestFormat.Protobuf, retries: 0);
        var untrusted = await Assert.ThrowsAsync<HBaseRestException>(() => untrusting.GetRowAsync("t", "r"));
        Assert.Null(untrusted.StatusCode);
    }

    /// <summary>A time source whose timers never fire.</summary>
    private sealed class FrozenTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>A time source moved only by the test (for cool-downs); timers still come from the system.</summary>
    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
