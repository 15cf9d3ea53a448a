namespace Cep.HBaseRestServer.Formats;

/// <summary>The representations the gateway speaks.</summary>
internal enum Format
{
    Text,
    Xml,
    Json,
    Protobuf,
    Binary,
}

/// <summary>Media types and content negotiation, in the order each resource lists what it produces.</summary>
internal static class MediaTypes
{
    public const string Text = "text/plain";
    public const string Xml = "text/xml";
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";
    public const string ProtobufIetf = "application/protobuf";
    public const string Binary = "application/octet-stream";

    public static readonly string[] TextXmlJsonProtobuf = [Text, Xml, Json, Protobuf, ProtobufIetf];
    public static readonly string[] TextXmlJson = [Text, Xml, Json];
    public static readonly string[] XmlJsonProtobuf = [Xml, Json, Protobuf, ProtobufIetf];
    public static readonly string[] XmlJsonProtobufBinary = [Xml, Json, Protobuf, ProtobufIetf, Binary];

    public static Format FormatOf(string mediaType) => mediaType switch
    {
        Text => Format.Text,
        Xml => Format.Xml,
        "application/xml" => Format.Xml,
        Json => Format.Json,
        Protobuf or ProtobufIetf => Format.Protobuf,
        Binary => Format.Binary,
        _ => throw new ArgumentOutOfRangeException(nameof(mediaType), mediaType, "Unknown media type."),
    };

    /// <summary>
    /// Picks the produced media type that best matches an Accept header (highest q first, then header order);
    /// a missing header or <c>*/*</c> gets the first produced type. Null when nothing matches (406).
    /// </summary>
    public static string? Negotiate(string? accept, IReadOnlyList<string> produced)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return produced[0];
        }
        if (accept.AsSpan().IndexOfAny(',', ';') < 0)
        {
            // One media range without parameters (q = 1), as clients mostly send: nothing to order.
            var single = accept.Trim().ToLowerInvariant();
            return single.Length == 0 ? null : Match(single, produced, out var found) ? found : null;
        }
        var ranges = new List<(string Type, double Q, int Order)>();
        var order = 0;
        foreach (var part in accept.Split(','))
        {
            var pieces = part.Split(';');
            var type = pieces[0].Trim().ToLowerInvariant();
            var q = 1.0;
            foreach (var parameter in pieces.Skip(1))
            {
                var kv = parameter.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim() == "q" &&
                    double.TryParse(kv[1].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    q = parsed;
                }
            }
            if (type.Length > 0 && q > 0)
            {
                ranges.Add((type, q, order++));
            }
        }
        foreach (var range in ranges.OrderByDescending(r => r.Q).ThenBy(r => r.Order))
        {
            if (Match(range.Type, produced, out var found))
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>The produced type a media range (lower case, without parameters) accepts, if any.</summary>
    private static bool Match(string range, IReadOnlyList<string> produced, out string? found)
    {
        found = null;
        if (range is "*/*")
        {
            found = produced[0];
        }
        else if (range.EndsWith("/*", StringComparison.Ordinal))
        {
            var prefix = range[..^1];
            found = produced.FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal));
        }
        else if (range == "application/xml" && produced.Contains(Xml))
        {
            found = Xml;
        }
        else if (produced.Contains(range))
        {
            found = range;
        }
        return found is not null;
    }

    /// <summary>The format of a request body from its Content-Type; null when unsupported (415).</summary>
    public static Format? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            Xml or "application/xml" => Format.Xml,
            Json => Format.Json,
            Protobuf or ProtobufIetf => Format.Protobuf,
            Binary => Format.Binary,
            _ => null,
        };
    }
}
