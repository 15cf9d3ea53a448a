using System.Text;
using Cep.HBaseRestServer.Formats;

namespace Cep.HBaseRestServer.Routing;

/// <summary>A request as the handlers see it: raw (still percent-encoded) path segments, decoded query, body bytes.</summary>
internal sealed class RestRequest
{
    public required string Method { get; init; }

    /// <summary>Path segments between slashes, still percent-encoded (so that an encoded '/', ':' or ',' stays data).</summary>
    public required IReadOnlyList<string> Segments { get; init; }

    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _query;

    /// <summary>The query after the '?', still percent-encoded (a window on the request target); empty when there is none.</summary>
    public required ReadOnlyMemory<char> RawQuery { get; init; }

    /// <summary>Query parameters by decoded name; values still percent-encoded (decode with <see cref="PathCodec"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Query => _query ??= QueryString.Parse(RawQuery);

    /// <summary>The request's headers.</summary>
    public required Microsoft.AspNetCore.Http.IHeaderDictionary Headers { get; init; }

    public required byte[] Body { get; init; }

    /// <summary>The scheme of the request, for Location headers.</summary>
    public required string Scheme { get; init; }

    /// <summary>The Host of the request, for Location headers.</summary>
    public required Microsoft.AspNetCore.Http.HostString Host { get; init; }

    /// <summary>Scheme, host and port of this gateway, for Location headers.</summary>
    public string BaseUrl => $"{Scheme}://{Host}";

    /// <summary>A header's value (several joined by commas), or null when it is missing.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The first value of a query parameter, decoded.</summary>
    public string? QueryValue(string name)
    {
        var values = new QueryString.Values(RawQuery, name);
        return values.MoveNext() ? PathCodec.DecodeString(values.Current) : null;
    }

    public bool IsRead => Method is "GET" or "HEAD";
}

/// <summary>A response: status, content type, body and extra headers.</summary>
internal sealed class RestResult
{
    public RestResult(int status, string? contentType = null, byte[]? body = null)
    {
        Status = status;
        ContentType = contentType;
        Body = body ?? [];
        BodyLength = Body.Length;
    }

    private RestResult(int status, string contentType, byte[] pooledBody, int length)
    {
        Status = status;
        ContentType = contentType;
        Body = pooledBody;
        BodyLength = length;
        IsPooled = true;
    }

    public int Status { get; }

    public string? ContentType { get; }

    /// <summary>The body: its first <see cref="BodyLength"/> bytes.</summary>
    public byte[] Body { get; }

    public int BodyLength { get; }

    /// <summary>Whether <see cref="Body"/> is rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> and goes back once sent.</summary>
    public bool IsPooled { get; }

    /// <summary>A response whose body is the first <paramref name="length"/> bytes of a rented buffer, returned once sent.</summary>
    public static RestResult Pooled(int status, string contentType, byte[] buffer, int length) => new(status, contentType, buffer, length);

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RestResult With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }

    /// <summary>A text/plain response, as the gateway sends for errors and plain confirmations.</summary>
    public static RestResult Text(int status, string message) => new(status, MediaTypes.Text, Encoding.UTF8.GetBytes(message + "\r\n"));

    public static RestResult Ok() => new(200);

    public static RestResult NotFound(string message = "Not found") => Text(404, message);

    public static RestResult BadRequest(string message = "Bad request") => Text(400, message);

    public static RestResult Forbidden() => Text(403, "Forbidden");

    public static RestResult NotAcceptable() => Text(406, "Not acceptable");

    public static RestResult UnsupportedMediaType() => Text(415, "Unsupported media type");

    public static RestResult Unavailable() => Text(503, "Unavailable");
}

/// <summary>Percent-decoding of path segments the way the gateway's URL decoder does it ('+' is a space).</summary>
internal static class PathCodec
{
    public static byte[] DecodeBytes(string encoded) => DecodeBytes(encoded.AsSpan());

    public static byte[] DecodeBytes(ReadOnlySpan<char> encoded)
    {
        // At most three bytes per char: a non-ASCII char (a lone surrogate becomes U+FFFD) takes up to three.
        Span<byte> buffer = encoded.Length <= 256 ? stackalloc byte[encoded.Length * 3] : new byte[encoded.Length * 3];
        return buffer[..Decode(encoded, buffer)].ToArray();
    }

    /// <summary>Decodes into <paramref name="buffer"/>, which must hold three bytes per char; returns the length.</summary>
    public static int Decode(ReadOnlySpan<char> encoded, Span<byte> buffer)
    {
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                {
                    throw new BadRequestException($"Bad request: malformed percent-encoding in path segment '{encoded.ToString()}'");
                }
                buffer[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (c == '+')
            {
                buffer[length++] = (byte)' ';
            }
            else if (char.IsAscii(c))
            {
                buffer[length++] = (byte)c;
            }
            else
            {
                // Char by char, as the gateway's decoder does: a surrogate pair is not joined.
                length += Encoding.UTF8.GetBytes([c], buffer[length..]);
            }
        }
        return length;
    }

    public static string DecodeString(string encoded) => DecodeString(encoded.AsSpan());

    public static string DecodeString(ReadOnlySpan<char> encoded) => Encoding.UTF8.GetString(DecodeBytes(encoded));

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
