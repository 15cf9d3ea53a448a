using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using NodaTime;
using NodaTime.Testing;

namespace Cep.Tests.Connectors.HBase;

/// <summary>One or more in-repo gateways over one store, with a fake clock, and clients pointed at them.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    private readonly List<HBaseRestClient> _clients = [];

    private GatewayHarness(FakeClock clock, IReadOnlyList<HBaseRestGateway> gateways)
    {
        Clock = clock;
        Gateways = gateways;
    }

    public FakeClock Clock { get; }

    public IReadOnlyList<HBaseRestGateway> Gateways { get; }

    public HBaseRestGateway Gateway => Gateways[0];

    public static async Task<GatewayHarness> StartAsync(int gateways = 1, Func<HBaseRestGatewayOptions, HBaseRestGatewayOptions>? configure = null)
    {
        var clock = new FakeClock(Start);
        var store = new Cep.HBaseRestServer.Store.HBaseStore();
        var started = new List<HBaseRestGateway>();
        for (var i = 0; i < gateways; i++)
        {
            var options = new HBaseRestGatewayOptions { Clock = clock, Store = store };
            started.Add(await HBaseRestGateway.StartAsync(configure?.Invoke(options) ?? options));
        }

        return new GatewayHarness(clock, started);
    }

    /// <summary>A client of all gateways, retries without delay, an hour of cool-down.</summary>
    public HBaseRestClient Client(HBaseRestFormat format, int retries = 3, Action<HBaseRestClientOptions>? configure = null)
    {
        var options = new HBaseRestClientOptions
        {
            Endpoints = Gateways.Select(g => g.BaseAddress).ToList(),
            Format = format,
            MaxRetryAttempts = retries,
            RetryDelay = TimeSpan.Zero,
            UseJitter = false,
            EndpointCooldown = TimeSpan.FromHours(1),
            Timeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        var client = new HBaseRestClient(options);
        _clients.Add(client);
        return client;
    }

    public async Task<HBaseRestClient> ClientWithTableAsync(HBaseRestFormat format, string table = "t", int versions = 3, Duration? ttl = null, int retries = 3)
    {
        var client = Client(format, retries);
        Assert(await client.CreateTableAsync(new HBaseTableSchema(table, [new HBaseColumnFamilySchema("f") { MaxVersions = versions, Ttl = ttl }])));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }
    }

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("The table was not created.");
        }
    }
}
