using System.Net;
using System.Net.Http.Headers;
using Cep.Connectors.HBase;

namespace Cep.Tests.Connectors.HBase;

/// <summary>An in-process HTTP handler that answers from a function and records every request: for client behaviour
/// that needs exact control over the bytes and statuses a gateway returns.</summary>
public sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public List<string> Paths { get; } = [];

    public List<string?> AuthorizationHeaders { get; } = [];

    public static HttpResponseMessage Answer(HttpStatusCode status, byte[]? body = null, string contentType = "application/x-protobuf")
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body ?? []) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return response;
    }

    /// <summary>404 for everything but a table's schema, which exists: multi-gets whose rows are all missing.</summary>
    public static HttpResponseMessage NotFoundButTables(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/schema", StringComparison.Ordinal)
            ? Answer(HttpStatusCode.OK, Google.Protobuf.MessageExtensions.ToByteArray(new Cep.Connectors.HBase.Protobuf.TableSchema { Name = "t" }))
            : Answer(HttpStatusCode.NotFound);

    /// <summary>Gets the number of multi-get requests.</summary>
    public int MultiGets
    {
        get
        {
            lock (Paths)
            {
                return Paths.Count(p => p.Contains("/multiget", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>A client over a stub, without retry delays or jitter.</summary>
    public static HBaseRestClient Client(StubHandler stub, HBaseRestFormat format = HBaseRestFormat.Protobuf, int retries = 0, params Uri[] endpoints) =>
        new(new HBaseRestClientOptions
        {
            Endpoints = endpoints.Length > 0 ? endpoints : [new Uri("http://gateway.test:8080/")],
            Format = format,
            MaxRetryAttempts = retries,
            RetryDelay = TimeSpan.Zero,
            UseJitter = false,
            HttpMessageHandlerFactory = () => stub,
        });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (Paths)
        {
            Paths.Add(request.RequestUri!.PathAndQuery);
            AuthorizationHeaders.Add(request.Headers.Authorization?.ToString());
        }

        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
