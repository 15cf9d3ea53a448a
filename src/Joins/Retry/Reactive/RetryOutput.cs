namespace Cep.Joins.Retry;

/// <summary>What a <see cref="RetryOutput{TKey, TIn, TValue}"/> carries.</summary>
public enum RetryOutputKind
{
    /// <summary>An attempt found the record's key: <see cref="RetryOutput{TKey, TIn, TValue}.Joined"/>.</summary>
    Joined,

    /// <summary>The record left without a value, with a reason, its level and attempts:
    /// <see cref="RetryOutput{TKey, TIn, TValue}.Expired"/>.</summary>
    Expired,

    /// <summary>The record's timestamp selector threw; the record never reached the queue (and is not in its counters):
    /// <see cref="RetryOutput{TKey, TIn, TValue}.Record"/> and <see cref="RetryOutput{TKey, TIn, TValue}.Error"/>.</summary>
    Error,
}

/// <summary>One output of <c>JoinObservable.RetryQueue</c>: a record joined, expired, or with a failing timestamp selector.</summary>
/// <typeparam name="TKey">The lookup key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The store's value type.</typeparam>
/// <threadsafety>Immutable if the key, record and value are.</threadsafety>
public sealed record RetryOutput<TKey, TIn, TValue>
{
    /// <summary>Gets what this output carries.</summary>
    public required RetryOutputKind Kind { get; init; }

    /// <summary>Gets the record (of every kind).</summary>
    public required TIn Record { get; init; }

    /// <summary>Gets the joined record with its value and the attempt that found it; null unless <see cref="Kind"/> is
    /// <see cref="RetryOutputKind.Joined"/>.</summary>
    public RetryJoined<TKey, TIn, TValue>? Joined { get; init; }

    /// <summary>Gets the expired record with its reason, level and attempts; null unless <see cref="Kind"/> is
    /// <see cref="RetryOutputKind.Expired"/>.</summary>
    public RetryExpired<TKey, TIn>? Expired { get; init; }

    /// <summary>Gets the timestamp selector's exception; null unless <see cref="Kind"/> is <see cref="RetryOutputKind.Error"/>
    /// (an expired record's last exception is <see cref="RetryExpired{TKey, TIn}.LastError"/>).</summary>
    public Exception? Error { get; init; }
}
