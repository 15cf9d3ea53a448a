using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>A record of a retry queue whose key was found: the record joined with the store's value.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The store's value type.</typeparam>
/// <param name="Key">The record's key.</param>
/// <param name="Record">The record.</param>
/// <param name="Timestamp">The record's timestamp.</param>
/// <param name="Value">The value the store returned for the key.</param>
/// <param name="Level">The level of the successful attempt, 1 for the first level.</param>
/// <param name="Attempt">The number of the successful attempt within its level, 1 for the first.</param>
/// <param name="TotalAttempts">The number of attempts over all levels, the successful one included.</param>
/// <param name="At">The operator's time of the successful attempt (a watermark in event time, the scheduler's clock in
/// processing time).</param>
/// <threadsafety>Immutable if the key, record and value are.</threadsafety>
public sealed record RetryJoined<TKey, TIn, TValue>(
    TKey Key, TIn Record, Instant Timestamp, TValue Value, int Level, int Attempt, int TotalAttempts, Instant At);

/// <summary>A record that left a retry queue without a value: the expired side output, with the reason.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <param name="Key">The record's key; the default value if the key selector threw.</param>
/// <param name="Record">The record.</param>
/// <param name="Timestamp">The record's timestamp.</param>
/// <param name="Reason">Why it left.</param>
/// <param name="Level">The level it was at, 1 for the first level.</param>
/// <param name="Attempt">The attempts made at that level.</param>
/// <param name="TotalAttempts">The attempts made over all levels.</param>
/// <param name="LastError">The exception of the last failed round trip if the last attempt failed (a miss clears it), the
/// predicate's or key selector's exception for those reasons; otherwise null. After a restore from a snapshot it is a
/// <see cref="RetryRestoredError"/> carrying the original type and message.</param>
/// <param name="At">The operator's time when the record exited.</param>
/// <threadsafety>Immutable if the key and record are.</threadsafety>
public sealed record RetryExpired<TKey, TIn>(
    TKey? Key, TIn Record, Instant Timestamp, RetryExitReason Reason, int Level, int Attempt, int TotalAttempts, Exception? LastError, Instant At);

/// <summary>What the exit predicate of a retry queue sees after an attempt that missed or failed.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <param name="Key">The record's key.</param>
/// <param name="Record">The record.</param>
/// <param name="Timestamp">The record's timestamp.</param>
/// <param name="Level">The level of the attempt, 1 for the first level.</param>
/// <param name="Attempt">The number of the attempt within its level, 1 for the first.</param>
/// <param name="TotalAttempts">The attempts made over all levels, this one included.</param>
/// <param name="Error">The round trip's exception, or null for a miss.</param>
/// <param name="Now">The operator's time of the attempt.</param>
/// <threadsafety>Immutable if the key and record are.</threadsafety>
public readonly record struct RetryAttemptContext<TKey, TIn>(
    TKey Key, TIn Record, Instant Timestamp, int Level, int Attempt, int TotalAttempts, Exception? Error, Instant Now);

/// <summary>Stands for a lookup exception that a snapshot carried: exceptions are not serialized, their type and message are.</summary>
/// <param name="originalType">The full name of the original exception's type.</param>
/// <param name="message">The original message.</param>
/// <threadsafety>Immutable.</threadsafety>
public sealed class RetryRestoredError(string originalType, string message) : Exception(message)
{
    /// <summary>Gets the full name of the original exception's type.</summary>
    public string OriginalType { get; } = originalType;
}

/// <summary>Where a <see cref="RetryQueueOperator{TKey, TIn, TValue}"/> sends the records that leave it. Every record that
/// enters ends in exactly one place: <see cref="OnJoined"/>, <see cref="OnExpired"/>, or the queue's live state.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The store's value type.</typeparam>
/// <remarks>Called from inside the operator's methods (or its processing-time timers), never concurrently. An exception
/// thrown here passes through the call that caused it and leaves the operator's state unspecified: restore it from a
/// snapshot taken before.</remarks>
public interface IRetryQueueOutput<TKey, TIn, TValue>
{
    /// <summary>A record whose key was found.</summary>
    /// <param name="joined">The record, the value and the attempt that found it.</param>
    void OnJoined(RetryJoined<TKey, TIn, TValue> joined);

    /// <summary>A record that left without a value.</summary>
    /// <param name="expired">The record, the reason and the attempts made.</param>
    void OnExpired(RetryExpired<TKey, TIn> expired);
}
