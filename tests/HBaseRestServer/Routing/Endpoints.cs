using Cep.HBaseRestServer.Faults;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Scanners;
using Cep.HBaseRestServer.Store;
using NodaTime;

namespace Cep.HBaseRestServer.Routing;

/// <summary>The gateway's resources: classifies a request and answers it. Split by concern into partial files.</summary>
internal sealed partial class Endpoints(HBaseStore store, IClock clock, bool readOnly, ScannerRegistry scanners, GatewayCounters counters, string clusterVersion)
{
    public string NodeName { get; set; } = "localhost:0";

    public long StartCode { get; } = clock.GetCurrentInstant().ToUnixTimeMilliseconds();

    private long Now => clock.GetCurrentInstant().ToUnixTimeMilliseconds();

    public static RequestKind Classify(string method, IReadOnlyList<string> segments, string? check)
    {
        if (segments.Count == 0 || segments[0] is "version" || (segments[0] is "status" && segments.Count == 2 && segments[1] == "cluster"))
        {
            return RequestKind.Meta;
        }
        if (segments.Count == 1)
        {
            return RequestKind.Other;
        }
        return segments[1] switch
        {
            "schema" => RequestKind.Schema,
            "exists" => RequestKind.Exists,
            "multiget" => RequestKind.MultiGet,
            "scanner" when segments.Count == 2 => RequestKind.ScannerCreate,
            "scanner" when method == "DELETE" => RequestKind.ScannerDelete,
            "scanner" => RequestKind.ScannerNext,
            _ => method switch
            {
                "GET" or "HEAD" => RequestKind.Get,
                "DELETE" => RequestKind.Delete,
                "PUT" or "POST" => check switch
                {
                    "put" => RequestKind.CheckAndPut,
                    "delete" => RequestKind.CheckAndDelete,
                    _ => RequestKind.Put,
                },
                _ => RequestKind.Other,
            },
        };
    }

    public RestResult Handle(RequestKind kind, RestRequest request)
    {
        try
        {
            return kind switch
            {
                RequestKind.Meta => Meta(request),
                RequestKind.Schema => Schema(request),
                RequestKind.Exists => Exists(request),
                RequestKind.Get => GetRows(request),
                RequestKind.MultiGet => MultiGet(request),
                RequestKind.Put or RequestKind.CheckAndPut or RequestKind.CheckAndDelete => Write(request),
                RequestKind.Delete => DeleteRow(request),
                RequestKind.ScannerCreate => CreateScanner(request),
                RequestKind.ScannerNext => NextFromScanner(request),
                RequestKind.ScannerDelete => DeleteScanner(request),
                _ => RestResult.NotFound(),
            };
        }
        catch (BadRequestException e)
        {
            return RestResult.BadRequest(e.Message);
        }
        catch (StoreException e)
        {
            return RestResult.Text(e.Status, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect of the gateway itself: made visible rather than disguised as 503.
            return RestResult.Text(500, "Internal error: " + e.GetType().Name + ": " + e.Message);
        }
    }

    private static RestResult MethodNotAllowed() => RestResult.Text(405, "Method not allowed");

    /// <summary>The table named by the first segment, or a 404 result.</summary>
    private StoredTable? Table(RestRequest request, out RestResult? notFound)
    {
        var name = PathCodec.DecodeString(request.Segments[0]);
        var table = store.Find(name);
        notFound = table is null ? RestResult.NotFound($"Not found: table '{name}' does not exist") : null;
        return table;
    }

    private static Format? BodyFormat(RestRequest request) => MediaTypes.FromContentType(request.Header("Content-Type"));

    /// <summary>Groups cells (already in row order) into rows.</summary>
    private static List<IReadOnlyList<ResultCell>> Rows(IEnumerable<ResultCell> cells)
    {
        var rows = new List<IReadOnlyList<ResultCell>>();
        List<ResultCell>? current = null;
        foreach (var cell in cells)
        {
            if (current is null || !current[0].Row.AsSpan().SequenceEqual(cell.Row))
            {
                current = [];
                rows.Add(current);
            }
            current.Add(cell);
        }
        return rows;
    }

    private static RestResult CellSet(string mediaType, IReadOnlyList<IReadOnlyList<ResultCell>> rows) =>
        new(200, mediaType, CellSetCodec.Write(MediaTypes.FormatOf(mediaType), rows));
}
