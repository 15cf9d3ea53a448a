namespace Cep.Connectors.HBase;

/// <summary>The media type a <see cref="HBaseRestClient"/> exchanges cell sets, schemas and scanners in.</summary>
public enum HBaseRestFormat
{
    /// <summary><c>application/x-protobuf</c>: raw bytes, compact; the default.</summary>
    Protobuf = 0,

    /// <summary><c>application/json</c>: keys, columns and values in base64.</summary>
    Json = 1,
}
