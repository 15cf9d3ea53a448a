using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>Why a record's lookup failed.</summary>
public enum LookupFailureReason
{
    /// <summary>The round trip threw (or returned null); the exception is the source's.</summary>
    SourceFailed,

    /// <summary>The round trip did not answer within <see cref="AsyncLookupOptions.Timeout"/>; the exception is a
    /// <see cref="TimeoutException"/>.</summary>
    Timeout,

    /// <summary>The key selector threw, or returned null; the record was not looked up.</summary>
    KeySelectorFailed,
}

/// <summary>Why a record was not taken in.</summary>
public enum LookupRejectReason
{
    /// <summary><see cref="AsyncLookupOptions.Capacity"/> records were in flight and the full mode is
    /// <see cref="LookupFullMode.Reject"/>.</summary>
    CapacityFull,
}

/// <summary>
/// Where an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/> sends its results. Every record given to the operator
/// reaches exactly one of <see cref="OnJoined"/>, <see cref="OnMiss"/>, <see cref="OnFailed"/> and
/// <see cref="OnRejected"/>, or is still in flight.
/// </summary>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The looked-up value type.</typeparam>
/// <remarks>Joined, missed and failed records keep the order rules of the operator (input order when ordered; never
/// across a watermark when unordered). A rejected record is reported at once, when it arrives.</remarks>
/// <threadsafety>Called only during a call to the operator, on the caller's thread (or the thread that resumed a
/// waiting call); never concurrently.</threadsafety>
public interface ILookupOutput<in TIn, in TValue>
{
    /// <summary>The key was found: the record with its value.</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="value">The value the source (or the cache) holds for its key.</param>
    void OnJoined(TIn record, Instant timestamp, TValue value);

    /// <summary>The key was not found (the source did not return it, or the cache holds a miss for it).</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    void OnMiss(TIn record, Instant timestamp);

    /// <summary>The lookup failed.</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="reason">Why.</param>
    /// <param name="error">The exception: the source's, a <see cref="TimeoutException"/>, or the key selector's.</param>
    void OnFailed(TIn record, Instant timestamp, LookupFailureReason reason, Exception error);

    /// <summary>The record was not taken in.</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="reason">Why.</param>
    void OnRejected(TIn record, Instant timestamp, LookupRejectReason reason);

    /// <summary>The operator's watermark advanced: every result of a record that arrived before this watermark was
    /// emitted before it, and every later one will be emitted after it.</summary>
    /// <param name="watermark">The watermark.</param>
    void OnWatermark(Instant watermark);
}
