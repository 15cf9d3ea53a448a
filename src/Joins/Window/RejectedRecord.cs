using NodaTime;

namespace Cep.Joins.Window;

/// <summary>Why a join operator did not put a record into any window.</summary>
public enum RejectReason
{
    /// <summary>
    /// The record is late: every window it belongs to has already fired and is past its allowed lateness (its maximum
    /// timestamp plus the allowed lateness is at or below the watermark), so its state is gone.
    /// </summary>
    Late,

    /// <summary>The window assigner gives the record no window at all: sliding windows whose slide is longer than their
    /// size leave gaps between windows. (Flink drops such records silently.)</summary>
    NoWindow,

    /// <summary>The key selector threw; <see cref="RejectedRecord{TKey, T}.Error"/> holds the exception.</summary>
    KeySelectorFailed,

    /// <summary>The timestamp selector of an observable stream threw (see <c>JoinObservable</c>);
    /// <see cref="RejectedRecord{TKey, T}.Error"/> holds the exception and the timestamp is <see cref="Instant.MinValue"/>.</summary>
    TimestampSelectorFailed,

    /// <summary>The timestamp is <see cref="Instant.MinValue"/> or <see cref="Instant.MaxValue"/>, which stand for
    /// "no time" and "end of input" and belong to no window.</summary>
    InvalidTimestamp,
}

/// <summary>A record a join operator rejected, with its key, input and reason: the late-data (and dead-letter) output.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Input">The input the record came from: 0 for the left and 1 for the right input of a window join, the
/// input index for a multi-stream join.</param>
/// <param name="Key">The record's key; the default value if the key selector threw.</param>
/// <param name="Value">The record.</param>
/// <param name="Timestamp">The record's timestamp.</param>
/// <param name="Watermark">The operator's watermark when the record arrived.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="Error">The key selector's exception for <see cref="RejectReason.KeySelectorFailed"/>; otherwise null.</param>
/// <threadsafety>Immutable if the key and value are; safe to pass between threads.</threadsafety>
public sealed record RejectedRecord<TKey, T>(int Input, TKey? Key, T Value, Instant Timestamp, Instant Watermark, RejectReason Reason, Exception? Error);
