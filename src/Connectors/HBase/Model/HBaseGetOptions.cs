namespace Cep.Connectors.HBase;

/// <summary>What a row read returns: which columns, how many versions, which time range.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseGetOptions
{
    /// <summary>Gets the columns to read (<c>family:qualifier</c>, or a family alone for all its columns), or null/empty for all.</summary>
    /// <value>The default value is null (the whole row).</value>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Gets the maximum number of versions per column, or null for the gateway's default (1, the newest).</summary>
    /// <value>The default value is null.</value>
    public int? MaxVersions { get; init; }

    /// <summary>Gets the time range of the versions to read, or null for all. Needs <see cref="Columns"/>: the gateway
    /// takes a time range only after a column list in the path.</summary>
    /// <value>The default value is null.</value>
    public HBaseTimeRange? TimeRange { get; init; }
}
