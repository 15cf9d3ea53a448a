using System.Numerics;
using NodaTime;

namespace Cep.Connectors.Faster;

/// <summary>The parameters of a <see cref="FasterFeatureStore"/>: where it lives, the TTL and clock, and FASTER's memory sizes.</summary>
/// <remarks>
/// <para>Sizes are in bytes and must be powers of two. The defaults keep a small footprint (about 36 MiB once the
/// in-memory log fills up); raise <see cref="MemorySize"/> and <see cref="IndexSize"/> for large volumes (FASTER spills
/// the oldest part of the log to disk beyond <see cref="MemorySize"/>; reads of spilled records go to disk).</para>
/// <para>One record (its UTF-8 key, 8 bytes of event time, its features and FASTER's small headers) must fit in one
/// page: <see cref="PageSize"/> bounds the largest record, see <see cref="FasterFeatureStore.MaxRecordBytes"/>.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share. Read once, when the store opens.</threadsafety>
public sealed record FasterFeatureStoreOptions
{
    /// <summary>Gets the directory of the log and the checkpoints; created if missing. Two open stores must not share it.</summary>
    /// <value>There is no default; it is required.</value>
    public required string Directory { get; init; }

    /// <summary>Gets how long a record stays visible after its event time.</summary>
    /// <value>There is no default; it is required and must be positive.</value>
    public required Duration Ttl { get; init; }

    /// <summary>Gets the clock that decides expiry.</summary>
    /// <value>There is no default; it is required.</value>
    public required IClock Clock { get; init; }

    /// <summary>Gets the size of FASTER's hash index (64-byte buckets of 7 entries each).</summary>
    /// <value>The default value is 4 MiB (65,536 buckets); at least 4 KiB.</value>
    public long IndexSize { get; init; } = 1L << 22;

    /// <summary>Gets the size of the in-memory part of the log.</summary>
    /// <value>The default value is 32 MiB; at least two pages.</value>
    public long MemorySize { get; init; } = 1L << 25;

    /// <summary>Gets the size of a log page, which bounds the largest record.</summary>
    /// <value>The default value is 1 MiB; between 4 KiB and 256 MiB.</value>
    public long PageSize { get; init; } = 1L << 20;

    /// <summary>Gets the size of one log file segment on disk.</summary>
    /// <value>The default value is 64 MiB; at least one page.</value>
    public long SegmentSize { get; init; } = 1L << 26;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException"><see cref="Directory"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Clock"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Ttl"/> is not positive, or a size is not a power of two,
    /// is outside its range, or <see cref="MemorySize"/> is below two pages or <see cref="SegmentSize"/> below one page.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("The FASTER feature store needs a directory; Directory was null, empty or white space.", nameof(Directory));
        }

        if (Ttl <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Ttl), Ttl, $"Ttl must be positive; it was {Ttl}.");
        }

        if (Clock is null)
        {
            throw new ArgumentNullException(nameof(Clock), "The FASTER feature store needs a clock to decide expiry.");
        }

        PowerOfTwo(IndexSize, nameof(IndexSize), 1L << 12, 1L << 40);
        PowerOfTwo(PageSize, nameof(PageSize), 1L << 12, 1L << 28);
        PowerOfTwo(MemorySize, nameof(MemorySize), 2 * PageSize, 1L << 45, $"two pages ({2 * PageSize} bytes)");
        PowerOfTwo(SegmentSize, nameof(SegmentSize), PageSize, 1L << 40, $"one page ({PageSize} bytes)");
    }

    private static void PowerOfTwo(long value, string name, long min, long max, string? minText = null)
    {
        if (value < min || value > max || !BitOperations.IsPow2(value))
        {
            throw new ArgumentOutOfRangeException(
                name, value, $"{name} must be a power of two between {minText ?? $"{min} bytes"} and {max} bytes; it was {value}.");
        }
    }
}
