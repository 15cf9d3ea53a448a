using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Xunit;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.Server;

public sealed class SchemaAndMetaTests
{
    [Fact]
    public async Task SchemaLifecycleCreateReadModifyReplaceDelete()
    {
        await using var g = await TestGateway.StartAsync();
        using (var missing = await g.GetAsync("t/schema"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        await g.CreateTableAsync("t", ("cf", 3, 86400));
        using (var schema = await g.GetAsync("t/schema"))
        {
            Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
            using var doc = JsonDocument.Parse(await schema.Content.ReadAsStringAsync());
            Assert.Equal("t", doc.RootElement.GetProperty("name").GetString());
            var cf = Assert.Single(doc.RootElement.GetProperty("ColumnSchema").EnumerateArray());
            Assert.Equal("cf", cf.GetProperty("name").GetString());
            Assert.Equal("3", cf.GetProperty("VERSIONS").GetString());
            Assert.Equal("86400", cf.GetProperty("TTL").GetString());
        }

        // POST adds a family and answers 200; the old family stays.
        var post = new StringContent("{\"name\":\"t\",\"ColumnSchema\":[{\"name\":\"extra\",\"VERSIONS\":2}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Post, "t/schema", post))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(["cf", "extra"], await FamiliesAsync(g, "t"));

        // PUT replaces: families not listed are dropped; 201 with a Location.
        var put = new StringContent("{\"name\":\"t\",\"ColumnSchema\":[{\"name\":\"only\"}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Put, "t/schema", put))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.EndsWith("/t/schema", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(["only"], await FamiliesAsync(g, "t"));

        // POST on a missing table creates it (201).
        var create = new StringContent("{\"name\":\"u\",\"ColumnSchema\":[{\"name\":\"cf\"}]}", Encoding.UTF8, TestGateway.Json);
        using (var response = await g.SendAsync(HttpMethod.Post, "u/schema", create))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        using (var response = await g.SendAsync(HttpMethod.Delete, "t/schema"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var response = await g.SendAsync(HttpMethod.Delete, "t/schema"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using (var exists = await g.GetAsync("t/exists"))
        {
            Assert.Equal(HttpStatusCode.NotFound, exists.StatusCode);
        }
        using (var exists = await g.GetAsync("u/exists"))
        {
            Assert.Equal(HttpStatusCode.OK, exists.StatusCode);
        }
        Assert.Equal(10, g.Gateway.Counters.Requests(HBaseRestServer.Faults.RequestKind.Schema));
    }

    [Fact]
    public async Task SchemaInProtobufBothWays()
    {
        await using var g = await TestGateway.StartAsync();
        var schema = new Wire.TableSchema { Name = "p" };
        schema.Columns.Add(new Wire.ColumnSchema { Name = "cf", MaxVersions = 4, Ttl = 60 });
        var content = new ByteArrayContent(schema.ToByteArray());
        content.Headers.ContentType = new("application/protobuf");
        using (var response = await g.SendAsync(HttpMethod.Put, "p/schema", content))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        using var read = await g.GetAsync("p/schema", TestGateway.Protobuf);
        Assert.Equal(TestGateway.Protobuf, read.Content.Headers.ContentType!.MediaType);
        var back = Wire.TableSchema.Parser.ParseFrom(await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("p", back.Name);
        var cf = Assert.Single(back.Columns);
        Assert.Equal(("cf", 4, 60), (cf.Name, cf.MaxVersions, cf.Ttl));
        Assert.Contains(cf.Attrs, a => a.Name == "VERSIONS" && a.Value == "4");
    }

    [Fact]
    public async Task MalformedSchemaIs400()
    {
        await using var g = await TestGateway.StartAsync();
        using var bad = await g.SendAsync(HttpMethod.Put, "t/schema", new StringContent("{\"ColumnSchema\":[{\"name\":\"cf\",\"VERSIONS\":\"many\"}]}", Encoding.UTF8, TestGateway.Json));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var none = await g.SendAsync(HttpMethod.Put, "t/schema", new StringContent("{\"name\":\"t\"}", Encoding.UTF8, TestGateway.Json));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.False(g.Gateway.Store.TableExists("t"));
    }

    [Fact]
    public async Task TableListVersionsAndClusterStatus()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("b", ("cf", 1, int.MaxValue));
        await g.CreateTableAsync("a", ("cf", 1, int.MaxValue));
        using (var list = await g.GetAsync(""))
        {
            using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            Assert.Equal(["a", "b"], doc.RootElement.GetProperty("table").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }
        using (var list = await g.GetAsync("", TestGateway.Protobuf))
        {
            Assert.Equal(["a", "b"], Wire.TableList.Parser.ParseFrom(await list.Content.ReadAsByteArrayAsync()).Name);
        }
        using (var text = await g.SendAsync(HttpMethod.Get, ""))
        {
            Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
            Assert.Equal("a\nb\n", await text.Content.ReadAsStringAsync());
        }
        using (var version = await g.GetAsync("version"))
        {
            using var doc = JsonDocument.Parse(await version.Content.ReadAsStringAsync());
            Assert.Equal("0.0.3", doc.RootElement.GetProperty("REST").GetString());
        }
        using (var version = await g.GetAsync("version", TestGateway.Protobuf))
        {
            Assert.Equal("0.0.3", Wire.Version.Parser.ParseFrom(await version.Content.ReadAsByteArrayAsync()).RestVersion);
        }
        using (var cluster = await g.GetAsync("version/cluster"))
        {
            using var doc = JsonDocument.Parse(await cluster.Content.ReadAsStringAsync());
            Assert.Equal("2.6.0", doc.RootElement.GetProperty("Version").GetString());
        }
        using (var status = await g.GetAsync("status/cluster", TestGateway.Protobuf))
        {
            var parsed = Wire.StorageClusterStatus.Parser.ParseFrom(await status.Content.ReadAsByteArrayAsync());
            Assert.Equal(2, parsed.Regions);
            Assert.Equal($"{g.Gateway.BaseAddress.Host}:{g.Gateway.BaseAddress.Port}", Assert.Single(parsed.LiveNodes).Name);
        }
        using (var status = await g.GetAsync("status/cluster"))
        {
            using var doc = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
            Assert.Equal(2, doc.RootElement.GetProperty("LiveNodes")[0].GetProperty("Region").GetArrayLength());
        }
        using (var xml = await g.GetAsync("", "text/xml"))
        {
            Assert.Contains("<table name=\"a\"", await xml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var unacceptable = await g.GetAsync("version/cluster", TestGateway.Protobuf);
        Assert.Equal(HttpStatusCode.NotAcceptable, unacceptable.StatusCode);
    }

    private static async Task<string[]> FamiliesAsync(TestGateway g, string table)
    {
        using var schema = await g.GetAsync($"{table}/schema");
        using var doc = JsonDocument.Parse(await schema.Content.ReadAsStringAsync());
        return [.. doc.RootElement.GetProperty("ColumnSchema").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
    }
}
