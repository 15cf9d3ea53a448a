using Cep.HBaseRestServer.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NodaTime;

namespace Cep.HBaseRestServer.Routing;

/// <summary>
/// The HTTP side: down switch, authentication, classification and counters, fault injection, then the
/// endpoint's result written with the response faults (truncation, garbage) applied.
/// </summary>
internal sealed class RestDispatcher(Endpoints endpoints, GatewayCounters counters, FaultInjector faults, TimeProvider delays,
    string? authHeader, string? authValue)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (faults.IsDown)
        {
            counters.Fault(FaultKind.Down);
            context.Abort();
            return;
        }
        if (authValue is not null && context.Request.Headers[authHeader!].ToString() != authValue)
        {
            counters.Unauthorize();
            if (authHeader!.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"hbase\"";
            }
            await WriteAsync(context, RestResult.Text(401, "Unauthorized"), null).ConfigureAwait(false);
            return;
        }
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        var request = await ReadRequestAsync(context, raw).ConfigureAwait(false);
        if (request is null)
        {
            await WriteAsync(context, RestResult.BadRequest("Bad request: malformed request target"), null).ConfigureAwait(false);
            return;
        }
        var kind = Endpoints.Classify(request.Method, request.Segments, request.QueryValue("check"));
        counters.Request(kind);
        var decision = faults.Decide(kind, request.Method);
        if (decision.Fault is { } fault)
        {
            counters.Fault(fault);
            switch (fault)
            {
                case FaultKind.Latency:
                    await Task.Delay(decision.Latency.ToTimeSpan(), delays, context.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.Unavailable:
                    await WriteAsync(context, RestResult.Unavailable(), null).ConfigureAwait(false);
                    return;
                case FaultKind.ConnectionReset or FaultKind.Down:
                    context.Abort();
                    return;
            }
        }
        counters.Handle(kind);
        var result = endpoints.Handle(kind, request);
        await WriteAsync(context, result, decision.Fault).ConfigureAwait(false);
    }

    private static async Task<RestRequest?> ReadRequestAsync(HttpContext context, string raw)
    {
        var q = raw.IndexOf('?');
        var path = q >= 0 ? raw.AsSpan(0, q) : raw.AsSpan();
        if (!path.StartsWith('/'))
        {
            return null;
        }
        var segments = path[1..].ToString().Split('/').ToList();
        while (segments.Count > 0 && segments[^1].Length == 0)
        {
            segments.RemoveAt(segments.Count - 1);
        }
        var query = q >= 0 ? raw.AsMemory(q + 1) : ReadOnlyMemory<char>.Empty;
        if (!QueryString.IsWellFormed(query))
        {
            return null;
        }
        var request = context.Request;
        return new RestRequest
        {
            Method = request.Method.ToUpperInvariant(),
            Segments = segments,
            RawQuery = query,
            Headers = request.Headers,
            Body = await ReadBodyAsync(context).ConfigureAwait(false),
            Scheme = request.Scheme,
            Host = request.Host,
        };
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        // A request without a body (no Content-Length, no chunked encoding), as every GET: nothing to read.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return [];
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, RestResult result, FaultKind? fault)
    {
        try
        {
            await WriteBodyAsync(context, result, fault).ConfigureAwait(false);
        }
        finally
        {
            if (result.IsPooled)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(result.Body);
            }
        }
    }

    private static async Task WriteBodyAsync(HttpContext context, RestResult result, FaultKind? fault)
    {
        var response = context.Response;
        response.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers)
        {
            response.Headers[name] = value;
        }
        if (result.ContentType is not null)
        {
            response.ContentType = result.ContentType;
        }
        var body = result.Body.AsMemory(0, result.BodyLength);
        if (fault == FaultKind.MalformedBody)
        {
            body = Garbage(result.ContentType);
        }
        if (result.Status is 204 or 304)
        {
            body = Memory<byte>.Empty;
        }
        if (fault == FaultKind.TruncatedBody)
        {
            var full = Math.Max(body.Length, 16);
            response.ContentLength = full;
            await response.Body.WriteAsync(body[..(body.Length / 2)], context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }
        response.ContentLength = body.Length;
        if (body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Bytes that no parser of the content type accepts.</summary>
    private static byte[] Garbage(string? contentType) => contentType switch
    {
        Formats.MediaTypes.Json => "{\"Row\":[{\"key\":\"!!not-base64!!\",\"Cell\":[{"u8.ToArray(),
        Formats.MediaTypes.Protobuf or Formats.MediaTypes.ProtobufIetf => [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01],
        Formats.MediaTypes.Xml => "<CellSet><Row key=\"&&&\"><Cell"u8.ToArray(),
        _ => [0xC3, 0x28, 0xFF, 0xFE],
    };
}
