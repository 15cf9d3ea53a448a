using Cep.Time;
using NodaTime;

namespace Cep.Joins.Window;

/// <summary>An event-time window <c>[Start, End)</c>: the start is inclusive, the end exclusive.</summary>
/// <param name="Start">The first instant in the window.</param>
/// <param name="End">The first instant after the window.</param>
/// <threadsafety>Immutable; safe from any thread.</threadsafety>
public readonly record struct TimeWindow(Instant Start, Instant End)
{
    /// <summary>Gets the largest timestamp inside the window: <see cref="End"/> minus one tick (100 ns).</summary>
    /// <value>The window's maximum timestamp; joined records are stamped with it, and the window fires when the
    /// watermark reaches it.</value>
    public Instant MaxTimestamp => EventTicks.ToInstant(EventTicks.Plus(EventTicks.ToTicks(End), -1));

    /// <summary>Tells whether an instant lies in the window.</summary>
    /// <param name="timestamp">The instant.</param>
    /// <returns>True if <see cref="Start"/> &lt;= <paramref name="timestamp"/> &lt; <see cref="End"/>; otherwise false.</returns>
    public bool Contains(Instant timestamp) => Start <= timestamp && timestamp < End;

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>A window in ticks since the Unix epoch, as the operators keep it.</summary>
internal readonly record struct TickWindow(long Start, long End)
{
    /// <summary>Gets the largest tick inside the window.</summary>
    public long MaxTicks => EventTicks.Plus(End, -1);

    public TimeWindow ToTimeWindow() => new(EventTicks.ToInstant(Start), EventTicks.ToInstant(End));
}
