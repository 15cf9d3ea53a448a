using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cep.HBaseRestServer;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class SecurityTests
{
    [Fact]
    public async Task HttpsServesWithAPinnedSelfSignedCertificate()
    {
        await using var g = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, UseHttps = true });
        Assert.Equal("https", g.Gateway.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", g.Gateway.BaseAddress.Host);
        Assert.NotNull(g.Gateway.Certificate);
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        using var version = await g.GetAsync("version");
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);

        // a client that does not trust the certificate cannot connect
        using var untrusting = new HttpClient { BaseAddress = g.Gateway.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("version"));
    }

    [Fact]
    public async Task RequiredAuthHeaderMissingOrWrongIs401()
    {
        await using var g = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions
        {
            Clock = clock,
            RequiredAuthValue = "Basic dXNlcjpwYXNz",
        });
        using (var missing = await g.GetAsync("version"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("Basic", missing.Headers.WwwAuthenticate.Single().Scheme);
        }
        g.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "d3Jvbmc6d3Jvbmc=");
        using (var wrong = await g.GetAsync("version"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        g.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        using (var right = await g.GetAsync("version"))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }
        Assert.Equal(2, g.Gateway.Counters.Unauthorized);
    }

    [Fact]
    public async Task ReadOnlyGatewayRefusesEveryMutationWith403()
    {
        var store = new HBaseRestServer.Store.HBaseStore();
        store.CreateTable("t", new HBaseRestServer.Store.ColumnFamilyDescriptor("cf"));
        store.Put("t", Encoding.UTF8.GetBytes("r"), "cf:a", 5, Encoding.UTF8.GetBytes("v"));
        await using var g = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, Store = store, ReadOnly = true });
        var json = () => new StringContent("{\"name\":\"t\",\"ColumnSchema\":[{\"name\":\"cf\"}]}", Encoding.UTF8, TestGateway.Json);
        var attempts = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Put, "t/r", CellSets.Json([new Cell("r", "cf:a", "x")])),
            (HttpMethod.Post, "t/r", CellSets.Json([new Cell("r", "cf:a", "x")])),
            (HttpMethod.Put, "t/r?check=put", CellSets.Json([new Cell("r", "cf:a", "x"), new Cell("r", "cf:a", "v")])),
            (HttpMethod.Delete, "t/r", null),
            (HttpMethod.Put, "t/schema", json()),
            (HttpMethod.Post, "t/schema", json()),
            (HttpMethod.Delete, "t/schema", null),
            (HttpMethod.Put, "t/scanner", new StringContent("{}", Encoding.UTF8, TestGateway.Json)),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var response = await g.SendAsync(method, path, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var read = await g.GetAsync("t/r");
        Assert.Equal([new Cell("r", "cf:a", "v", 5)], await CellSets.ReadAsync(read));
    }
}
