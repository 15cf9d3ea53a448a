using System.Globalization;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Scanners;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Routing;

internal sealed partial class Endpoints
{
    /// <summary><c>PUT|POST /{table}/scanner</c> → 201 with the scanner's Location.</summary>
    private RestResult CreateScanner(RestRequest request)
    {
        if (request.Method is not ("PUT" or "POST"))
        {
            return MethodNotAllowed();
        }
        if (readOnly)
        {
            return RestResult.Forbidden();
        }
        var table = Table(request, out var notFound);
        if (table is null)
        {
            return notFound!;
        }
        if (BodyFormat(request) is not { } format || format == Format.Binary)
        {
            return RestResult.UnsupportedMediaType();
        }
        var spec = ScannerSpec.Parse(format, request.Body);
        var filter = spec.Filter is { Length: > 0 } f ? ScanFilter.Parse(f) : null;
        store.CountRead();
        var read = new ReadSpec
        {
            Columns = [.. spec.Columns.Select(c => ColumnSelector.Parse(c))],
            StartTime = spec.StartTime,
            EndTime = spec.EndTime,
            MaxVersions = spec.MaxVersions,
        };
        var cells = new List<ResultCell>();
        var rows = 0;
        foreach (var row in table.Scan(spec.StartRow, spec.EndRow, read, Now))
        {
            var kept = filter is null ? row : filter.Apply(row[0].Row, row);
            if (kept.Count == 0)
            {
                continue;
            }
            if (rows++ == spec.Limit)
            {
                break;
            }
            cells.AddRange(kept);
        }
        var scanner = scanners.Open(table.Name, cells, spec.Batch);
        return new RestResult(201).With("Location", $"{request.BaseUrl}/{request.Segments[0]}/scanner/{scanner.Id}");
    }

    /// <summary><c>GET /{table}/scanner/{id}[?n=rows&amp;c=cells]</c>: 200 with cells, 204 when exhausted, 404 unknown, 410 expired.</summary>
    private RestResult NextFromScanner(RestRequest request)
    {
        if (!request.IsRead || request.Segments.Count != 3)
        {
            return request.Segments.Count != 3 ? RestResult.NotFound() : MethodNotAllowed();
        }
        var mediaType = MediaTypes.Negotiate(request.Header("Accept"), MediaTypes.XmlJsonProtobufBinary);
        if (mediaType is null)
        {
            return RestResult.NotAcceptable();
        }
        var table = PathCodec.DecodeString(request.Segments[0]);
        var scanner = scanners.Find(table, request.Segments[2], out var expired);
        if (scanner is null)
        {
            return expired ? RestResult.Text(410, "Gone") : RestResult.NotFound();
        }
        store.CountRead();
        if (mediaType == MediaTypes.Binary)
        {
            var one = scanner.Next(1, 0, clock.GetCurrentInstant());
            if (one.Count == 0)
            {
                return new RestResult(204);
            }
            var cell = one[0];
            return new RestResult(200, MediaTypes.Binary, cell.Value)
                .With("X-Row", Convert.ToBase64String(cell.Row))
                .With("X-Column", Convert.ToBase64String(cell.Column.ToColumnBytes()))
                .With("X-Timestamp", cell.Timestamp.ToString(CultureInfo.InvariantCulture))
                .With("Cache-Control", "no-cache");
        }
        var maxCells = PositiveQuery(request, "c") ?? scanner.Batch;
        var maxRows = PositiveQuery(request, "n") ?? 0;
        var cells = scanner.Next(maxCells, maxRows, clock.GetCurrentInstant());
        return cells.Count == 0 ? new RestResult(204) : CellSet(mediaType, Rows(cells)).With("Cache-Control", "no-cache");
    }

    /// <summary><c>DELETE /{table}/scanner/{id}</c> → 200, known or not.</summary>
    private RestResult DeleteScanner(RestRequest request)
    {
        if (readOnly)
        {
            return RestResult.Forbidden();
        }
        if (request.Segments.Count != 3)
        {
            return RestResult.NotFound();
        }
        scanners.Remove(request.Segments[2]);
        return RestResult.Ok();
    }

    private static int? PositiveQuery(RestRequest request, string name) =>
        request.QueryValue(name) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
}
