namespace Cep.HBaseRestServer.Store;

/// <summary>
/// A column family of an in-memory table: how many versions of a cell it keeps and how long cells live.
/// </summary>
/// <param name="Name">The family name (no colon).</param>
/// <param name="MaxVersions">HBase <c>VERSIONS</c>: how many versions of a cell are kept and returned; default 1.</param>
/// <param name="TtlSeconds">HBase <c>TTL</c> in seconds, counted from each cell's timestamp; default forever (<see cref="int.MaxValue"/>).</param>
/// <remarks>Immutable; safe to share.</remarks>
public sealed record ColumnFamilyDescriptor(string Name, int MaxVersions = 1, int TtlSeconds = ColumnFamilyDescriptor.Forever)
{
    /// <summary>The TTL that means "never expires", as HBase spells it.</summary>
    public const int Forever = int.MaxValue;

    /// <summary>Other attributes (BLOOMFILTER, COMPRESSION, ...) copied verbatim from schema requests.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    internal ColumnFamilyDescriptor Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Contains(':'))
        {
            throw new ArgumentException($"Column family name '{Name}' must be non-empty and must not contain ':'.", nameof(Name));
        }
        if (MaxVersions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxVersions), MaxVersions, $"VERSIONS of family '{Name}' must be at least 1.");
        }
        if (TtlSeconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TtlSeconds), TtlSeconds, $"TTL of family '{Name}' must be at least 1 second.");
        }
        return this;
    }
}
