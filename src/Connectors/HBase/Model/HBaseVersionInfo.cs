namespace Cep.Connectors.HBase;

/// <summary>The versions a REST gateway reports at <c>/version</c>; a part the gateway does not report is null.</summary>
/// <param name="Rest">The REST protocol version (e.g. <c>0.0.3</c>).</param>
/// <param name="Jvm">The gateway's JVM.</param>
/// <param name="OperatingSystem">The gateway's operating system.</param>
/// <param name="Server">The web server.</param>
/// <param name="Jersey">The Jersey version.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseVersionInfo(string? Rest, string? Jvm, string? OperatingSystem, string? Server, string? Jersey);
