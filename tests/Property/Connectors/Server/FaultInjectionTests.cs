using System.Net;
using System.Text.Json;
using Cep.HBaseRestServer;
using Cep.HBaseRestServer.Faults;
using Cep.HBaseRestServer.Store;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class FaultInjectionTests
{
    private static async Task<TestGateway> SeededAsync(Func<NodaTime.Testing.FakeClock, HBaseRestGatewayOptions>? configure = null)
    {
        var g = await TestGateway.StartAsync(configure);
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        Assert.Equal(HttpStatusCode.OK, await g.PutCellsAsync("t/r", new Cell("r", "cf:a", "v", 1)));
        return g;
    }

    [Fact]
    public async Task UnavailableIs503TextAndTheRequestIsNotHandled()
    {
        await using var g = await SeededAsync();
        g.Gateway.Faults.Add(new FaultRule(FaultKind.Unavailable) { Kinds = [RequestKind.Get], Skip = 1, Times = 2 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await g.GetAsync("t/r");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("Unavailable", (await response.Content.ReadAsStringAsync()).Trim());
                Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
            }
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(5, g.Gateway.Counters.Requests(RequestKind.Get));
        Assert.Equal(3, g.Gateway.Counters.Handled(RequestKind.Get));
        Assert.Equal(2, g.Gateway.Counters.Faults(FaultKind.Unavailable));
    }

    [Fact]
    public async Task ConnectionResetSurfacesAsAnHttpRequestException()
    {
        await using var g = await SeededAsync();
        g.Gateway.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Kinds = [RequestKind.Put] });
        await Assert.ThrowsAsync<HttpRequestException>(() => g.PutCellsAsync("t/r", new Cell("r", "cf:a", "lost", 2)));
        using var row = await g.GetAsync("t/r");
        Assert.Equal("v", Assert.Single(await CellSets.ReadAsync(row)).Value); // the put was not applied
        Assert.Equal(1, g.Gateway.Counters.Faults(FaultKind.ConnectionReset));
    }

    [Fact]
    public async Task TruncatedBodyFailsTheRead()
    {
        await using var g = await SeededAsync();
        g.Gateway.Faults.Add(new FaultRule(FaultKind.TruncatedBody));
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await g.GetAsync("t/r");
            await response.Content.ReadAsByteArrayAsync();
        });
        Assert.True(error is HttpRequestException or IOException, $"unexpected {error?.GetType()}");
        using var ok = await g.GetAsync("t/r");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData(TestGateway.Json)]
    [InlineData(TestGateway.Protobuf)]
    public async Task MalformedBodyKeepsStatusButDoesNotParse(string format)
    {
        await using var g = await SeededAsync();
        g.Gateway.Faults.Add(new FaultRule(FaultKind.MalformedBody) { Kinds = [RequestKind.Get] });
        using var response = await g.GetAsync("t/r", format);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(format, response.Content.Headers.ContentType!.MediaType);
        var error = await Record.ExceptionAsync(() => CellSets.ReadAsync(response));
        Assert.True(error is JsonException or Google.Protobuf.InvalidProtocolBufferException, $"unexpected {error?.GetType()}");
    }

    [Fact]
    public async Task LatencyHoldsTheResponseUntilTheDelayElapses()
    {
        var delays = new ManualTimeProvider();
        await using var g = await SeededAsync(clock => new HBaseRestGatewayOptions { Clock = clock, DelayTimeProvider = delays });
        g.Gateway.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = NodaTime.Duration.FromSeconds(5) });
        var pending = g.GetAsync("t/r");
        for (var i = 0; i < 1000 && delays.PendingTimers == 0; i++)
        {
            await Task.Delay(5);
        }
        Assert.Equal(1, delays.PendingTimers);
        Assert.False(pending.IsCompleted);
        delays.FireAll();
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, g.Gateway.Counters.Faults(FaultKind.Latency));
    }

    [Fact]
    public async Task DownGatewayAbortsEveryRequestAndASecondGatewayOverTheSameStoreServes()
    {
        var store = new HBaseStore();
        await using var primary = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, Store = store });
        await using var secondary = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, Store = store });
        await primary.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        Assert.Equal(HttpStatusCode.OK, await primary.PutCellsAsync("t/r", new Cell("r", "cf:a", "v", 1)));

        primary.Gateway.IsDown = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => primary.GetAsync("t/r"));
        await Assert.ThrowsAsync<HttpRequestException>(() => primary.GetAsync("version"));
        using (var failover = await secondary.GetAsync("t/r"))
        {
            Assert.Equal([new Cell("r", "cf:a", "v", 1)], await CellSets.ReadAsync(failover));
        }
        Assert.Equal(2, primary.Gateway.Counters.Faults(FaultKind.Down));
        Assert.Equal(0, primary.Gateway.Counters.Requests(RequestKind.Get)); // never classified while down
        Assert.Equal(1, secondary.Gateway.Counters.Handled(RequestKind.Get));

        primary.Gateway.IsDown = false;
        using var back = await primary.GetAsync("t/r");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task SeededRandomFaultsRepeatForTheSameSeedAndRequestOrder()
    {
        async Task<List<string>> RunAsync(int seed)
        {
            await using var g = await SeededAsync();
            g.Gateway.Faults.SetRandom(new RandomFaults(0.5, seed) { Kinds = [RequestKind.Get] });
            var outcomes = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    using var response = await g.GetAsync("t/r");
                    outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (HttpRequestException)
                {
                    outcomes.Add("reset");
                }
            }
            Assert.Equal(40 - outcomes.Count(o => o == "200"), g.Gateway.Counters.TotalFaults);
            return outcomes;
        }

        var first = await RunAsync(7);
        var again = await RunAsync(7);
        var other = await RunAsync(8);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains("503", first);
        Assert.Contains("reset", first);
        Assert.Contains("200", first);
    }

    [Fact]
    public void InvalidFaultSettingsAreRejected()
    {
        var faults = new FaultInjector();
        Assert.Throws<ArgumentNullException>(() => faults.Add(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.Add(new FaultRule(FaultKind.Unavailable) { Skip = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.Add(new FaultRule(FaultKind.Unavailable) { Times = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.SetRandom(new RandomFaults(1.5, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.SetRandom(new RandomFaults(0.5, 1) { Faults = [] }));
    }
}
