using System.Buffers;
using System.Globalization;
using System.Text.Json;
using NodaTime;

namespace Cep.Connectors.HBase.Internal;

/// <summary>The <c>application/json</c> media type: keys, columns and values in base64, the value of a cell under <c>"$"</c>.</summary>
internal sealed class JsonCodec : IHBaseCodec
{
    public static readonly JsonCodec Instance = new();

    public string MediaType => "application/json";

    public byte[] WriteCellSet(IReadOnlyList<WireRow> rows) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("Row");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteBase64String("key", row.Key);
            w.WriteStartArray("Cell");
            foreach (var cell in row.Cells)
            {
                w.WriteStartObject();
                w.WriteBase64String("column", cell.Column);
                if (cell.Timestamp is { } ts)
                {
                    w.WriteNumber("timestamp", ts);
                }

                w.WriteBase64String("$", cell.Value.Span);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public List<HBaseRow> ReadCellSet(byte[] body)
    {
        using var doc = Parse(body);
        var rows = new List<HBaseRow>();
        foreach (var row in Array(doc.RootElement, "Row"))
        {
            var key = Base64(row, "key") ?? throw new MalformedBodyException("a row has no key");
            var cells = new List<HBaseCell>();
            foreach (var cell in Array(row, "Cell"))
            {
                var column = Base64(cell, "column") ?? throw new MalformedBodyException("a cell has no column");
                var value = Base64(cell, "$") ?? [];
                long? ts = cell.TryGetProperty("timestamp", out var t) ? Long(t, "timestamp") : null;
                cells.Add(new HBaseCell(HBaseNames.Decode(column), value, ts is { } ms ? Instant.FromUnixTimeMilliseconds(ms) : null));
            }

            rows.Add(new HBaseRow(HBaseNames.Decode(key), cells));
        }

        return rows;
    }

    public byte[] WriteScanner(WireScanner scanner) => Write(w =>
    {
        w.WriteStartObject();
        if (scanner.StartRow is { } start)
        {
            w.WriteBase64String("startRow", start);
        }

        if (scanner.EndRow is { } end)
        {
            w.WriteBase64String("endRow", end);
        }

        if (scanner.Columns.Count > 0)
        {
            w.WriteStartArray("column");
            foreach (var column in scanner.Columns)
            {
                w.WriteBase64StringValue(column);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("batch", scanner.Batch);
        if (scanner.StartTime is { } st)
        {
            w.WriteNumber("startTime", st);
        }

        if (scanner.EndTime is { } et)
        {
            w.WriteNumber("endTime", et);
        }

        if (scanner.MaxVersions is { } mv)
        {
            w.WriteNumber("maxVersions", mv);
        }

        if (scanner.Filter is { } filter)
        {
            w.WriteString("filter", filter);
        }

        w.WriteEndObject();
    });

    public byte[] WriteSchema(HBaseTableSchema schema) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", schema.Name);
        foreach (var (name, value) in schema.Attributes)
        {
            if (name is not ("name" or "ColumnSchema"))
            {
                w.WriteString(name, value);
            }
        }

        w.WriteStartArray("ColumnSchema");
        foreach (var family in schema.ColumnFamilies)
        {
            w.WriteStartObject();
            w.WriteString("name", family.Name);
            foreach (var (name, value) in SchemaAttributes.All(family))
            {
                if (name != "name")
                {
                    w.WriteString(name, value);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public HBaseTableSchema ReadSchema(byte[] body)
    {
        using var doc = Parse(body);
        var root = Object(doc.RootElement);
        string? tableName = null;
        var tableAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var families = new List<HBaseColumnFamilySchema>();
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" or "@name":
                    tableName = Text(property.Value, "name");
                    break;
                case "ColumnSchema":
                    foreach (var column in Array(root, "ColumnSchema"))
                    {
                        string? familyName = null;
                        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var attribute in Object(column).EnumerateObject())
                        {
                            if (attribute.Name is "name" or "@name")
                            {
                                familyName = Text(attribute.Value, "name");
                            }
                            else
                            {
                                attributes[attribute.Name] = Text(attribute.Value, attribute.Name);
                            }
                        }

                        families.Add(SchemaAttributes.Family(familyName ?? throw new MalformedBodyException("a column family has no name"), attributes));
                    }

                    break;
                default:
                    tableAttributes[property.Name] = Text(property.Value, property.Name);
                    break;
            }
        }

        return new HBaseTableSchema(tableName ?? throw new MalformedBodyException("the schema has no table name"), families) { Attributes = tableAttributes };
    }

    public List<string> ReadTableList(byte[] body)
    {
        using var doc = Parse(body);
        return Array(doc.RootElement, "table").Select(t => Text(Property(t, "name"), "name")).ToList();
    }

    public HBaseVersionInfo ReadVersion(byte[] body)
    {
        using var doc = Parse(body);
        var root = Object(doc.RootElement);
        return new HBaseVersionInfo(Optional(root, "REST"), Optional(root, "JVM"), Optional(root, "OS"), Optional(root, "Server"), Optional(root, "Jersey"));
    }

    public HBaseClusterStatus ReadStatus(byte[] body)
    {
        using var doc = Parse(body);
        var root = Object(doc.RootElement);
        var nodes = Array(root, "LiveNodes").Select(n => new HBaseRegionServer(
            Text(Property(n, "name"), "name"),
            OptionalLong(n, "startCode"),
            OptionalLong(n, "requests"),
            (int)OptionalLong(n, "heapSizeMB"),
            (int)OptionalLong(n, "maxHeapSizeMB"),
            Array(n, "Region").Select(r => HBaseNames.Decode(Base64(r, "name") ?? throw new MalformedBodyException("a region has no name"))).ToList())).ToList();
        var dead = Array(root, "DeadNodes").Select(d => Text(d, "DeadNodes")).ToList();
        var average = root.TryGetProperty("averageLoad", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0d;
        return new HBaseClusterStatus((int)OptionalLong(root, "regions"), OptionalLong(root, "requests"), average, nodes, dead);
    }

    /// <summary>Reads the cluster version: a JSON string, or an object with a <c>Version</c> property.</summary>
    public static string ReadClusterVersion(byte[] body)
    {
        using var doc = Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.String
            ? doc.RootElement.GetString()!
            : Text(Property(Object(doc.RootElement), "Version"), "Version");
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);

    private static JsonElement Object(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new MalformedBodyException($"expected a JSON object, found {element.ValueKind}");

    private static JsonElement Property(JsonElement element, string name) =>
        Object(element).TryGetProperty(name, out var value) ? value : throw new MalformedBodyException($"the property '{name}' is missing");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name)
    {
        if (!Object(element).TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new MalformedBodyException($"the property '{name}' should be an array, found {value.ValueKind}");
    }

    private static byte[]? Base64(JsonElement element, string name)
    {
        if (!Object(element).TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new MalformedBodyException($"the property '{name}' is not base64");
    }

    private static string Text(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new MalformedBodyException($"the property '{name}' should be a string, found {value.ValueKind}"),
    };

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Text(value, name) : null;

    private static long OptionalLong(JsonElement element, string name) =>
        Object(element).TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Long(value, name) : 0;

    private static long Long(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new MalformedBodyException($"the property '{name}' should be an integer"),
    };
}
