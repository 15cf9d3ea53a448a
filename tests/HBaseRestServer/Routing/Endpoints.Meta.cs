using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Routing;

internal sealed partial class Endpoints
{
    public const string RestVersion = "0.0.3";

    private RestResult Meta(RestRequest request)
    {
        if (!request.IsRead)
        {
            return MethodNotAllowed();
        }
        var path = string.Join('/', request.Segments);
        switch (path)
        {
            case "":
                return Negotiated(request, MediaTypes.TextXmlJsonProtobuf, f => MetaCodec.TableList(f, store.TableNames));
            case "version" or "version/rest":
                return Negotiated(request, MediaTypes.TextXmlJsonProtobuf, f => MetaCodec.Version(f, RestVersion,
                    ".NET " + Environment.Version, Environment.OSVersion.VersionString, "Kestrel", string.Empty));
            case "version/cluster":
                return Negotiated(request, MediaTypes.TextXmlJson, f => MetaCodec.ClusterVersion(f, clusterVersion));
            case "status/cluster":
                var regions = store.Tables.OrderBy(t => t.Name, StringComparer.Ordinal)
                    .Select(t => new RegionStatus(t.Name + ",,1", t.Families.Count, 0, 0)).ToList();
                var node = new NodeStatus(NodeName, StartCode, store.ReadRequests + store.WriteRequests, 128, 1024, regions);
                return Negotiated(request, MediaTypes.TextXmlJsonProtobuf, f => MetaCodec.ClusterStatus(
                    f, [node], regions.Count, node.Requests, regions.Count));
            default:
                return RestResult.NotFound();
        }
    }

    private static RestResult Negotiated(RestRequest request, IReadOnlyList<string> produced, Func<Format, byte[]> body)
    {
        var mediaType = MediaTypes.Negotiate(request.Header("Accept"), produced);
        return mediaType is null ? RestResult.NotAcceptable() : new RestResult(200, mediaType, body(MediaTypes.FormatOf(mediaType)));
    }

    private RestResult Exists(RestRequest request)
    {
        if (!request.IsRead)
        {
            return MethodNotAllowed();
        }
        return Table(request, out var notFound) is null ? notFound! : RestResult.Ok();
    }

    private RestResult Schema(RestRequest request)
    {
        var name = PathCodec.DecodeString(request.Segments[0]);
        var table = store.Find(name);
        switch (request.Method)
        {
            case "GET" or "HEAD":
                store.CountRead();
                return table is null
                    ? RestResult.NotFound($"Not found: table '{name}' does not exist")
                    : Negotiated(request, MediaTypes.TextXmlJsonProtobuf, f => SchemaCodec.Write(f, table));
            case "DELETE":
                if (readOnly)
                {
                    return RestResult.Forbidden();
                }
                store.CountWrite();
                return store.DeleteTable(name) ? RestResult.Ok() : RestResult.NotFound($"Not found: table '{name}' does not exist");
            case "PUT" or "POST":
                if (readOnly)
                {
                    return RestResult.Forbidden();
                }
                if (BodyFormat(request) is not { } format || format == Format.Binary)
                {
                    return RestResult.UnsupportedMediaType();
                }
                store.CountWrite();
                var model = SchemaCodec.Parse(format, request.Body);
                if (table is null)
                {
                    if (model.Families.Count == 0)
                    {
                        throw new BadRequestException($"Bad request: table '{name}' needs at least one column family");
                    }
                    if (model.Families.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != model.Families.Count)
                    {
                        throw new BadRequestException($"Bad request: table '{name}' lists a column family twice");
                    }
                    if (!store.TryCreate(new StoredTable(name, model.Families, model.Attributes)))
                    {
                        return RestResult.Text(304, "Not modified");
                    }
                    return Created(request, name);
                }
                if (request.Method == "PUT")
                {
                    if (model.Families.Count == 0)
                    {
                        throw new BadRequestException($"Bad request: table '{name}' needs at least one column family");
                    }
                    table.ReplaceSchema(model.Families, model.Attributes);
                    return Created(request, name);
                }
                table.AddOrModifyFamilies(model.Families, model.Attributes);
                return RestResult.Ok();
            default:
                return MethodNotAllowed();
        }
    }

    private static RestResult Created(RestRequest request, string table) =>
        new RestResult(201).With("Location", $"{request.BaseUrl}/{Uri.EscapeDataString(table)}/schema");
}
