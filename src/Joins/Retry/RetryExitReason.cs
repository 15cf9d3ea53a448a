namespace Cep.Joins.Retry;

/// <summary>Why a record left a retry queue without being joined.</summary>
public enum RetryExitReason
{
    /// <summary>The last attempt of the last level missed or failed.</summary>
    AttemptsExhausted,

    /// <summary>The record is older than <see cref="RetryQueueOptions{TKey, TIn, TValue}.Ttl"/>: the store cannot hold its
    /// value any more, so waiting longer is pointless. Checked before every attempt and when the age passes the TTL.</summary>
    TtlExceeded,

    /// <summary><see cref="RetryQueueOptions{TKey, TIn, TValue}.ShouldExit"/> returned true after a miss or a failure,
    /// or threw (then <see cref="RetryExpired{TKey, TIn}.LastError"/> holds its exception).</summary>
    Predicate,

    /// <summary>The final watermark (<see cref="NodaTime.Instant.MaxValue"/>) came: the record was attempted once more
    /// and missed or failed again.</summary>
    EndOfInput,

    /// <summary>The key selector threw for the record; <see cref="RetryExpired{TKey, TIn}.LastError"/> holds its exception.
    /// The record was never attempted.</summary>
    KeySelectorFailed,

    /// <summary>The record's timestamp was <see cref="NodaTime.Instant.MinValue"/> or <see cref="NodaTime.Instant.MaxValue"/>,
    /// which stand for "no time" and "end of input". The record was never attempted.</summary>
    InvalidTimestamp,
}
