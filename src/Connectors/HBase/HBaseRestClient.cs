using Cep.Connectors.HBase.Internal;
using Polly;
using Polly.Retry;

namespace Cep.Connectors.HBase;

/// <summary>
/// A client of the HBase REST gateway ("Stargate"): row reads and writes, conditional mutations, scanners, schemas and
/// cluster information, over HTTP in protobuf (default) or JSON, with per-call timeouts, retries of transient failures
/// and failover between several gateways.
/// </summary>
/// <remarks>
/// <para>Row keys and columns are strings, sent as UTF-8. A key that cannot be sent (null, empty, <c>.</c> or
/// <c>..</c>, an unpaired surrogate, more than 32767 bytes) is rejected with an <see cref="ArgumentException"/> before
/// any request. Path segments are percent-encoded.</para>
/// <para>"Not found" is a value, not an error: a missing row reads as null, a multi-get returns only the rows found (a
/// table that does not exist is an error, told apart through its schema), a failed check-and-put returns false. Every other unexpected answer, a malformed or truncated body, a transport error
/// or a timeout ends in an <see cref="HBaseRestException"/> naming the table, row, status, gateway and the start of the
/// body. Transport errors, timeouts and 503 are retried (see <see cref="HBaseRestClientOptions"/>); nothing else is.</para>
/// <para>Scanner state lives on the gateway that created it: a <see cref="HBaseScanner"/> sends its calls there.</para>
/// </remarks>
/// <threadsafety>Safe for concurrent calls from many threads; create one per set of gateways and reuse it.</threadsafety>
public sealed partial class HBaseRestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly EndpointSet _endpoints;
    private readonly IHBaseCodec _codec;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _tableExistenceTtl;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, ValueTask<System.Net.Http.Headers.AuthenticationHeaderValue?>>? _authorization;
    private int _disposed;

    /// <summary>Creates a client.</summary>
    /// <param name="options">The settings; validated and copied, later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public HBaseRestClient(HBaseRestClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Format = options.Format;
        _codec = options.Format == HBaseRestFormat.Json ? JsonCodec.Instance : ProtobufCodec.Instance;
        _time = options.TimeProvider;
        _timeout = options.Timeout;
        _tableExistenceTtl = options.TableExistenceTtl;
        _authorization = options.AuthorizationProvider;
        _endpoints = new EndpointSet(options.Endpoints, options.EndpointCooldown, _time);
        var handler = options.HttpMessageHandlerFactory?.Invoke()
            ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = System.Net.DecompressionMethods.All };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = options.MaxRetryAttempts == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = _time }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HBaseRestException>(static e => e.IsTransient),
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryDelay,
                    BackoffType = options.BackoffType,
                    UseJitter = options.UseJitter,
                    MaxDelay = options.MaxRetryDelay,
                })
                .Build();
    }

    /// <summary>Gets the media type the client speaks.</summary>
    public HBaseRestFormat Format { get; }

    /// <summary>Gets the gateways' base addresses, in the order given.</summary>
    public IReadOnlyList<Uri> Endpoints => Enumerable.Range(0, _endpoints.Count).Select(i => _endpoints[i]).ToList();

    /// <summary>Releases the HTTP connections. Calls made afterwards throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _http.Dispose();
        }
    }

    /// <summary>Describes the client without any credential.</summary>
    /// <returns>The format and gateways.</returns>
    public override string ToString() =>
        $"HBaseRestClient {{ Format = {Format}, Endpoints = [{string.Join(", ", Endpoints)}], Authorization = {(_authorization is null ? "none" : "set")} }}";
}
