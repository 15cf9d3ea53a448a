using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>Options of the lookup cache of an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/>.</summary>
/// <remarks>
/// <para>The cache holds at most <see cref="MaxEntries"/> keys and evicts the <b>least recently used</b> one (a hit
/// counts as a use) to make room. Ages are <b>expire-after-write</b>: an entry is valid for <see cref="Ttl"/> (a found
/// value) or <see cref="MissTtl"/> (a cached miss) after the answer that wrote it, however often it is read. A hit
/// answers the record at once and does not call the source. Failed round trips are never cached.</para>
/// <para>The cache is not part of a snapshot: a restored operator starts with an empty cache.</para>
/// </remarks>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class LookupCacheOptions
{
    /// <summary>Gets or sets the largest number of keys held.</summary>
    /// <value>The default value is 10,000. It must be at least 1.</value>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Gets or sets how long a found value stays valid after it was written.</summary>
    /// <value>The default value is 10 minutes. It must be positive.</value>
    public Duration Ttl { get; set; } = Duration.FromMinutes(10);

    /// <summary>Gets or sets whether misses (keys the source did not return) are cached too, for <see cref="MissTtl"/>.</summary>
    /// <value>The default value is <see langword="false"/>: every miss asks the source again.</value>
    public bool CacheMisses { get; set; }

    /// <summary>Gets or sets how long a cached miss stays valid after it was written; used only with
    /// <see cref="CacheMisses"/>. It is usually shorter than <see cref="Ttl"/>, so that a key that appears in the store
    /// is found soon.</summary>
    /// <value>The default value is 10 seconds. It must be positive and at most <see cref="Ttl"/>.</value>
    public Duration MissTtl { get; set; } = Duration.FromSeconds(10);

    internal void Validate(List<string> errors)
    {
        if (MaxEntries < 1)
        {
            errors.Add($"Cache.MaxEntries must be at least 1; it is {MaxEntries}.");
        }

        if (Ttl <= Duration.Zero)
        {
            errors.Add($"Cache.Ttl must be positive; it is {Ttl}.");
        }

        if (MissTtl <= Duration.Zero)
        {
            errors.Add($"Cache.MissTtl must be positive; it is {MissTtl}.");
        }
        else if (MissTtl > Ttl && Ttl > Duration.Zero)
        {
            errors.Add($"Cache.MissTtl ({MissTtl}) must be at most Cache.Ttl ({Ttl}).");
        }
    }
}
