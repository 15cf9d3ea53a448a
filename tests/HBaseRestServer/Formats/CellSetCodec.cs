using System.Text.Json;
using System.Xml.Linq;
using Cep.HBaseRestServer.Store;
using Google.Protobuf;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.HBaseRestServer.Formats;

/// <summary>A cell of a request body; a null timestamp means "let the server assign one".</summary>
internal sealed record CellModel(byte[]? Column, long? Timestamp, byte[] Value);

/// <summary>A row of a request body; a null key means "take it from the path".</summary>
internal sealed record RowModel(byte[]? Key, IReadOnlyList<CellModel> Cells);

/// <summary>Cell sets in JSON (base64, value under <c>$</c>), XML (base64) and protobuf (raw bytes).</summary>
internal static class CellSetCodec
{
    /// <summary>Parses a CellSet body; throws <see cref="BadRequestException"/> when it is malformed.</summary>
    public static IReadOnlyList<RowModel> Parse(Format format, byte[] body) =>
        BodyParser.Parse(format, body, "cell set", ParseJson, ParseProtobuf, ParseXml);

    public static byte[] Write(Format format, IReadOnlyList<IReadOnlyList<ResultCell>> rows) => format switch
    {
        Format.Json => WriteJson(rows),
        Format.Protobuf => ProtobufCellSetWriter.Write(rows),
        Format.Xml => WriteXml(rows),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Cell sets are JSON, XML or protobuf."),
    };

    private static List<RowModel> ParseJson(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var rows = new List<RowModel>();
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("a CellSet must be a JSON object");
        }
        if (!doc.RootElement.TryGetProperty("Row", out var rowArray) || rowArray.ValueKind == JsonValueKind.Null)
        {
            return rows;
        }
        foreach (var row in rowArray.EnumerateArray())
        {
            byte[]? key = row.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetBytesFromBase64() : null;
            var cells = new List<CellModel>();
            if (row.TryGetProperty("Cell", out var cellArray) && cellArray.ValueKind != JsonValueKind.Null)
            {
                foreach (var cell in cellArray.EnumerateArray())
                {
                    byte[]? column = cell.TryGetProperty("column", out var c) && c.ValueKind == JsonValueKind.String ? c.GetBytesFromBase64() : null;
                    long? ts = cell.TryGetProperty("timestamp", out var t) && t.ValueKind != JsonValueKind.Null
                        ? (t.ValueKind == JsonValueKind.String ? long.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : t.GetInt64())
                        : null;
                    var value = cell.TryGetProperty("$", out var v) && v.ValueKind == JsonValueKind.String ? v.GetBytesFromBase64() : [];
                    cells.Add(new CellModel(column, ts == long.MaxValue ? null : ts, value));
                }
            }
            rows.Add(new RowModel(key, cells));
        }
        return rows;
    }

    private static List<RowModel> ParseProtobuf(byte[] body)
    {
        var set = Wire.CellSet.Parser.ParseFrom(body);
        return [.. set.Rows.Select(r => new RowModel(
            r.HasKey ? r.Key.ToByteArray() : null,
            [.. r.Values.Select(c => new CellModel(
                c.HasColumn ? c.Column.ToByteArray() : null,
                c.HasTimestamp && c.Timestamp != long.MaxValue ? c.Timestamp : null,
                c.HasData ? c.Data.ToByteArray() : []))]))];
    }

    private static List<RowModel> ParseXml(byte[] body)
    {
        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root
                   ?? throw new FormatException("empty XML document");
        return [.. root.Elements("Row").Select(r => new RowModel(
            r.Attribute("key") is { } k ? Convert.FromBase64String(k.Value) : null,
            [.. r.Elements("Cell").Select(c => new CellModel(
                c.Attribute("column") is { } col ? Convert.FromBase64String(col.Value) : null,
                c.Attribute("timestamp") is { } ts && long.Parse(ts.Value, System.Globalization.CultureInfo.InvariantCulture) != long.MaxValue
                    ? long.Parse(ts.Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                Convert.FromBase64String(c.Value)))]))];
    }

    private static byte[] WriteJson(IReadOnlyList<IReadOnlyList<ResultCell>> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Row");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteBase64String("key", row[0].Row);
                writer.WriteStartArray("Cell");
                foreach (var cell in row)
                {
                    writer.WriteStartObject();
                    writer.WriteBase64String("column", cell.Column.ToColumnBytes());
                    writer.WriteNumber("timestamp", cell.Timestamp);
                    writer.WriteBase64String("$", cell.Value);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static byte[] WriteXml(IReadOnlyList<IReadOnlyList<ResultCell>> rows)
    {
        var root = new XElement("CellSet", rows.Select(row => new XElement("Row",
            new XAttribute("key", Convert.ToBase64String(row[0].Row)),
            row.Select(cell => new XElement("Cell",
                new XAttribute("column", Convert.ToBase64String(cell.Column.ToColumnBytes())),
                new XAttribute("timestamp", cell.Timestamp),
                Convert.ToBase64String(cell.Value))))));
        return XmlText.ToBytes(root);
    }
}

/// <summary>A request the gateway rejects with 400 and this text.</summary>
internal sealed class BadRequestException(string message) : Exception(message);

/// <summary>Serializes XML documents as UTF-8 with a declaration, as the gateway does.</summary>
internal static class XmlText
{
    public static byte[] ToBytes(XElement root)
    {
        using var stream = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(stream, new System.Xml.XmlWriterSettings
               {
                   Encoding = new System.Text.UTF8Encoding(false),
                   OmitXmlDeclaration = false,
               }))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), root).Save(writer);
        }
        return stream.ToArray();
    }
}
