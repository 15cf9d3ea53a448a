using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>Which clock measures a timer or a state time-to-live.</summary>
public enum TimeDomain
{
    /// <summary>Event time: measured against the operator's watermark.</summary>
    EventTime,

    /// <summary>Processing time: measured by the operator's <see cref="System.Reactive.Concurrency.IScheduler"/>.</summary>
    ProcessingTime,
}

/// <summary>
/// A time-to-live for the values of one keyed state: a value (a list element, a map entry) expires
/// <see cref="Ttl"/> after it was last written.
/// </summary>
/// <remarks>
/// <para>In <see cref="TimeDomain.EventTime"/> a value is stamped with the timestamp of the record or event-time timer being
/// processed when it is written (with the watermark, in a processing-time timer), and has expired once the operator's
/// watermark reaches <c>stamp + Ttl</c>. Expiry is then
/// deterministic and survives replays; Flink offers processing-time TTL only. In <see cref="TimeDomain.ProcessingTime"/>
/// the stamp and the expiry check use the scheduler's clock, as in Flink.</para>
/// <para>Expired values are never returned (Flink's <c>NeverReturnExpired</c>). They are also removed from the operator:
/// event-time values when the watermark passes their expiry, processing-time values at the first operator call (record,
/// watermark or timer wake-up) after their expiry, so state stays bounded without reads. Only writes refresh a stamp
/// (Flink's <c>OnCreateAndWrite</c>).</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record StateTtl
{
    private StateTtl(TimeDomain domain, Duration ttl)
    {
        if (ttl <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"A state time-to-live must be positive; it was {ttl}.");
        }

        Domain = domain;
        Ttl = ttl;
    }

    /// <summary>Gets the clock that measures the time-to-live.</summary>
    public TimeDomain Domain { get; }

    /// <summary>Gets how long a value lives after its last write.</summary>
    public Duration Ttl { get; }

    internal long TtlTicks => Ttl.BclCompatibleTicks;

    /// <summary>Creates an event-time time-to-live: a value expires when the watermark reaches its write time plus <paramref name="ttl"/>.</summary>
    /// <param name="ttl">The time-to-live; positive.</param>
    /// <returns>The time-to-live.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    public static StateTtl EventTime(Duration ttl) => new(TimeDomain.EventTime, ttl);

    /// <summary>Creates a processing-time time-to-live: a value expires when the scheduler's clock reaches its write time plus <paramref name="ttl"/>.</summary>
    /// <param name="ttl">The time-to-live; positive.</param>
    /// <returns>The time-to-live.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    public static StateTtl ProcessingTime(Duration ttl) => new(TimeDomain.ProcessingTime, ttl);
}
