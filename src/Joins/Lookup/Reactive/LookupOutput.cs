using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>What a <see cref="LookupOutput{TIn, TValue}"/> carries.</summary>
public enum LookupOutputKind
{
    /// <summary>The record's key was found: <see cref="LookupOutput{TIn, TValue}.Record"/> and <see cref="LookupOutput{TIn, TValue}.Value"/>.</summary>
    Joined,

    /// <summary>The record's key was not found (a normal outcome, e.g. for a retry queue): <see cref="LookupOutput{TIn, TValue}.Record"/>.</summary>
    Missed,

    /// <summary>The record's lookup failed (the round trip threw or timed out, or the key selector threw):
    /// <see cref="LookupOutput{TIn, TValue}.Record"/>, <see cref="LookupOutput{TIn, TValue}.FailureReason"/> and
    /// <see cref="LookupOutput{TIn, TValue}.Error"/>.</summary>
    Failed,

    /// <summary>The record was not taken in because the operator was full in <see cref="LookupFullMode.Reject"/> mode:
    /// <see cref="LookupOutput{TIn, TValue}.Record"/> and <see cref="LookupOutput{TIn, TValue}.RejectReason"/>.</summary>
    Rejected,

    /// <summary>The record's timestamp selector threw; the record never reached the operator (and is not in its counters):
    /// <see cref="LookupOutput{TIn, TValue}.Record"/> and <see cref="LookupOutput{TIn, TValue}.Error"/>.</summary>
    Error,

    /// <summary>The operator's watermark advanced to <see cref="LookupOutput{TIn, TValue}.Timestamp"/>: every result of a
    /// record that arrived before it came before this output, and every later one comes after it.</summary>
    Watermark,
}

/// <summary>
/// One output of <c>JoinObservable.AsyncLookup</c>: a record joined with its value, missed, failed, rejected or with a
/// failing timestamp selector, or a watermark.
/// </summary>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The looked-up value type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record LookupOutput<TIn, TValue>
{
    /// <summary>Gets what this output carries.</summary>
    public required LookupOutputKind Kind { get; init; }

    /// <summary>Gets the record; the default value for a watermark.</summary>
    public TIn? Record { get; init; }

    /// <summary>Gets the value found for the record's key; the default value unless <see cref="Kind"/> is
    /// <see cref="LookupOutputKind.Joined"/>.</summary>
    public TValue? Value { get; init; }

    /// <summary>Gets the record's timestamp (<see cref="Instant.MinValue"/> when its timestamp selector threw), or the
    /// watermark.</summary>
    public required Instant Timestamp { get; init; }

    /// <summary>Gets why the lookup failed; null unless <see cref="Kind"/> is <see cref="LookupOutputKind.Failed"/>.</summary>
    public LookupFailureReason? FailureReason { get; init; }

    /// <summary>Gets why the record was rejected; null unless <see cref="Kind"/> is <see cref="LookupOutputKind.Rejected"/>.</summary>
    public LookupRejectReason? RejectReason { get; init; }

    /// <summary>Gets the exception of a failed lookup (the source's, a <see cref="TimeoutException"/>, or the key
    /// selector's) or of a failing timestamp selector; null otherwise.</summary>
    public Exception? Error { get; init; }
}
