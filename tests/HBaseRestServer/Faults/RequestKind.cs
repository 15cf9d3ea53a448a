namespace Cep.HBaseRestServer.Faults;

/// <summary>What a request asks for, by the shape of its path and method.</summary>
public enum RequestKind
{
    /// <summary><c>GET /</c>, <c>/version</c>, <c>/version/cluster</c>, <c>/status/cluster</c>.</summary>
    Meta,

    /// <summary>Any method on <c>/{table}/schema</c>.</summary>
    Schema,

    /// <summary><c>GET /{table}/exists</c>.</summary>
    Exists,

    /// <summary><c>GET /{table}/{row}...</c>, including globs and row ranges.</summary>
    Get,

    /// <summary><c>GET /{table}/multiget...</c>.</summary>
    MultiGet,

    /// <summary><c>PUT|POST /{table}/{row}...</c> without <c>check</c>.</summary>
    Put,

    /// <summary><c>PUT|POST /{table}/{row}?check=put</c>.</summary>
    CheckAndPut,

    /// <summary><c>PUT|POST /{table}/{row}?check=delete</c>.</summary>
    CheckAndDelete,

    /// <summary><c>DELETE /{table}/{row}...</c>.</summary>
    Delete,

    /// <summary><c>PUT|POST /{table}/scanner</c>.</summary>
    ScannerCreate,

    /// <summary><c>GET /{table}/scanner/{id}</c>.</summary>
    ScannerNext,

    /// <summary><c>DELETE /{table}/scanner/{id}</c>.</summary>
    ScannerDelete,

    /// <summary>Anything else (answered 404 or 405).</summary>
    Other,
}

/// <summary>A fault the gateway can inject into a response.</summary>
public enum FaultKind
{
    /// <summary>Wait <see cref="FaultRule.Latency"/> before handling the request, then answer normally.</summary>
    Latency,

    /// <summary>Answer 503 "Unavailable" (text/plain) without handling the request.</summary>
    Unavailable,

    /// <summary>Abort the connection before handling the request (the client sees a reset / IO error).</summary>
    ConnectionReset,

    /// <summary>Handle the request, announce the full Content-Length, send half the body and abort.</summary>
    TruncatedBody,

    /// <summary>Handle the request, keep status and content type, but send bytes that do not parse.</summary>
    MalformedBody,

    /// <summary>The gateway was switched down: every request's connection is aborted.</summary>
    Down,
}
