using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>Sends <paramref name="request"/>: with retries on transient failures (unless the request says not to)
    /// and failover across healthy gateways (unless it is pinned to one).</summary>
    private async Task<RawResponse> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return request.Retry
            ? await _pipeline.ExecuteAsync(static (s, ct) => s.Self.AttemptAsync(s.Request, ct), (Self: this, Request: request), cancellationToken).ConfigureAwait(false)
            : await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One attempt on one gateway; transport errors, timeouts and 503 mark it failed and throw transient.</summary>
    private async ValueTask<RawResponse> AttemptAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var origin = request.Origin;
        request.Origin = null;
        var index = request.Endpoint ?? origin ?? _endpoints.Pick();
        var endpoint = _endpoints[index];
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var message = new HttpRequestMessage(request.Method, RequestUri(request, index));
            // Sent as written: the values are the client's own constants, valid, and need no parsing per request.
            message.Headers.TryAddWithoutValidation("Accept", request.Accept ?? _codec.MediaType);
            if (request.Body is { } body)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue(_codec.MediaType);
            }

            if (_authorization is not null)
            {
                message.Headers.Authorization = await _authorization(linked.Token).ConfigureAwait(false);
            }

            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            byte[] bytes;
            int length;
            if (request.PooledBody)
            {
                (bytes, length) = await ReadPooledAsync(response.Content, linked.Token).ConfigureAwait(false);
            }
            else
            {
                bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                length = bytes.Length;
            }

            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                _endpoints.MarkFailed(index);
                var snippet = Snippet(bytes.AsSpan(0, length));
                if (request.PooledBody)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                }

                throw new HBaseRestException(
                    $"{request.Operation} failed: the gateway is unavailable", request.Table, request.Row, response.StatusCode, endpoint, snippet, isTransient: true);
            }

            _endpoints.MarkHealthy(index);
            return new RawResponse(response.StatusCode, bytes, response.Headers.Location, index, endpoint) { Length = length, Pooled = request.PooledBody };
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _endpoints.MarkFailed(index);
            throw new HBaseRestException(
                $"{request.Operation} timed out after {_timeout.TotalMilliseconds:0} ms", request.Table, request.Row, null, endpoint, null, isTransient: true, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            _endpoints.MarkFailed(index);
            throw new HBaseRestException(
                $"{request.Operation} failed: {ex.Message}", request.Table, request.Row, null, endpoint, null, isTransient: true, ex);
        }
    }

    /// <summary>The address of <paramref name="request"/> on gateway <paramref name="index"/>.</summary>
    private Uri RequestUri(RestRequest request, int index)
    {
        if (request.PathOrigin is not { } built)
        {
            return new Uri(_endpoints[index], request.Path);
        }

        // The path was built as an absolute address on gateway `built`: used as it is there, made relative elsewhere.
        return index == built
            ? new Uri(request.Path, UriKind.Absolute)
            : new Uri(_endpoints[index], request.Path[_endpoints.Origin(built).Length..]);
    }

    /// <summary>Reads a body into an array rented from the shared pool (sized by Content-Length when the gateway sends one),
    /// instead of buffering it and copying it into an array of its own.</summary>
    private static async ValueTask<(byte[] Buffer, int Length)> ReadPooledAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int DefaultSize = 16 * 1024;
        const int LargestPresize = 1024 * 1024;
        var announced = content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(announced is { } n && n >= 0 ? (int)Math.Min(n + 1, LargestPresize) : DefaultSize);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>An exception for an answer the operation does not expect.</summary>
    private static HBaseRestException Unexpected(RestRequest request, RawResponse response)
    {
        var what = response.Status switch
        {
            HttpStatusCode.BadRequest => $"{request.Operation} was rejected as a bad request",
            HttpStatusCode.Unauthorized => $"{request.Operation} was not authorized (check the credentials)",
            HttpStatusCode.Forbidden => $"{request.Operation} was forbidden (access denied, or the gateway is read-only)",
            HttpStatusCode.NotFound => $"{request.Operation} failed: not found (the table or column family does not exist)",
            _ => $"{request.Operation} failed with an unexpected answer",
        };
        return new HBaseRestException(what, request.Table, request.Row, response.Status, response.EndpointUri, Snippet(response.Content), isTransient: false);
    }

    /// <summary>Decodes the body; any failure becomes an <see cref="HBaseRestException"/>.</summary>
    private static T Decode<T>(RestRequest request, RawResponse response, Func<byte[], T> decode)
    {
        try
        {
            return decode(response.Body);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HBaseRestException(
                $"{request.Operation}: the answer is malformed or truncated ({ex.Message})",
                request.Table, request.Row, response.Status, response.EndpointUri, Snippet(response.Body), isTransient: false, ex);
        }
    }

    /// <summary>The start of a body as printable text.</summary>
    private static string? Snippet(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, HBaseRestException.MaxSnippetLength * 4)]);
        var builder = new StringBuilder(Math.Min(text.Length, HBaseRestException.MaxSnippetLength));
        foreach (var c in text)
        {
            if (builder.Length == HBaseRestException.MaxSnippetLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) || c == '\uFFFD' ? '.' : c);
        }

        return builder.ToString().Trim();
    }

    /// <summary>A request as the operations describe it.</summary>
    private sealed record RestRequest(HttpMethod Method, string Path, string Operation, string? Table, string? Row)
    {
        public byte[]? Body { get; init; }

        public string? Accept { get; init; }

        /// <summary>Gets the gateway the request must go to, or null for any healthy one.</summary>
        public int? Endpoint { get; init; }

        public bool Retry { get; init; } = true;

        /// <summary>Gets the gateway whose absolute address <see cref="Path"/> starts with (it was built for that
        /// gateway, to save combining it with the gateway's address), or null when the path is relative.</summary>
        public int? PathOrigin { get; init; }

        /// <summary>Gets or sets the gateway the first attempt goes to (the one the path was built for); attempts clear
        /// it, so that retries pick healthy gateways as usual.</summary>
        public int? Origin { get; set; }

        /// <summary>Gets a value indicating whether the answer's body goes into a pooled array, which the caller must
        /// give back through <see cref="RawResponse.ReturnBody"/>.</summary>
        public bool PooledBody { get; init; }
    }

    /// <summary>A complete answer: the body is the first <see cref="Length"/> bytes of <see cref="Body"/>.</summary>
    private sealed record RawResponse(HttpStatusCode Status, byte[] Body, Uri? Location, int EndpointIndex, Uri EndpointUri)
    {
        public int Length { get; init; } = Body.Length;

        /// <summary>Gets a value indicating whether <see cref="Body"/> is rented from the shared pool.</summary>
        public bool Pooled { get; init; }

        public ReadOnlySpan<byte> Content => Body.AsSpan(0, Length);

        /// <summary>Gives a pooled body back; the body must not be read afterwards.</summary>
        public void ReturnBody()
        {
            if (Pooled)
            {
                ArrayPool<byte>.Shared.Return(Body);
            }
        }
    }
}
