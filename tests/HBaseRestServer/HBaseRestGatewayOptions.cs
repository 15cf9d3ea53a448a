using Cep.HBaseRestServer.Faults;
using Cep.HBaseRestServer.Store;
using NodaTime;

namespace Cep.HBaseRestServer;

/// <summary>How to start an <see cref="HBaseRestGateway"/>.</summary>
/// <remarks>Immutable once passed to <see cref="HBaseRestGateway.StartAsync"/>.</remarks>
public sealed class HBaseRestGatewayOptions
{
    /// <summary>Clock for server-assigned timestamps, TTL expiry and scanner leases; default the system clock.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>The tables behind the gateway; default a new empty store. Share one store between gateways for failover tests.</summary>
    public HBaseStore? Store { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate for 127.0.0.1/localhost generated at start; default false.</summary>
    public bool UseHttps { get; init; }

    /// <summary>When set, every request must carry header <see cref="AuthHeaderName"/> with exactly this value, else 401.</summary>
    public string? RequiredAuthValue { get; init; }

    /// <summary>The header checked against <see cref="RequiredAuthValue"/>; default <c>Authorization</c>.</summary>
    public string AuthHeaderName { get; init; } = "Authorization";

    /// <summary>Refuse every mutation (puts, deletes, schema changes, scanners) with 403, as <c>hbase.rest.readonly</c>; default false.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Idle time after which a scanner's lease expires (next call answers 410); default 60 s.</summary>
    public Duration ScannerLease { get; init; } = Duration.FromSeconds(60);

    /// <summary>Time source for injected latency; default the system's. A fake one makes latency faults wait for it.</summary>
    public TimeProvider DelayTimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Fault rules installed at start (more can be added through <see cref="HBaseRestGateway.Faults"/>).</summary>
    public IReadOnlyList<FaultRule> FaultRules { get; init; } = [];

    /// <summary>Random faults installed at start; default none.</summary>
    public RandomFaults? RandomFaults { get; init; }

    /// <summary>The version reported by <c>/version/cluster</c>; default "2.6.0".</summary>
    public string ClusterVersion { get; init; } = "2.6.0";
}
