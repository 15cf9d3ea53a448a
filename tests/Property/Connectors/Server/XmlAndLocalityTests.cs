using System.Net;
using System.Text;
using System.Xml.Linq;
using Cep.HBaseRestServer;
using Cep.HBaseRestServer.Store;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class XmlAndLocalityTests
{
    [Fact]
    public async Task XmlCellSetsBothWaysAndXmlIsTheDefaultForRows()
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var xml = $"<CellSet><Row key=\"{B64("r")}\"><Cell column=\"{B64("cf:a")}\" timestamp=\"9\">{B64("v")}</Cell></Row></CellSet>";
        using (var put = await g.SendAsync(HttpMethod.Put, "t/r", new StringContent(xml, Encoding.UTF8, "text/xml")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using var get = await g.SendAsync(HttpMethod.Get, "t/r"); // no Accept header
        Assert.Equal("text/xml", get.Content.Headers.ContentType!.MediaType);
        var cell = XDocument.Parse(await get.Content.ReadAsStringAsync()).Root!.Element("Row")!.Element("Cell")!;
        Assert.Equal((B64("cf:a"), "9", B64("v")), (cell.Attribute("column")!.Value, cell.Attribute("timestamp")!.Value, cell.Value));
    }

    [Fact]
    public async Task ScannersAreLocalToTheGatewayThatOpenedThem()
    {
        var store = new HBaseStore();
        store.CreateTable("t", new ColumnFamilyDescriptor("cf"));
        store.Put("t", Encoding.UTF8.GetBytes("r"), "cf:a", 1, Encoding.UTF8.GetBytes("v"));
        await using var a = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, Store = store });
        await using var b = await TestGateway.StartAsync(clock => new HBaseRestGatewayOptions { Clock = clock, Store = store });
        using var created = await a.SendAsync(HttpMethod.Put, "t/scanner", new StringContent("{\"batch\":10}", Encoding.UTF8, TestGateway.Json));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = created.Headers.Location!.Segments[^1];
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"t/scanner/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"t/scanner/{id}")).StatusCode);
        Assert.Equal(1, a.Gateway.OpenScanners);
        Assert.Equal(0, b.Gateway.OpenScanners);
    }

    [Fact]
    public void StoreArgumentChecking()
    {
        var store = new HBaseStore();
        Assert.Throws<ArgumentException>(() => store.CreateTable("t"));
        Assert.Throws<ArgumentException>(() => store.CreateTable("t", new ColumnFamilyDescriptor("a:b")));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateTable("t", new ColumnFamilyDescriptor("cf", MaxVersions: 0)));
        Assert.Throws<ArgumentException>(() => store.CreateTable("t", new ColumnFamilyDescriptor("cf"), new ColumnFamilyDescriptor("cf")));
        store.CreateTable("t", new ColumnFamilyDescriptor("cf"));
        Assert.Throws<InvalidOperationException>(() => store.CreateTable("t", new ColumnFamilyDescriptor("cf")));
        Assert.Throws<ArgumentException>(() => store.Put("t", [1], "nocolon", 1, [1]));
        Assert.Throws<KeyNotFoundException>(() => store.Put("missing", [1], "cf:a", 1, [1]));
        Assert.Throws<KeyNotFoundException>(() => store.Put("t", [1], "zz:a", 1, [1]));
        Assert.Equal(["t"], store.TableNames);
        Assert.True(store.DeleteTable("t"));
        Assert.False(store.DeleteTable("t"));
    }
}
