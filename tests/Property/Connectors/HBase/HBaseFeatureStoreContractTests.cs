using Cep.Connectors.Features;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using Cep.Tests.Connectors.Features;
using NodaTime;
using NodaTime.Testing;

namespace Cep.Tests.Connectors.HBase;

/// <summary>The feature store contract on <see cref="HBaseFeatureStore"/>, each store on its own in-repo gateway whose
/// clock is the test's, so that the gateway's TTL expiry and the store's agree.</summary>
public sealed class HBaseFeatureStoreContractTests : FeatureStoreContract
{
    private readonly List<HBaseRestGateway> _gateways = [];

    protected override int OracleCases => Math.Min(base.OracleCases, 100);

    protected override async ValueTask<IFeatureStore> CreateStoreAsync(Duration ttl, FakeClock clock)
    {
        var gateway = await HBaseRestGateway.StartAsync(new HBaseRestGatewayOptions { Clock = clock });
        lock (_gateways)
        {
            _gateways.Add(gateway);
        }

        var client = new HBaseRestClient(new HBaseRestClientOptions { Endpoints = [gateway.BaseAddress], RetryDelay = TimeSpan.Zero });
        return await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions { Ttl = ttl, Clock = clock }, ownsClient: true);
    }

    protected override async ValueTask CleanupAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }
    }
}
