using System.Reactive.Concurrency;
using NodaTime;

namespace Cep.Time;

/// <summary>
/// An immutable description of how an input derives watermarks from its record timestamps: a bounded
/// out-of-orderness, and optionally an idle timeout. Call <see cref="CreateGenerator()"/> (or an overload taking
/// a processing-time clock) to get a fresh mutable <see cref="IWatermarkGenerator"/> per input.
/// </summary>
/// <remarks>
/// <para>
/// The watermark follows Flink's convention: a watermark <c>W</c> promises that no more records with a
/// timestamp <c>&lt;= W</c> will arrive, and a record with a timestamp <c>&lt;= W</c> is late. With an
/// out-of-orderness bound <c>B</c> and a largest timestamp seen so far <c>M</c>, the watermark is exactly
/// <c>M − B − 1 tick</c> (one tick is 100 ns), clamped at <see cref="Instant.MinValue"/>. Hence a record whose
/// timestamp is exactly <c>B</c> behind <c>M</c> is still on time, and a record <c>B + 1 tick</c> (or more)
/// behind <c>M</c> is late. The arithmetic is exact to the nanosecond; no rounding to ticks takes place.
/// </para>
/// <para>
/// Idleness (see <see cref="WithIdleness(Duration)"/>) is measured in processing time, never in event time,
/// and always on a clock passed to <see cref="CreateGenerator(IScheduler)"/> or
/// <see cref="CreateGenerator(IClock)"/>; the wall clock is never read.
/// </para>
/// </remarks>
/// <threadsafety>Immutable; safe to share across threads. The generators it creates are not thread-safe.</threadsafety>
public sealed class WatermarkStrategy
{
    private static readonly WatermarkStrategy MonotonousInstance = new(Duration.Zero, null);

    private WatermarkStrategy(Duration bound, Duration? idleTimeout)
    {
        Bound = bound;
        IdleTimeout = idleTimeout;
    }

    /// <summary>Gets the out-of-orderness bound: how far behind the newest timestamp a record may be and still be on time.</summary>
    /// <value>A non-negative duration; <see cref="Duration.Zero"/> for <see cref="Monotonous"/>.</value>
    public Duration Bound { get; }

    /// <summary>Gets the processing-time span without records after which an input counts as idle.</summary>
    /// <value>A positive duration, or null when the strategy has no idleness (the default).</value>
    public Duration? IdleTimeout { get; }

    /// <summary>
    /// Creates a strategy for records that arrive at most <paramref name="bound"/> out of order: the watermark is
    /// the largest timestamp seen minus <paramref name="bound"/> minus one tick.
    /// </summary>
    /// <param name="bound">
    /// The largest lag behind the newest timestamp seen that a record may have and still be on time. A record
    /// exactly <paramref name="bound"/> behind the newest is on time; one that is <paramref name="bound"/> plus
    /// one tick (100 ns) or more behind is late.
    /// </param>
    /// <returns>A strategy without idleness.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is negative.</exception>
    public static WatermarkStrategy BoundedOutOfOrderness(Duration bound)
    {
        if (bound < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(bound), bound, $"The out-of-orderness bound must not be negative; it was {bound}.");
        }

        return new WatermarkStrategy(bound, null);
    }

    /// <summary>
    /// Creates a strategy for timestamps that never decrease: the watermark is the largest timestamp seen minus one
    /// tick. Same as <see cref="BoundedOutOfOrderness(Duration)"/> with <see cref="Duration.Zero"/>.
    /// </summary>
    /// <returns>A strategy with a zero bound and without idleness.</returns>
    /// <remarks>
    /// Records with a timestamp equal to the newest one seen are never late; a record older than the newest one by
    /// one tick or more is late.
    /// </remarks>
    public static WatermarkStrategy Monotonous() => MonotonousInstance;

    /// <summary>
    /// Returns a strategy with the same bound whose generators report their input idle once no record arrived for
    /// <paramref name="idleTimeout"/> of processing time, and active again on the next record.
    /// </summary>
    /// <param name="idleTimeout">The processing-time span without records after which the input is idle.</param>
    /// <returns>A new strategy; this one is unchanged. Generators from it need a clock.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="idleTimeout"/> is zero or negative.</exception>
    /// <remarks>
    /// An input is idle when the time since its last record (or since the generator was created, if it saw no record
    /// yet) is greater than or equal to <paramref name="idleTimeout"/>. Idle inputs do not hold back the combined
    /// watermark of a <see cref="WatermarkTracker"/>.
    /// </remarks>
    public WatermarkStrategy WithIdleness(Duration idleTimeout)
    {
        if (idleTimeout <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(idleTimeout), idleTimeout, $"The idle timeout must be positive; it was {idleTimeout}.");
        }

        return new WatermarkStrategy(Bound, idleTimeout);
    }

    /// <summary>Creates a fresh generator for a strategy without idleness.</summary>
    /// <returns>A new generator whose watermark is <see cref="Instant.MinValue"/> and which is never idle.</returns>
    /// <exception cref="InvalidOperationException">
    /// The strategy has an idle timeout; use <see cref="CreateGenerator(IScheduler)"/> or
    /// <see cref="CreateGenerator(IClock)"/> to supply processing time.
    /// </exception>
    public IWatermarkGenerator CreateGenerator()
    {
        if (IdleTimeout is { } timeout)
        {
            throw new InvalidOperationException(
                $"This strategy has an idle timeout of {timeout} and needs a processing-time clock: "
                + "call CreateGenerator(IScheduler) or CreateGenerator(IClock).");
        }

        return new BoundedOutOfOrdernessGenerator(Bound, null, Duration.Zero);
    }

    /// <summary>Creates a fresh generator that measures idleness with the scheduler's <see cref="IScheduler.Now"/>.</summary>
    /// <param name="scheduler">The source of processing time, for example a <c>HistoricalScheduler</c> in tests.</param>
    /// <returns>A new generator whose watermark is <see cref="Instant.MinValue"/>; its idle timeout starts now.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    /// <remarks>For a strategy without idleness the scheduler is not used, and the generator is never idle.</remarks>
    public IWatermarkGenerator CreateGenerator(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return Create(new SchedulerClock(scheduler));
    }

    /// <summary>Creates a fresh generator that measures idleness with a NodaTime clock.</summary>
    /// <param name="clock">The source of processing time, for example a <c>FakeClock</c> in tests.</param>
    /// <returns>A new generator whose watermark is <see cref="Instant.MinValue"/>; its idle timeout starts now.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    /// <remarks>For a strategy without idleness the clock is not used, and the generator is never idle.</remarks>
    public IWatermarkGenerator CreateGenerator(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Create(clock);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IdleTimeout is { } timeout
            ? $"BoundedOutOfOrderness({Bound}).WithIdleness({timeout})"
            : $"BoundedOutOfOrderness({Bound})";

    private BoundedOutOfOrdernessGenerator Create(IClock clock) =>
        IdleTimeout is { } timeout
            ? new BoundedOutOfOrdernessGenerator(Bound, clock, timeout)
            : new BoundedOutOfOrdernessGenerator(Bound, null, Duration.Zero);
}
