using Cep.Time;
using NodaTime;

namespace Cep.Joins.Window;

/// <summary>
/// Decides which event-time windows a record belongs to. Create one with <see cref="Tumbling"/>, <see cref="Sliding"/> or
/// <see cref="Session"/>. Windows are <c>[start, end)</c>, end exclusive, and are computed in ticks (100 ns).
/// </summary>
/// <threadsafety>Immutable; safe to share between operators and threads.</threadsafety>
public abstract class WindowAssigner
{
    private protected WindowAssigner()
    {
    }

    /// <summary>Gets a value indicating whether the windows of a key merge (session windows).</summary>
    public abstract bool IsMerging { get; }

    /// <summary>Gets a text that identifies the assigner and its parameters; snapshots record it.</summary>
    internal abstract string Fingerprint { get; }

    /// <summary>Creates tumbling windows: <c>[offset + k·size, offset + (k+1)·size)</c> for every integer k.</summary>
    /// <param name="size">The length of each window; at least one tick.</param>
    /// <param name="offset">Shifts the window boundaries, e.g. to align daily windows to a time zone; its magnitude must be
    /// less than <paramref name="size"/>. Defaults to zero (windows aligned to the Unix epoch).</param>
    /// <returns>The assigner.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than one tick, or the magnitude of
    /// <paramref name="offset"/> is not less than <paramref name="size"/>.</exception>
    public static TumblingWindowAssigner Tumbling(Duration size, Duration offset = default) => new(size, offset);

    /// <summary>
    /// Creates sliding windows of length <paramref name="size"/> that start every <paramref name="slide"/>:
    /// <c>[offset + k·slide, offset + k·slide + size)</c>. A record belongs to about size / slide windows, so a pair of
    /// records can be joined once per window they share.
    /// </summary>
    /// <param name="size">The length of each window; at least one tick.</param>
    /// <param name="slide">The distance between window starts; at least one tick.</param>
    /// <param name="offset">Shifts the window starts; its magnitude must be less than <paramref name="slide"/>.</param>
    /// <returns>The assigner.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="slide"/> is less than one
    /// tick, or the magnitude of <paramref name="offset"/> is not less than <paramref name="slide"/>.</exception>
    public static SlidingWindowAssigner Sliding(Duration size, Duration slide, Duration offset = default) => new(size, slide, offset);

    /// <summary>
    /// Creates session windows: each record opens <c>[timestamp, timestamp + gap)</c>, and the windows of a key merge while
    /// they overlap, so records of a key closer than <paramref name="gap"/> to each other end in one session.
    /// </summary>
    /// <param name="gap">The gap of inactivity that ends a session; at least one tick.</param>
    /// <returns>The assigner.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gap"/> is less than one tick.</exception>
    /// <remarks>
    /// Flink treats windows that merely touch (one ends where the next starts) as intersecting, so there two records
    /// exactly <paramref name="gap"/> apart share a session. Here windows merge only when they overlap: records exactly
    /// <paramref name="gap"/> apart are in different sessions. That way a session that has fired can only change when a
    /// record arrives behind the watermark within the allowed lateness, never because of an on-time record.
    /// </remarks>
    public static SessionWindowAssigner Session(Duration gap) => new(gap);

    /// <summary>Gets the windows a record with the given timestamp belongs to, before any merging.</summary>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <returns>The windows, in ascending order of their start.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is <see cref="Instant.MinValue"/> or
    /// <see cref="Instant.MaxValue"/>.</exception>
    public IReadOnlyList<TimeWindow> AssignWindows(Instant timestamp)
    {
        if (timestamp == Instant.MinValue || timestamp == Instant.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A record timestamp must not be Instant.MinValue or Instant.MaxValue.");
        }

        var windows = new List<TickWindow>();
        Assign(EventTicks.ToTicks(timestamp), windows);
        windows.Sort((a, b) => a.Start.CompareTo(b.Start));
        return windows.Select(w => w.ToTimeWindow()).ToList();
    }

    /// <summary>Adds the windows of a record at <paramref name="ticks"/> to <paramref name="into"/>.</summary>
    internal abstract void Assign(long ticks, List<TickWindow> into);

    /// <summary>Converts a duration to whole ticks, checking that it is at least one tick.</summary>
    private protected static long PositiveTicks(Duration duration, string name)
    {
        var ticks = duration.BclCompatibleTicks;
        return ticks >= 1 ? ticks
            : throw new ArgumentOutOfRangeException(name, duration, $"The {name} must be at least one tick (100 ns); it was {duration}.");
    }

    /// <summary>The remainder of <paramref name="a"/> / <paramref name="b"/> with the sign of <paramref name="b"/>.</summary>
    private protected static long FloorMod(long a, long b)
    {
        var m = a % b;
        return m < 0 ? m + b : m;
    }
}

/// <summary>Tumbling windows; see <see cref="WindowAssigner.Tumbling"/>.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class TumblingWindowAssigner : WindowAssigner
{
    internal TumblingWindowAssigner(Duration size, Duration offset)
    {
        SizeTicks = PositiveTicks(size, nameof(size));
        OffsetTicks = offset.BclCompatibleTicks;
        if (Math.Abs(OffsetTicks) >= SizeTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset's magnitude must be less than the size {size}; it was {offset}.");
        }

        Size = Duration.FromTicks(SizeTicks);
        Offset = Duration.FromTicks(OffsetTicks);
    }

    /// <summary>Gets the length of each window.</summary>
    public Duration Size { get; }

    /// <summary>Gets the shift of the window boundaries.</summary>
    public Duration Offset { get; }

    /// <inheritdoc/>
    public override bool IsMerging => false;

    internal long SizeTicks { get; }

    internal long OffsetTicks { get; }

    internal override string Fingerprint => $"tumbling({SizeTicks},{OffsetTicks})";

    /// <inheritdoc/>
    public override string ToString() => $"Tumbling({Size}, offset {Offset})";

    internal override void Assign(long ticks, List<TickWindow> into) => into.Add(WindowOf(ticks));

    /// <summary>Gets the one window of a record at <paramref name="ticks"/>.</summary>
    internal TickWindow WindowOf(long ticks)
    {
        var start = ticks - FloorMod(ticks - OffsetTicks, SizeTicks);
        return new TickWindow(start, start + SizeTicks);
    }
}

/// <summary>Sliding windows; see <see cref="WindowAssigner.Sliding"/>.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class SlidingWindowAssigner : WindowAssigner
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    internal SlidingWindowAssigner(Duration size, Duration slide, Duration offset)
    {
        _size = PositiveTicks(size, nameof(size));
        _slide = PositiveTicks(slide, nameof(slide));
        _offset = offset.BclCompatibleTicks;
        if (Math.Abs(_offset) >= _slide)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset's magnitude must be less than the slide {slide}; it was {offset}.");
        }

        Size = Duration.FromTicks(_size);
        Slide = Duration.FromTicks(_slide);
        Offset = Duration.FromTicks(_offset);
    }

    /// <summary>Gets the length of each window.</summary>
    public Duration Size { get; }

    /// <summary>Gets the distance between window starts.</summary>
    public Duration Slide { get; }

    /// <summary>Gets the shift of the window starts.</summary>
    public Duration Offset { get; }

    /// <inheritdoc/>
    public override bool IsMerging => false;

    internal override string Fingerprint => $"sliding({_size},{_slide},{_offset})";

    /// <inheritdoc/>
    public override string ToString() => $"Sliding({Size}, slide {Slide}, offset {Offset})";

    internal override void Assign(long ticks, List<TickWindow> into)
    {
        var lastStart = ticks - FloorMod(ticks - _offset, _slide);
        for (var start = lastStart; start > ticks - _size; start -= _slide)
        {
            into.Add(new TickWindow(start, start + _size));
        }
    }
}

/// <summary>Session windows; see <see cref="WindowAssigner.Session"/>.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class SessionWindowAssigner : WindowAssigner
{
    private readonly long _gap;

    internal SessionWindowAssigner(Duration gap)
    {
        _gap = PositiveTicks(gap, nameof(gap));
        Gap = Duration.FromTicks(_gap);
    }

    /// <summary>Gets the gap of inactivity that ends a session.</summary>
    public Duration Gap { get; }

    /// <inheritdoc/>
    public override bool IsMerging => true;

    internal override string Fingerprint => $"session({_gap})";

    /// <inheritdoc/>
    public override string ToString() => $"Session(gap {Gap})";

    internal override void Assign(long ticks, List<TickWindow> into) => into.Add(new TickWindow(ticks, ticks + _gap));
}
