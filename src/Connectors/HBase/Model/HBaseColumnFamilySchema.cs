using NodaTime;

namespace Cep.Connectors.HBase;

/// <summary>The schema of one column family: its name, time to live, maximum versions and other attributes.</summary>
/// <param name="Name">The family name (no colon).</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseColumnFamilySchema(string Name)
{
    /// <summary>The attribute name of the time to live, in seconds.</summary>
    public const string TtlAttribute = "TTL";

    /// <summary>The attribute name of the maximum number of versions.</summary>
    public const string VersionsAttribute = "VERSIONS";

    /// <summary>Gets how long a cell stays visible after its timestamp (whole seconds), or null for HBase's default (forever).</summary>
    /// <value>The default value is null.</value>
    public Duration? Ttl { get; init; }

    /// <summary>Gets the maximum number of versions kept per cell, or null for HBase's default (1).</summary>
    /// <value>The default value is null.</value>
    public int? MaxVersions { get; init; }

    /// <summary>Gets the other attributes (e.g. <c>BLOOMFILTER</c>, <c>COMPRESSION</c>, <c>IN_MEMORY</c>), copied verbatim
    /// into the family's descriptor; <c>TTL</c> and <c>VERSIONS</c> are in <see cref="Ttl"/> and <see cref="MaxVersions"/>.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
