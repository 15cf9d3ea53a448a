using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using Cep.HBaseRestServer.Store;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>
/// Two in-repo gateways over one store with a fixed fake clock, shared by the cases of a test class. Each case uses its
/// own table and resets the fault injectors first, so cases do not see each other's data or faults.
/// </summary>
public sealed class EndToEndGateways : IAsyncLifetime
{
    /// <summary>The base of every event time (the gateways' clock stays here).</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    private int _tables;

    public HBaseStore Store { get; } = new();

    public FakeClock Clock { get; } = new(Start);

    public HBaseRestGateway Primary { get; private set; } = null!;

    public HBaseRestGateway Secondary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await HBaseRestGateway.StartAsync(new HBaseRestGatewayOptions { Clock = Clock, Store = Store });
        Secondary = await HBaseRestGateway.StartAsync(new HBaseRestGatewayOptions { Clock = Clock, Store = Store });
    }

    public async Task DisposeAsync()
    {
        await Primary.DisposeAsync();
        await Secondary.DisposeAsync();
    }

    /// <summary>A table name no earlier case used.</summary>
    public string NextTable(string prefix) => $"{prefix}{Interlocked.Increment(ref _tables)}";

    /// <summary>Clears the faults of both gateways and brings them up.</summary>
    public void Reset()
    {
        Primary.Faults.Clear();
        Secondary.Faults.Clear();
    }

    /// <summary>A client with quick retries (one unless given) and no delays; the timeout is real time (30 seconds unless given,
    /// so that a busy machine does not time requests out where a case injects no slowness).</summary>
    public HBaseRestClient Client(bool both = false, TimeSpan? timeout = null, int retries = 1) =>
        new(new HBaseRestClientOptions
        {
            Endpoints = both ? [Primary.BaseAddress, Secondary.BaseAddress] : [Primary.BaseAddress],
            Format = HBaseRestFormat.Protobuf,
            MaxRetryAttempts = retries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            UseJitter = false,
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            EndpointCooldown = both ? TimeSpan.FromHours(1) : TimeSpan.Zero,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>Opens a feature store on a new table (while no fault is set): the table is made by a patient client, so
    /// that a cold start cannot time out the setup, then opened through <paramref name="client"/>.</summary>
    public async Task<(HBaseFeatureStore Store, string Table)> OpenStoreAsync(HBaseRestClient client, string prefix)
    {
        var table = NextTable(prefix);
        var options = new HBaseFeatureStoreOptions { Table = table };
        using (var setup = Client(timeout: TimeSpan.FromSeconds(30)))
        {
            await using var created = await HBaseFeatureStore.OpenAsync(setup, options);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await HBaseFeatureStore.OpenAsync(client, options), table);
            }
            catch (HBaseRestException) when (attempt < 10)
            {
                // A short client timeout can expire on a busy machine; the open itself is not under test.
            }
        }
    }
}
