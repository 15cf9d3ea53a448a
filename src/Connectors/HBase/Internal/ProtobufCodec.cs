using System.Globalization;
using Cep.Connectors.HBase.Protobuf;
using Google.Protobuf;
using NodaTime;

namespace Cep.Connectors.HBase.Internal;

/// <summary>The <c>application/x-protobuf</c> media type, through the generated message classes.</summary>
internal sealed class ProtobufCodec : IHBaseCodec
{
    public static readonly ProtobufCodec Instance = new();

    public string MediaType => "application/x-protobuf";

    public byte[] WriteCellSet(IReadOnlyList<WireRow> rows)
    {
        var set = new CellSet();
        foreach (var row in rows)
        {
            var message = new CellSet.Types.Row { Key = ByteString.CopyFrom(row.Key) };
            foreach (var cell in row.Cells)
            {
                var c = new Cell { Column = ByteString.CopyFrom(cell.Column), Data = ByteString.CopyFrom(cell.Value.Span) };
                if (cell.Timestamp is { } ts)
                {
                    c.Timestamp = ts;
                }

                message.Values.Add(c);
            }

            set.Rows.Add(message);
        }

        return set.ToByteArray();
    }

    public List<HBaseRow> ReadCellSet(byte[] body)
    {
        var sink = new RowListSink();
        ProtobufCellSetReader.Read(body, ref sink);
        return sink.Rows;
    }

    public byte[] WriteScanner(WireScanner scanner)
    {
        var message = new Scanner { Batch = scanner.Batch };
        if (scanner.StartRow is { } start)
        {
            message.StartRow = ByteString.CopyFrom(start);
        }

        if (scanner.EndRow is { } end)
        {
            message.EndRow = ByteString.CopyFrom(end);
        }

        message.Columns.AddRange(scanner.Columns.Select(ByteString.CopyFrom));
        if (scanner.StartTime is { } st)
        {
            message.StartTime = st;
        }

        if (scanner.EndTime is { } et)
        {
            message.EndTime = et;
        }

        if (scanner.MaxVersions is { } mv)
        {
            message.MaxVersions = mv;
        }

        if (scanner.Filter is { } filter)
        {
            message.Filter = filter;
        }

        return message.ToByteArray();
    }

    public byte[] WriteSchema(HBaseTableSchema schema)
    {
        var message = new TableSchema { Name = schema.Name };
        foreach (var (name, value) in schema.Attributes)
        {
            message.Attrs.Add(new TableSchema.Types.Attribute { Name = name, Value = value });
        }

        foreach (var family in schema.ColumnFamilies)
        {
            var column = new ColumnSchema { Name = family.Name };
            foreach (var (name, value) in family.Attributes)
            {
                column.Attrs.Add(new ColumnSchema.Types.Attribute { Name = name, Value = value });
            }

            if (family.Ttl is { } ttl)
            {
                column.Ttl = checked((int)ttl.TotalSeconds);
            }

            if (family.MaxVersions is { } versions)
            {
                column.MaxVersions = versions;
            }

            message.Columns.Add(column);
        }

        return message.ToByteArray();
    }

    public HBaseTableSchema ReadSchema(byte[] body)
    {
        var message = TableSchema.Parser.ParseFrom(body);
        var families = new List<HBaseColumnFamilySchema>(message.Columns.Count);
        foreach (var column in message.Columns)
        {
            var attributes = column.Attrs.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
            if (column.HasTtl)
            {
                attributes[HBaseColumnFamilySchema.TtlAttribute] = column.Ttl.ToString(CultureInfo.InvariantCulture);
            }

            if (column.HasMaxVersions)
            {
                attributes[HBaseColumnFamilySchema.VersionsAttribute] = column.MaxVersions.ToString(CultureInfo.InvariantCulture);
            }

            if (column.HasCompression && !attributes.ContainsKey("COMPRESSION"))
            {
                attributes["COMPRESSION"] = column.Compression;
            }

            families.Add(SchemaAttributes.Family(column.Name, attributes));
        }

        var tableAttributes = message.Attrs.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
        return new HBaseTableSchema(message.Name, families) { Attributes = tableAttributes };
    }

    public List<string> ReadTableList(byte[] body) => [.. TableList.Parser.ParseFrom(body).Name];

    public HBaseVersionInfo ReadVersion(byte[] body)
    {
        var v = Protobuf.Version.Parser.ParseFrom(body);
        return new HBaseVersionInfo(
            v.HasRestVersion ? v.RestVersion : null,
            v.HasJvmVersion ? v.JvmVersion : null,
            v.HasOsVersion ? v.OsVersion : null,
            v.HasServerVersion ? v.ServerVersion : null,
            v.HasJerseyVersion ? v.JerseyVersion : null);
    }

    public HBaseClusterStatus ReadStatus(byte[] body)
    {
        var s = StorageClusterStatus.Parser.ParseFrom(body);
        var nodes = s.LiveNodes.Select(n => new HBaseRegionServer(
            n.Name, n.StartCode, n.Requests, n.HeapSizeMB, n.MaxHeapSizeMB,
            n.Regions.Select(r => HBaseNames.Decode(r.Name.Span)).ToList())).ToList();
        return new HBaseClusterStatus(s.Regions, s.Requests, s.AverageLoad, nodes, [.. s.DeadNodes]);
    }
}
