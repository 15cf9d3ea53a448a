namespace Cep.Connectors.HBase;

/// <summary>What a scanner reads: a row range or prefix, columns, a time range, and how many cells one call returns.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseScanOptions
{
    /// <summary>Gets the first row key to read (inclusive), or null to start at the beginning of the table.</summary>
    /// <value>The default value is null.</value>
    public string? StartRow { get; init; }

    /// <summary>Gets the row key to stop before (exclusive), or null to read to the end of the table.</summary>
    /// <value>The default value is null.</value>
    public string? EndRow { get; init; }

    /// <summary>Gets a row key prefix: only rows whose key starts with it are returned, or null. Sent as the row range
    /// the prefix spans (what HBase's <c>Scan.setRowPrefixFilter</c> does), intersected with <see cref="StartRow"/> and <see cref="EndRow"/>.</summary>
    /// <value>The default value is null.</value>
    public string? Prefix { get; init; }

    /// <summary>Gets a filter in the gateway's JSON filter language, sent verbatim (e.g.
    /// <c>{"type":"PrefixFilter","value":"&lt;base64&gt;"}</c> or a <c>FilterList</c>), or null for none.</summary>
    /// <value>The default value is null.</value>
    public string? Filter { get; init; }

    /// <summary>Gets the columns to read (<c>family:qualifier</c> or a family alone), or null/empty for all.</summary>
    /// <value>The default value is null.</value>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Gets the maximum number of cells one <see cref="HBaseScanner.NextAsync"/> returns.</summary>
    /// <value>The default value is 100. Always sent: an unset batch lets the gateway return everything in one answer.</value>
    public int Batch { get; init; } = 100;

    /// <summary>Gets the time range of the versions to read, or null for all.</summary>
    /// <value>The default value is null.</value>
    public HBaseTimeRange? TimeRange { get; init; }

    /// <summary>Gets the maximum number of versions per column, or null for the gateway's default.</summary>
    /// <value>The default value is null.</value>
    public int? MaxVersions { get; init; }
}
