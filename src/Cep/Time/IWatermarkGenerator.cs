using NodaTime;

namespace Cep.Time;

/// <summary>
/// Tracks the event timestamps seen on one input and derives its watermark and idleness from them.
/// Instances come from <see cref="WatermarkStrategy.CreateGenerator()"/> and its overloads.
/// </summary>
/// <remarks>
/// <para>
/// A watermark <c>W</c> promises that no more records with a timestamp <c>&lt;= W</c> will arrive (Flink's
/// convention). A record whose timestamp is at or below the current watermark is <em>late</em>.
/// </para>
/// <para>
/// Before the first record, <see cref="CurrentWatermark"/> is <see cref="Instant.MinValue"/>, which promises
/// nothing except that records at <see cref="Instant.MinValue"/> itself are late; that value is reserved as
/// "no watermark yet" and should not be used as a record timestamp.
/// </para>
/// <para>
/// Idleness is measured in processing time from a clock given to the strategy; the generator never schedules
/// anything itself. An operator either polls <see cref="IsIdle"/> or schedules a processing-time timer at
/// <see cref="IdleDeadline"/>, and reports changes to a <see cref="WatermarkTracker"/>.
/// </para>
/// </remarks>
/// <threadsafety>Implementations are mutable and not thread-safe; use one generator per input, on one thread.</threadsafety>
public interface IWatermarkGenerator
{
    /// <summary>Gets the current watermark of this input.</summary>
    /// <value>
    /// The watermark derived from the records seen so far; <see cref="Instant.MinValue"/> before the first record.
    /// It never decreases.
    /// </value>
    Instant CurrentWatermark { get; }

    /// <summary>Gets a value indicating whether the input is idle at the current processing time.</summary>
    /// <value>
    /// True when the strategy has an idle timeout and no record arrived for at least that long in processing
    /// time (counted from the generator's creation if no record arrived yet); false otherwise, and always false
    /// for a strategy without idleness. The value is read from the clock on every access.
    /// </value>
    bool IsIdle { get; }

    /// <summary>Gets the processing-time instant at which the input becomes idle unless a record arrives first.</summary>
    /// <value>
    /// The time of the last record (or of the generator's creation) plus the idle timeout; null for a strategy
    /// without idleness. When <see cref="IsIdle"/> is true this instant is not in the future.
    /// </value>
    Instant? IdleDeadline { get; }

    /// <summary>Records that a record with the given event timestamp arrived.</summary>
    /// <param name="timestamp">The record's event timestamp; it may be older than earlier ones (out of order) or late.</param>
    /// <returns>True if <see cref="CurrentWatermark"/> advanced because of this record; otherwise false.</returns>
    /// <remarks>
    /// Every record, late or not, counts as activity: it makes an idle input active again and restarts the idle
    /// timeout from the current processing time.
    /// </remarks>
    bool OnEvent(Instant timestamp);
}
