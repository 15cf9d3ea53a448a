using System.Globalization;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Routing;

internal sealed partial class Endpoints
{
    private const string NoRowsFound = "No rows found.";

    private const string BinaryNeedsOneColumn =
        "Bad request: Default 'GET' method only works if there is exactly 1 column in the row. Using the 'Accept' header " +
        "with one of these formats lets you retrieve the entire row if it has multiple columns: XML, JSON, PROTOBUF";

    /// <summary><c>GET /{table}/{row}[/{columns}][/{ts}|/{start},{end}][?v=N]</c>, globs and row ranges included.</summary>
    private RestResult GetRows(RestRequest request)
    {
        var table = Table(request, out var notFound);
        if (table is null)
        {
            return notFound!;
        }
        var mediaType = MediaTypes.Negotiate(request.Header("Accept"), MediaTypes.XmlJsonProtobufBinary);
        if (mediaType is null)
        {
            return RestResult.NotAcceptable();
        }
        var spec = RowSpec.Parse([.. request.Segments.Skip(1)], request.QueryValue("v"));
        if (mediaType == MediaTypes.Binary && spec.Columns.Count != 1)
        {
            return RestResult.BadRequest(BinaryNeedsOneColumn);
        }
        store.CountRead();
        var read = spec.ToReadSpec();
        var now = Now;
        List<IReadOnlyList<ResultCell>> rows = spec.IsSingleRow
            ? Rows(table.Get(spec.Row, read, now))
            : [.. table.Scan(spec.Row, spec.EndRow, read, now)];
        if (rows.Count == 0)
        {
            return RestResult.NotFound();
        }
        if (mediaType == MediaTypes.Binary)
        {
            var first = rows[0][0];
            return new RestResult(200, MediaTypes.Binary, first.Value)
                .With("X-Timestamp", first.Timestamp.ToString(CultureInfo.InvariantCulture));
        }
        return CellSet(mediaType, rows);
    }

    /// <summary><c>GET /{table}/multiget[/{columns}]?row=..&amp;row=..[&amp;v=N]</c>: only found rows; 404 when none,
    /// and also when the table does not exist.</summary>
    private RestResult MultiGet(RestRequest request)
    {
        if (!request.IsRead)
        {
            return MethodNotAllowed();
        }
        var mediaType = MediaTypes.Negotiate(request.Header("Accept"), MediaTypes.XmlJsonProtobuf);
        if (mediaType is null)
        {
            return RestResult.NotAcceptable();
        }
        // The Java gateway reads each row with its own get and takes a missing table (or family) as a row not found,
        // so a multi-get of a table that does not exist answers as one whose rows are all missing.
        var table = Table(request, out _);
        if (table is null)
        {
            return RestResult.NotFound(NoRowsFound);
        }
        var keyCount = 0;
        for (var counting = new QueryString.Values(request.RawQuery, "row"); counting.MoveNext();)
        {
            keyCount++;
        }
        counters.MultiGet(keyCount);
        store.CountRead();
        var columns = request.Segments.Count > 2 && request.Segments[2].Length > 0
            ? request.Segments[2].Split(',').Select(c => ColumnSelector.Parse(PathCodec.DecodeBytes(c))).ToList()
            : [];
        var versions = 1;
        if (request.QueryValue("v") is { } v && (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out versions) || versions < 1))
        {
            return RestResult.BadRequest($"Bad request: invalid number of versions '{v}'");
        }
        var read = new ReadSpec { Columns = columns, MaxVersions = versions };
        var now = Now;
        return MediaTypes.FormatOf(mediaType) == Format.Protobuf
            ? MultiGetProtobuf(request, table, read, now, mediaType)
            : MultiGetRows(request, table, read, now, mediaType);
    }

    /// <summary>The found rows written straight into a pooled protobuf body, without result objects.</summary>
    private static RestResult MultiGetProtobuf(RestRequest request, StoredTable table, ReadSpec read, long now, string mediaType)
    {
        var count = 0;
        var chars = 0;
        for (var keys = new QueryString.Values(request.RawQuery, "row"); keys.MoveNext();)
        {
            count++;
            chars += keys.Current.Length;
        }
        var decoded = System.Buffers.ArrayPool<byte>.Shared.Rent(chars * 3);
        var ends = System.Buffers.ArrayPool<int>.Shared.Rent(count);
        var body = new ProtobufCellSetBuffer();
        try
        {
            var used = 0;
            var i = 0;
            for (var keys = new QueryString.Values(request.RawQuery, "row"); keys.MoveNext();)
            {
                used += PathCodec.Decode(keys.Current, decoded.AsSpan(used));
                ends[i++] = used;
            }
            var visitor = new RowWriter(body);
            table.GetMany(decoded.AsSpan(0, used), ends.AsSpan(0, count), read, now, ref visitor);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(decoded);
            System.Buffers.ArrayPool<int>.Shared.Return(ends);
        }
        var (bytes, length) = body.Detach();
        if (body.Rows == 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
            return RestResult.NotFound(NoRowsFound);
        }
        return RestResult.Pooled(200, mediaType, bytes, length);
    }

    private static RestResult MultiGetRows(RestRequest request, StoredTable table, ReadSpec read, long now, string mediaType)
    {
        var rows = new List<IReadOnlyList<ResultCell>>();
        for (var keys = new QueryString.Values(request.RawQuery, "row"); keys.MoveNext();)
        {
            var cells = table.Get(PathCodec.DecodeBytes(keys.Current), read, now);
            if (cells.Count > 0)
            {
                rows.Add(cells);
            }
        }
        return rows.Count == 0 ? RestResult.NotFound(NoRowsFound) : CellSet(mediaType, rows);
    }

    /// <summary>Hands the rows and their cells to the body being built.</summary>
    private readonly struct RowWriter(ProtobufCellSetBuffer body) : IRowVisitor
    {
        public void BeginRow(ReadOnlySpan<byte> key) => body.BeginRow(key);

        public void Cell(ColumnKey column, long timestamp, byte[] value) => body.Cell(column, timestamp, value);

        public void EndRow() => body.EndRow();
    }
}
