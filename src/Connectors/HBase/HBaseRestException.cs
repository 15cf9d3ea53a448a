using System.Net;

namespace Cep.Connectors.HBase;

/// <summary>
/// A call to an HBase REST gateway failed: an unexpected HTTP status, a malformed or truncated answer, a transport error
/// or a timeout. The properties say which table and row, which gateway and what it answered; the message says the same.
/// </summary>
/// <remarks>No credential ever appears here: <see cref="Endpoint"/> carries no user information and no header is copied.</remarks>
public class HBaseRestException : Exception
{
    /// <summary>The longest <see cref="BodySnippet"/>, in characters.</summary>
    public const int MaxSnippetLength = 256;

    /// <summary>Creates an exception with a generic message.</summary>
    public HBaseRestException()
        : base("An HBase REST call failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public HBaseRestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public HBaseRestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception describing one failed call.</summary>
    /// <param name="what">What failed, e.g. "GET row failed" or "the answer is malformed".</param>
    /// <param name="table">The table, or null.</param>
    /// <param name="row">The row key, or null.</param>
    /// <param name="statusCode">The HTTP status, or null when none was received.</param>
    /// <param name="endpoint">The gateway called, or null.</param>
    /// <param name="bodySnippet">The start of the answer's body, or null.</param>
    /// <param name="isTransient">Whether retrying may succeed (a transport error, a timeout, 503).</param>
    /// <param name="innerException">The cause, or null.</param>
    public HBaseRestException(
        string what, string? table, string? row, HttpStatusCode? statusCode, Uri? endpoint, string? bodySnippet, bool isTransient, Exception? innerException = null)
        : base(Describe(what, table, row, statusCode, endpoint, bodySnippet), innerException)
    {
        Table = table;
        Row = row;
        StatusCode = statusCode;
        Endpoint = endpoint;
        BodySnippet = bodySnippet;
        IsTransient = isTransient;
    }

    /// <summary>Gets the table of the call, or null if the call concerned no table.</summary>
    public string? Table { get; }

    /// <summary>Gets the row key of the call, or null if the call concerned no single row.</summary>
    public string? Row { get; }

    /// <summary>Gets the HTTP status the gateway answered, or null if no answer came (transport error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the gateway's base address (scheme, host, port and path only), or null.</summary>
    public Uri? Endpoint { get; }

    /// <summary>Gets the start of the answer's body (at most <see cref="MaxSnippetLength"/> characters, control
    /// characters replaced), or null if there was none.</summary>
    public string? BodySnippet { get; }

    /// <summary>Gets a value indicating whether the failure is transient (a transport error, a timeout, 503), so that
    /// retrying, possibly on another gateway, may succeed.</summary>
    public bool IsTransient { get; }

    private static string Describe(string what, string? table, string? row, HttpStatusCode? statusCode, Uri? endpoint, string? bodySnippet)
    {
        var text = new System.Text.StringBuilder(what);
        text.Append(": table '").Append(table ?? "(none)").Append("', row '").Append(row ?? "(none)").Append('\'');
        text.Append(", HTTP status ").Append(statusCode is { } s ? $"{(int)s} ({s})" : "(no answer)");
        if (endpoint is not null)
        {
            text.Append(", gateway ").Append(endpoint);
        }

        text.Append(", body: ").Append(string.IsNullOrEmpty(bodySnippet) ? "(empty)" : $"\"{bodySnippet}\"");
        return text.Append('.').ToString();
    }
}

/// <summary>
/// A scanner is gone (HTTP 410): the gateway dropped it because the HBase scanner lease expired, so it cannot continue.
/// Create a new scanner that starts after the last row read.
/// </summary>
public sealed class HBaseScannerExpiredException : HBaseRestException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public HBaseScannerExpiredException()
        : base("The HBase REST scanner expired.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public HBaseScannerExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public HBaseScannerExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for the scanner <paramref name="scannerId"/> of <paramref name="table"/>.</summary>
    /// <param name="table">The table scanned.</param>
    /// <param name="scannerId">The gateway's scanner id.</param>
    /// <param name="endpoint">The gateway holding the scanner.</param>
    /// <param name="bodySnippet">The start of the answer's body, or null.</param>
    public HBaseScannerExpiredException(string table, string scannerId, Uri endpoint, string? bodySnippet)
        : base($"Scanner '{scannerId}' expired on the gateway (its HBase scanner lease ran out); create a new scanner to continue",
            table, null, System.Net.HttpStatusCode.Gone, endpoint, bodySnippet, false)
    {
        ScannerId = scannerId;
    }

    /// <summary>Gets the gateway's id of the expired scanner, or null.</summary>
    public string? ScannerId { get; }
}
