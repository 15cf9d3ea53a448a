using NodaTime;

namespace Cep.Time;

/// <summary>
/// Conversions between <see cref="Instant"/> and <c>long</c> ticks since the Unix epoch (100 ns each), for
/// buffers, timer queues and keys that store event time compactly.
/// </summary>
/// <remarks>
/// <see cref="Instant.MinValue"/> and <see cref="Instant.MaxValue"/> are sentinels ("no watermark yet" and
/// "end of input") and map to <see cref="long.MinValue"/> and <see cref="long.MaxValue"/>, and back, so that
/// tick arithmetic near them cannot overflow into valid times by accident. Other instants convert with
/// <see cref="Instant.ToUnixTimeTicks"/>, which truncates sub-tick nanoseconds towards the start of time; ticks
/// outside the range of <see cref="Instant"/> clamp to the sentinels. (So an instant less than one tick after
/// <see cref="Instant.MinValue"/> truncates onto its tick and converts back to <see cref="Instant.MinValue"/>.)
/// </remarks>
/// <threadsafety>Stateless; safe from any thread.</threadsafety>
internal static class EventTicks
{
    /// <summary>The ticks of the earliest instant, after <see cref="Instant.MinValue"/>, that starts a tick.</summary>
    internal static readonly long MinFiniteTicks = Instant.MinValue.ToUnixTimeTicks() + 1;

    /// <summary>The ticks of the latest non-sentinel instant.</summary>
    internal static readonly long MaxFiniteTicks = Instant.MaxValue.ToUnixTimeTicks();

    /// <summary>Converts an instant to ticks since the Unix epoch, mapping the sentinels to long.MinValue / long.MaxValue.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The ticks, truncated towards the start of time, or a sentinel.</returns>
    internal static long ToTicks(Instant instant)
    {
        if (instant == Instant.MinValue)
        {
            return long.MinValue;
        }

        if (instant == Instant.MaxValue)
        {
            return long.MaxValue;
        }

        return instant.ToUnixTimeTicks();
    }

    /// <summary>Converts ticks since the Unix epoch to an instant, mapping the sentinels (and anything out of range) back.</summary>
    /// <param name="ticks">The ticks.</param>
    /// <returns>The instant, or <see cref="Instant.MinValue"/> / <see cref="Instant.MaxValue"/>.</returns>
    internal static Instant ToInstant(long ticks)
    {
        if (ticks < MinFiniteTicks)
        {
            return Instant.MinValue;
        }

        return ticks > MaxFiniteTicks ? Instant.MaxValue : Instant.FromUnixTimeTicks(ticks);
    }

    /// <summary>Adds a tick count, saturating at the sentinels; a sentinel stays a sentinel.</summary>
    /// <param name="ticks">The ticks, possibly a sentinel.</param>
    /// <param name="delta">The ticks to add, possibly negative.</param>
    /// <returns>The sum, or <see cref="long.MinValue"/> / <see cref="long.MaxValue"/> if it leaves the range of <see cref="Instant"/>.</returns>
    internal static long Plus(long ticks, long delta)
    {
        if (ticks == long.MinValue || ticks == long.MaxValue)
        {
            return ticks;
        }

        // Finite ticks are within about ±3.8e18, so adding a delta clamped to ±4e18 cannot overflow a long.
        var sum = ticks + Math.Clamp(delta, -4_000_000_000_000_000_000L, 4_000_000_000_000_000_000L);
        return sum < MinFiniteTicks ? long.MinValue : sum > MaxFiniteTicks ? long.MaxValue : sum;
    }
}
