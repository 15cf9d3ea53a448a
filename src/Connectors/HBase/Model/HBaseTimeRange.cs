using NodaTime;

namespace Cep.Connectors.HBase;

/// <summary>
/// A range of cell timestamps, <c>[Start, End)</c> like HBase's own time ranges: a cell is included when
/// <c>Start &lt;= timestamp &lt; End</c>, in milliseconds.
/// </summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public readonly record struct HBaseTimeRange
{
    /// <summary>Initializes a range <c>[start, end)</c>.</summary>
    /// <param name="start">The first included timestamp (milliseconds; finer parts are truncated).</param>
    /// <param name="end">The first excluded timestamp (milliseconds; finer parts are truncated).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is not after <paramref name="start"/> in
    /// milliseconds, or <paramref name="start"/> is before the Unix epoch.</exception>
    public HBaseTimeRange(Instant start, Instant end)
    {
        StartMilliseconds = start.ToUnixTimeMilliseconds();
        EndMilliseconds = end.ToUnixTimeMilliseconds();
        if (StartMilliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"HBase timestamps start at the Unix epoch; the start was {start}.");
        }

        if (EndMilliseconds <= StartMilliseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"The end of a time range must be after its start in milliseconds; start {start}, end {end}.");
        }
    }

    /// <summary>Gets the first included timestamp, in milliseconds since the Unix epoch.</summary>
    public long StartMilliseconds { get; }

    /// <summary>Gets the first excluded timestamp, in milliseconds since the Unix epoch.</summary>
    public long EndMilliseconds { get; }

    /// <summary>Gets the first included timestamp.</summary>
    public Instant Start => Instant.FromUnixTimeMilliseconds(StartMilliseconds);

    /// <summary>Gets the first excluded timestamp.</summary>
    public Instant End => Instant.FromUnixTimeMilliseconds(EndMilliseconds);
}
