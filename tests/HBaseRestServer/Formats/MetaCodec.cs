using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Google.Protobuf;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.HBaseRestServer.Formats;

/// <summary>One live node of the cluster status report.</summary>
internal sealed record NodeStatus(string Name, long StartCode, long Requests, int HeapSizeMb, int MaxHeapSizeMb, IReadOnlyList<RegionStatus> Regions);

/// <summary>One region of the cluster status report (one per table here).</summary>
internal sealed record RegionStatus(string Name, int Stores, long ReadRequests, long WriteRequests);

/// <summary>Table list, software versions and cluster status in each format.</summary>
internal static class MetaCodec
{
    public static byte[] TableList(Format format, IReadOnlyList<string> names) => format switch
    {
        Format.Json => Json(w =>
        {
            w.WriteStartArray("table");
            foreach (var name in names)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }),
        Format.Protobuf => new Wire.TableList { Name = { names } }.ToByteArray(),
        Format.Xml => XmlText.ToBytes(new XElement("TableList", names.Select(n => new XElement("table", new XAttribute("name", n))))),
        _ => Encoding.UTF8.GetBytes(string.Concat(names.Select(n => n + "\n"))),
    };

    public static byte[] Version(Format format, string rest, string jvm, string os, string server, string jersey) => format switch
    {
        Format.Json => Json(w =>
        {
            w.WriteString("REST", rest);
            w.WriteString("JVM", jvm);
            w.WriteString("OS", os);
            w.WriteString("Server", server);
            w.WriteString("Jersey", jersey);
        }),
        Format.Protobuf => new Wire.Version { RestVersion = rest, JvmVersion = jvm, OsVersion = os, ServerVersion = server, JerseyVersion = jersey }.ToByteArray(),
        Format.Xml => XmlText.ToBytes(new XElement("Version", new XAttribute("REST", rest), new XAttribute("JVM", jvm),
            new XAttribute("OS", os), new XAttribute("Server", server), new XAttribute("Jersey", jersey))),
        _ => Encoding.UTF8.GetBytes($"rest {rest} [JVM: {jvm}] [OS: {os}] [Server: {server}] [Jersey: {jersey}]\n"),
    };

    public static byte[] ClusterVersion(Format format, string version) => format switch
    {
        Format.Json => Json(w => w.WriteString("Version", version)),
        Format.Xml => XmlText.ToBytes(new XElement("ClusterVersion", new XAttribute("Version", version))),
        _ => Encoding.UTF8.GetBytes(version + "\n"),
    };

    public static byte[] ClusterStatus(Format format, IReadOnlyList<NodeStatus> nodes, int regions, long requests, double averageLoad) => format switch
    {
        Format.Json => Json(w =>
        {
            w.WriteNumber("regions", regions);
            w.WriteNumber("requests", requests);
            w.WriteNumber("averageLoad", averageLoad);
            w.WriteStartArray("LiveNodes");
            foreach (var node in nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", node.Name);
                w.WriteNumber("startCode", node.StartCode);
                w.WriteNumber("requests", node.Requests);
                w.WriteNumber("heapSizeMB", node.HeapSizeMb);
                w.WriteNumber("maxHeapSizeMB", node.MaxHeapSizeMb);
                w.WriteStartArray("Region");
                foreach (var region in node.Regions)
                {
                    w.WriteStartObject();
                    w.WriteBase64String("name", Encoding.UTF8.GetBytes(region.Name));
                    w.WriteNumber("stores", region.Stores);
                    w.WriteNumber("readRequestsCount", region.ReadRequests);
                    w.WriteNumber("writeRequestsCount", region.WriteRequests);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("DeadNodes");
            w.WriteEndArray();
        }),
        Format.Protobuf => StatusProtobuf(nodes, regions, requests, averageLoad).ToByteArray(),
        Format.Xml => StatusXml(nodes, regions, requests, averageLoad),
        _ => Encoding.UTF8.GetBytes($"{nodes.Count} live servers, 0 dead servers, {averageLoad:0.0000} average load\n\n" +
            string.Concat(nodes.Select(n => $"    {n.Name} {n.StartCode}\n        requests={n.Requests}, regions={n.Regions.Count}\n"))),
    };

    private static Wire.StorageClusterStatus StatusProtobuf(IReadOnlyList<NodeStatus> nodes, int regions, long requests, double averageLoad)
    {
        var status = new Wire.StorageClusterStatus { Regions = regions, Requests = requests, AverageLoad = averageLoad };
        foreach (var node in nodes)
        {
            var pbNode = new Wire.StorageClusterStatus.Types.Node
            {
                Name = node.Name,
                StartCode = node.StartCode,
                Requests = node.Requests,
                HeapSizeMB = node.HeapSizeMb,
                MaxHeapSizeMB = node.MaxHeapSizeMb,
            };
            foreach (var region in node.Regions)
            {
                pbNode.Regions.Add(new Wire.StorageClusterStatus.Types.Region
                {
                    Name = ByteString.CopyFromUtf8(region.Name),
                    Stores = region.Stores,
                    ReadRequestsCount = region.ReadRequests,
                    WriteRequestsCount = region.WriteRequests,
                });
            }
            status.LiveNodes.Add(pbNode);
        }
        return status;
    }

    private static byte[] StatusXml(IReadOnlyList<NodeStatus> nodes, int regions, long requests, double averageLoad)
    {
        var live = new XElement("LiveNodes");
        foreach (var n in nodes)
        {
            var node = new XElement("Node",
                new XAttribute("name", n.Name), new XAttribute("startCode", n.StartCode), new XAttribute("requests", n.Requests),
                new XAttribute("heapSizeMB", n.HeapSizeMb), new XAttribute("maxHeapSizeMB", n.MaxHeapSizeMb));
            foreach (var r in n.Regions)
            {
                node.Add(new XElement("Region",
                    new XAttribute("name", Convert.ToBase64String(Encoding.UTF8.GetBytes(r.Name))), new XAttribute("stores", r.Stores),
                    new XAttribute("readRequestsCount", r.ReadRequests), new XAttribute("writeRequestsCount", r.WriteRequests)));
            }
            live.Add(node);
        }
        return XmlText.ToBytes(new XElement("ClusterStatus",
            new XAttribute("regions", regions), new XAttribute("requests", requests), new XAttribute("averageLoad", averageLoad),
            live, new XElement("DeadNodes")));
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }
}
