using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Cep.HBaseRestServer.Store;
using Google.Protobuf;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.HBaseRestServer.Formats;

/// <summary>A table schema as requested: family descriptors plus table attributes.</summary>
internal sealed record SchemaModel(string? Name, IReadOnlyList<ColumnFamilyDescriptor> Families, IReadOnlyDictionary<string, string> Attributes);

/// <summary>TableSchema / ColumnSchema in JSON, XML and protobuf; VERSIONS and TTL map to the descriptor, other attributes are kept verbatim.</summary>
internal static class SchemaCodec
{
    private static readonly (string Name, string Value)[] FamilyDefaults =
    [
        ("BLOOMFILTER", "ROW"), ("IN_MEMORY", "false"), ("KEEP_DELETED_CELLS", "FALSE"), ("DATA_BLOCK_ENCODING", "NONE"),
        ("COMPRESSION", "NONE"), ("MIN_VERSIONS", "0"), ("BLOCKCACHE", "true"), ("BLOCKSIZE", "65536"), ("REPLICATION_SCOPE", "0"),
    ];

    public static SchemaModel Parse(Format format, byte[] body) =>
        BodyParser.Parse(format, body, "table schema", ParseJson, ParseProtobuf, ParseXml);

    public static byte[] Write(Format format, StoredTable table) => format switch
    {
        Format.Json => WriteJson(table),
        Format.Protobuf => WriteProtobuf(table).ToByteArray(),
        Format.Xml => WriteXml(table),
        _ => System.Text.Encoding.UTF8.GetBytes(WriteText(table)),
    };

    private static ColumnFamilyDescriptor Family(string? name, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException("a ColumnSchema has no name");
        }
        int versions = 1, ttl = ColumnFamilyDescriptor.Forever;
        var rest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            switch (key)
            {
                case "name":
                    break;
                case "VERSIONS":
                    versions = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "TTL":
                    ttl = value.Equals("FOREVER", StringComparison.OrdinalIgnoreCase) ? ColumnFamilyDescriptor.Forever : int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    rest[key] = value;
                    break;
            }
        }
        return new ColumnFamilyDescriptor(name, versions, ttl) { Attributes = rest }.Validate();
    }

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => throw new FormatException($"attribute value must be a string or a number, not {e.ValueKind}"),
    };

    private static SchemaModel ParseJson(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        string? name = null;
        var families = new List<ColumnFamilyDescriptor>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Name == "name")
            {
                name = property.Value.GetString();
            }
            else if (property.Name == "ColumnSchema")
            {
                foreach (var column in property.Value.EnumerateArray())
                {
                    var attrs = column.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Scalar(p.Value))).ToList();
                    families.Add(Family(attrs.FirstOrDefault(a => a.Key == "name").Value, attrs));
                }
            }
            else
            {
                attributes[property.Name] = Scalar(property.Value);
            }
        }
        return new SchemaModel(name, families, attributes);
    }

    private static SchemaModel ParseProtobuf(byte[] body)
    {
        var schema = Wire.TableSchema.Parser.ParseFrom(body);
        var families = schema.Columns.Select(c =>
        {
            var attrs = c.Attrs.Select(a => KeyValuePair.Create(a.Name, a.Value)).ToList();
            if (c.HasMaxVersions)
            {
                attrs.Add(KeyValuePair.Create("VERSIONS", c.MaxVersions.ToString(CultureInfo.InvariantCulture)));
            }
            if (c.HasTtl)
            {
                attrs.Add(KeyValuePair.Create("TTL", c.Ttl.ToString(CultureInfo.InvariantCulture)));
            }
            if (c.HasCompression)
            {
                attrs.Add(KeyValuePair.Create("COMPRESSION", c.Compression));
            }
            return Family(c.Name, attrs);
        }).ToList();
        var attributes = schema.Attrs.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
        return new SchemaModel(schema.HasName ? schema.Name : null, families, attributes);
    }

    private static SchemaModel ParseXml(byte[] body)
    {
        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root ?? throw new FormatException("empty XML document");
        var families = root.Elements("ColumnSchema")
            .Select(c => Family(c.Attribute("name")?.Value, c.Attributes().Select(a => KeyValuePair.Create(a.Name.LocalName, a.Value))))
            .ToList();
        var attributes = root.Attributes().Where(a => a.Name.LocalName != "name")
            .ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal);
        return new SchemaModel(root.Attribute("name")?.Value, families, attributes);
    }

    private static IEnumerable<(string Name, string Value)> FamilyAttributes(ColumnFamilyDescriptor family)
    {
        var attrs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in FamilyDefaults)
        {
            attrs[name] = value;
        }
        foreach (var (name, value) in family.Attributes)
        {
            attrs[name] = value;
        }
        attrs["VERSIONS"] = family.MaxVersions.ToString(CultureInfo.InvariantCulture);
        attrs["TTL"] = family.TtlSeconds.ToString(CultureInfo.InvariantCulture);
        return attrs.Select(kv => (kv.Key, kv.Value));
    }

    private static IEnumerable<(string Name, string Value)> TableAttributes(StoredTable table)
    {
        var attrs = new SortedDictionary<string, string>(table.Attributes.ToDictionary(), StringComparer.Ordinal);
        attrs.TryAdd("IS_META", "false");
        return attrs.Select(kv => (kv.Key, kv.Value));
    }

    private static byte[] WriteJson(StoredTable table)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("name", table.Name);
            writer.WriteStartArray("ColumnSchema");
            foreach (var family in table.Families)
            {
                writer.WriteStartObject();
                writer.WriteString("name", family.Name);
                foreach (var (name, value) in FamilyAttributes(family))
                {
                    writer.WriteString(name, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            foreach (var (name, value) in TableAttributes(table))
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static Wire.TableSchema WriteProtobuf(StoredTable table)
    {
        var schema = new Wire.TableSchema { Name = table.Name, InMemory = false, ReadOnly = false };
        foreach (var (name, value) in TableAttributes(table))
        {
            schema.Attrs.Add(new Wire.TableSchema.Types.Attribute { Name = name, Value = value });
        }
        foreach (var family in table.Families)
        {
            var column = new Wire.ColumnSchema
            {
                Name = family.Name,
                Ttl = family.TtlSeconds,
                MaxVersions = family.MaxVersions,
                Compression = family.Attributes.TryGetValue("COMPRESSION", out var c) ? c : "NONE",
            };
            foreach (var (name, value) in FamilyAttributes(family))
            {
                column.Attrs.Add(new Wire.ColumnSchema.Types.Attribute { Name = name, Value = value });
            }
            schema.Columns.Add(column);
        }
        return schema;
    }

    private static byte[] WriteXml(StoredTable table) => XmlText.ToBytes(new XElement("TableSchema",
        new XAttribute("name", table.Name),
        TableAttributes(table).Select(a => new XAttribute(a.Name, a.Value)),
        table.Families.Select(f => new XElement("ColumnSchema",
            new XAttribute("name", f.Name),
            FamilyAttributes(f).Select(a => new XAttribute(a.Name, a.Value))))));

    private static string WriteText(StoredTable table) =>
        "{ NAME=> '" + table.Name + "', " + string.Join(", ", TableAttributes(table).Select(a => $"{a.Name} => '{a.Value}'")) +
        ", COLUMNS => [ " + string.Join(", ", table.Families.Select(f =>
            "{ NAME => '" + f.Name + "', " + string.Join(", ", FamilyAttributes(f).Select(a => $"{a.Name} => '{a.Value}'")) + " }")) +
        " ] }\n";
}
