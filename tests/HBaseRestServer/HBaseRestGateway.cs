using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cep.HBaseRestServer.Faults;
using Cep.HBaseRestServer.Routing;
using Cep.HBaseRestServer.Scanners;
using Cep.HBaseRestServer.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cep.HBaseRestServer;

/// <summary>
/// An HBase REST ("Stargate") gateway on a free loopback port, over an in-memory <see cref="HBaseStore"/>,
/// with deterministic fault injection and request counters. Start with <see cref="StartAsync"/>, stop by disposing.
/// </summary>
/// <remarks>Thread-safe; serves requests concurrently.</remarks>
public sealed class HBaseRestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ScannerRegistry _scanners;
    private int _disposed;

    private HBaseRestGateway(WebApplication app, HBaseStore store, FaultInjector faults, GatewayCounters counters,
        ScannerRegistry scanners, X509Certificate2? certificate, Uri baseAddress)
    {
        _app = app;
        Store = store;
        Faults = faults;
        Counters = counters;
        _scanners = scanners;
        Certificate = certificate;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the gateway listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The tables behind this gateway.</summary>
    public HBaseStore Store { get; }

    /// <summary>Fault rules, random faults and the down switch; changes apply to the next request.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Requests by kind, faults by kind, rows and cells written.</summary>
    public GatewayCounters Counters { get; }

    /// <summary>The self-signed server certificate when HTTPS is on, else null (clients may pin it).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Shortcut for <see cref="FaultInjector.IsDown"/>: when true every request's connection is aborted.</summary>
    public bool IsDown
    {
        get => Faults.IsDown;
        set => Faults.IsDown = value;
    }

    /// <summary>Scanners currently open on this gateway.</summary>
    public int OpenScanners => _scanners.Count;

    /// <summary>Starts a gateway on 127.0.0.1 and a free port.</summary>
    /// <param name="options">Options; null for defaults.</param>
    /// <returns>The running gateway.</returns>
    /// <exception cref="ArgumentException">A fault rule or random-fault setting is invalid.</exception>
    public static async Task<HBaseRestGateway> StartAsync(HBaseRestGatewayOptions? options = null)
    {
        options ??= new HBaseRestGatewayOptions();
        var store = options.Store ?? new HBaseStore();
        var faults = new FaultInjector();
        foreach (var rule in options.FaultRules)
        {
            faults.Add(rule);
        }
        faults.SetRandom(options.RandomFaults);
        var counters = new GatewayCounters();
        var scanners = new ScannerRegistry(options.Clock, options.ScannerLease);
        var endpoints = new Endpoints(store, options.Clock, options.ReadOnly, scanners, counters, options.ClusterVersion);
        var dispatcher = new RestDispatcher(endpoints, counters, faults, options.DelayTimeProvider,
            options.AuthHeaderName, options.RequiredAuthValue);
        var certificate = options.UseHttps ? SelfSignedCertificate.Create(options.Clock.GetCurrentInstant().ToDateTimeOffset()) : null;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AllowSynchronousIO = false;
            kestrel.Limits.MaxRequestBodySize = 256L * 1024 * 1024; // large batch puts in benchmarks
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        // In-flight requests (for instance one held by a latency fault) must not hold up disposal for long.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        endpoints.NodeName = $"{baseAddress.Host}:{baseAddress.Port}";
        return new HBaseRestGateway(app, store, faults, counters, scanners, certificate, baseAddress);
    }

    /// <summary>Stops listening and releases the port; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
    }
}
