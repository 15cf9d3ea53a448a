using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using Polly;

namespace Cep.Connectors.HBase;

/// <summary>The settings of an <see cref="HBaseRestClient"/>: gateways, format, timeouts, retries, endpoint health, auth and TLS.</summary>
/// <remarks>
/// <para>A call picks a healthy gateway by round robin. A gateway that fails with a transport error, a timeout or 503 is
/// skipped for <see cref="EndpointCooldown"/>, and the call is retried (up to <see cref="MaxRetryAttempts"/> times,
/// waiting <see cref="RetryDelay"/> shaped by <see cref="BackoffType"/> and <see cref="UseJitter"/>) on the next healthy
/// gateway. When every gateway is cooling down, the one whose cool-down ends first is tried. Answers that are not
/// transient (404, 304, 400, 401, 403, a malformed body...) are never retried.</para>
/// </remarks>
/// <threadsafety>Read once when the client is created; later changes have no effect on it.</threadsafety>
public sealed class HBaseRestClientOptions
{
    /// <summary>Gets or sets the gateways' base addresses (http or https, without user information, query or fragment).</summary>
    /// <value>The default value is empty; at least one is required.</value>
    public IList<Uri> Endpoints { get; set; } = new List<Uri>();

    /// <summary>Gets or sets the media type of cell sets, schemas and scanners.</summary>
    /// <value>The default value is <see cref="HBaseRestFormat.Protobuf"/>.</value>
    public HBaseRestFormat Format { get; set; } = HBaseRestFormat.Protobuf;

    /// <summary>Gets or sets how long one attempt of a call may take, from sending to reading the whole answer.</summary>
    /// <value>The default value is 30 seconds. Must be positive (at most 1 day).</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a transiently failed call is retried (0 disables retries).</summary>
    /// <value>The default value is 3: at most 4 attempts per call.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay before a retry.</summary>
    /// <value>The default value is 200 milliseconds. Between zero and 1 day.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets how the delay grows from one retry to the next.</summary>
    /// <value>The default value is <see cref="DelayBackoffType.Exponential"/>.</value>
    public DelayBackoffType BackoffType { get; set; } = DelayBackoffType.Exponential;

    /// <summary>Gets or sets a value indicating whether retry delays are randomized to spread retries of many callers.</summary>
    /// <value>The default value is true.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the longest delay before a retry, or null for no cap.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan? MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a gateway that failed (transport error, timeout, 503) is skipped.</summary>
    /// <value>The default value is 30 seconds. Must not be negative.</value>
    public TimeSpan EndpointCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the client trusts that a table exists once its schema resource said so. A multi-get
    /// answered 404 (no row found, or no such table: the gateway answers both alike) is confirmed through the table's
    /// schema unless a confirmation younger than this is at hand; zero checks on every such 404.</summary>
    /// <value>The default value is 5 seconds. Between zero and 1 day.</value>
    public TimeSpan TableExistenceTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets a provider of the <c>Authorization</c> header, called before every request (so tokens can
    /// be refreshed), or null for none. The header value never appears in exceptions or <see cref="object.ToString"/>.</summary>
    /// <value>The default value is null.</value>
    public Func<CancellationToken, ValueTask<AuthenticationHeaderValue?>>? AuthorizationProvider { get; set; }

    /// <summary>Gets or sets a factory of the HTTP handler (for TLS settings, client certificates, proxies), or null
    /// for a default <see cref="SocketsHttpHandler"/>. The client disposes the handler it gets.</summary>
    /// <value>The default value is null.</value>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; set; }

    /// <summary>Gets or sets the time source of timeouts, retry delays and cool-downs.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ValidationException">Some option is invalid; the message lists each problem on its own line.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Endpoints is null || Endpoints.Count == 0)
        {
            errors.Add("Endpoints: at least one gateway address is required.");
        }
        else
        {
            for (var i = 0; i < Endpoints.Count; i++)
            {
                if (CheckEndpoint(Endpoints[i]) is { } problem)
                {
                    errors.Add($"Endpoints[{i}]: {problem}");
                }
            }
        }

        if (!Enum.IsDefined(Format))
        {
            errors.Add($"Format: {(int)Format} is not a defined format.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromDays(1))
        {
            errors.Add($"Timeout: must be positive and at most 1 day; it was {Timeout}.");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"MaxRetryAttempts: must be between 0 and 100; it was {MaxRetryAttempts}.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"RetryDelay: must be between zero and 1 day; it was {RetryDelay}.");
        }

        if (!Enum.IsDefined(BackoffType))
        {
            errors.Add($"BackoffType: {(int)BackoffType} is not a defined backoff type.");
        }

        if (MaxRetryDelay is { } max && (max <= TimeSpan.Zero || max > TimeSpan.FromDays(1)))
        {
            errors.Add($"MaxRetryDelay: must be positive and at most 1 day when set; it was {max}.");
        }

        if (EndpointCooldown < TimeSpan.Zero)
        {
            errors.Add($"EndpointCooldown: must not be negative; it was {EndpointCooldown}.");
        }

        if (TableExistenceTtl < TimeSpan.Zero || TableExistenceTtl > TimeSpan.FromDays(1))
        {
            errors.Add($"TableExistenceTtl: must be between zero and 1 day; it was {TableExistenceTtl}.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider: is required.");
        }

        if (errors.Count > 0)
        {
            throw new ValidationException($"The '{nameof(HBaseRestClientOptions)}' are invalid.{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }
    }

    /// <summary>Describes the options without any credential.</summary>
    /// <returns>The endpoints, format, timeout and retry settings.</returns>
    public override string ToString() =>
        $"HBaseRestClientOptions {{ Endpoints = [{string.Join(", ", (Endpoints ?? []).Select(e => e is null ? "null" : Redact(e)))}], Format = {Format}, "
        + $"Timeout = {Timeout}, MaxRetryAttempts = {MaxRetryAttempts}, RetryDelay = {RetryDelay}, BackoffType = {BackoffType}, "
        + $"UseJitter = {UseJitter}, EndpointCooldown = {EndpointCooldown}, TableExistenceTtl = {TableExistenceTtl}, Authorization = {(AuthorizationProvider is null ? "none" : "set")} }}";

    /// <summary>The address without user information, query or fragment.</summary>
    internal static string Redact(Uri endpoint) =>
        endpoint.IsAbsoluteUri ? endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative address)";

    private static string? CheckEndpoint(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return "is null.";
        }

        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            return $"must be an absolute http or https address; it was '{Redact(endpoint)}'.";
        }

        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            return $"must not carry user information ('{Redact(endpoint)}'); supply credentials through AuthorizationProvider.";
        }

        return endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0
            ? $"must not have a query or fragment ('{Redact(endpoint)}')."
            : null;
    }
}
