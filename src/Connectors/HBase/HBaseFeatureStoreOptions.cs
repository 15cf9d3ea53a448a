using NodaTime;

namespace Cep.Connectors.HBase;

/// <summary>The settings of an <see cref="HBaseFeatureStore"/>: table, column and time to live.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseFeatureStoreOptions
{
    /// <summary>Gets the table holding the features, created if missing.</summary>
    /// <value>The default value is <c>features</c>.</value>
    public string Table { get; init; } = "features";

    /// <summary>Gets the column family, created with <see cref="Ttl"/> as its TTL.</summary>
    /// <value>The default value is <c>f</c>.</value>
    public string ColumnFamily { get; init; } = "f";

    /// <summary>Gets the qualifier of the one cell per key.</summary>
    /// <value>The default value is <c>v</c>.</value>
    public string Qualifier { get; init; } = "v";

    /// <summary>Gets how long a record stays visible after its event time. The column family's TTL is this rounded up to
    /// whole seconds (HBase's unit); a TTL with a fraction of a second is exact only with a <see cref="Clock"/>, which
    /// hides records at the exact TTL on the client side.</summary>
    /// <value>The default value is 7 days.</value>
    public Duration Ttl { get; init; } = Duration.FromDays(7);

    /// <summary>Gets a clock that also hides expired records on the client side (event time + TTL at or before now),
    /// or null to rely on the gateway's expiry alone. Use the same clock as the HBase cluster's, or a close one.</summary>
    /// <value>The default value is null.</value>
    public IClock? Clock { get; init; }

    /// <summary>Gets the column family's TTL: <see cref="Ttl"/> rounded up to whole seconds.</summary>
    public Duration FamilyTtl => Duration.FromSeconds((long)Math.Ceiling(Ttl.TotalSeconds));

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The table name is invalid, the family is empty or has a colon, or the
    /// qualifier is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive, is under <see cref="int.MaxValue"/> seconds
    /// (HBase's "forever"), or has a fraction of a second without a <see cref="Clock"/>.</exception>
    public void Validate()
    {
        Internal.HBaseNames.CheckTable(Table, nameof(Table));
        if (string.IsNullOrEmpty(ColumnFamily) || ColumnFamily.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The column family must be non-empty without a colon; it was '{ColumnFamily}'.", nameof(ColumnFamily));
        }

        _ = Internal.HBaseNames.EncodeColumn($"{ColumnFamily}:{Qualifier ?? throw new ArgumentException("The qualifier must not be null.", nameof(Qualifier))}", nameof(Qualifier), familyAllowed: false);
        if (Ttl <= Duration.Zero || Ttl >= Duration.FromSeconds(int.MaxValue - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Ttl), Ttl, $"The TTL must be positive and under {int.MaxValue - 1} seconds; it was {Ttl}.");
        }

        if (Clock is null && Ttl != FamilyTtl)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Ttl), Ttl, $"HBase keeps TTLs in whole seconds; {Ttl} needs a Clock to expire records at the exact time.");
        }
    }
}
