using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Cep.HBaseRestServer.Formats;
using Google.Protobuf;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.HBaseRestServer.Scanners;

/// <summary>
/// A scanner request. Defaults follow the gateway's model: whole table, every column, batch and maxVersions
/// unlimited, all timestamps.
/// </summary>
internal sealed record ScannerSpec
{
    public byte[] StartRow { get; init; } = [];

    public byte[] EndRow { get; init; } = [];

    public IReadOnlyList<byte[]> Columns { get; init; } = [];

    public int Batch { get; init; } = int.MaxValue;

    public long StartTime { get; init; }

    public long EndTime { get; init; } = long.MaxValue;

    public int MaxVersions { get; init; } = int.MaxValue;

    public string? Filter { get; init; }

    public int Limit { get; init; } = int.MaxValue;

    public static ScannerSpec Parse(Format format, byte[] body)
    {
        ScannerSpec spec;
        try
        {
            spec = format switch
            {
                Format.Json => ParseJson(body),
                Format.Protobuf => ParseProtobuf(body),
                Format.Xml => ParseXml(body),
                _ => throw new BadRequestException("Bad request: unsupported scanner format"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidProtocolBufferException or FormatException
                                      or System.Xml.XmlException or InvalidOperationException or OverflowException)
        {
            throw new BadRequestException("Bad request: malformed scanner specification: " + e.Message);
        }
        if (spec.Batch < 1 || spec.MaxVersions < 1 || spec.Limit < 1 || spec.StartTime < 0 || spec.EndTime < spec.StartTime)
        {
            throw new BadRequestException("Bad request: scanner batch, maxVersions and limit must be positive and startTime <= endTime");
        }
        return spec;
    }

    private static ScannerSpec ParseJson(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var e = doc.RootElement;
        var spec = new ScannerSpec();
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a Scanner must be a JSON object");
        }
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            spec = p.Name switch
            {
                "startRow" => spec with { StartRow = p.Value.GetBytesFromBase64() },
                "endRow" => spec with { EndRow = p.Value.GetBytesFromBase64() },
                "column" => spec with { Columns = [.. p.Value.EnumerateArray().Select(c => c.GetBytesFromBase64())] },
                "batch" => spec with { Batch = Int(p.Value) },
                "startTime" => spec with { StartTime = Long(p.Value) },
                "endTime" => spec with { EndTime = Long(p.Value) },
                "maxVersions" => spec with { MaxVersions = Int(p.Value) },
                "limit" => spec with { Limit = Int(p.Value) },
                "filter" => spec with { Filter = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText() },
                _ => spec, // caching, cacheBlocks, labels: accepted, no effect here
            };
        }
        return spec;
    }

    private static int Int(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? int.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetInt32();

    private static long Long(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? long.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetInt64();

    private static ScannerSpec ParseProtobuf(byte[] body)
    {
        var s = Wire.Scanner.Parser.ParseFrom(body);
        return new ScannerSpec
        {
            StartRow = s.HasStartRow ? s.StartRow.ToByteArray() : [],
            EndRow = s.HasEndRow ? s.EndRow.ToByteArray() : [],
            Columns = [.. s.Columns.Select(c => c.ToByteArray())],
            Batch = s.HasBatch ? s.Batch : int.MaxValue,
            StartTime = s.HasStartTime ? s.StartTime : 0,
            EndTime = s.HasEndTime ? s.EndTime : long.MaxValue,
            MaxVersions = s.HasMaxVersions ? s.MaxVersions : int.MaxValue,
            Filter = s.HasFilter ? s.Filter : null,
            Limit = s.HasLimit && s.Limit > 0 ? s.Limit : int.MaxValue,
        };
    }

    private static ScannerSpec ParseXml(byte[] body)
    {
        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root ?? throw new FormatException("empty XML document");
        string? Attr(string name) => root.Attribute(name)?.Value;
        return new ScannerSpec
        {
            StartRow = Attr("startRow") is { } sr ? Convert.FromBase64String(sr) : [],
            EndRow = Attr("endRow") is { } er ? Convert.FromBase64String(er) : [],
            Columns = [.. root.Elements("column").Select(c => Convert.FromBase64String(c.Value))],
            Batch = Attr("batch") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : int.MaxValue,
            StartTime = Attr("startTime") is { } st ? long.Parse(st, CultureInfo.InvariantCulture) : 0,
            EndTime = Attr("endTime") is { } et ? long.Parse(et, CultureInfo.InvariantCulture) : long.MaxValue,
            MaxVersions = Attr("maxVersions") is { } mv ? int.Parse(mv, CultureInfo.InvariantCulture) : int.MaxValue,
            Filter = root.Element("filter")?.Value,
            Limit = Attr("limit") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : int.MaxValue,
        };
    }
}
