using Cep.Operators;
using NodaTime;

namespace Cep.Reactive;

/// <summary>What a <see cref="PatternOutput{TKey, T}"/> carries.</summary>
public enum PatternOutputKind
{
    /// <summary>A completed match: <see cref="PatternOutput{TKey, T}.Match"/> holds its events.</summary>
    Match,

    /// <summary>A partial match discarded by its window: <see cref="PatternOutput{TKey, T}.Match"/> holds the events it had.</summary>
    Timeout,

    /// <summary>A record at or below the watermark: <see cref="PatternOutput{TKey, T}.Record"/> holds it.</summary>
    Late,

    /// <summary>A record for which a user function threw: <see cref="PatternOutput{TKey, T}.Record"/> and <see cref="PatternOutput{TKey, T}.Error"/>.</summary>
    Error,
}

/// <summary>
/// One output of <see cref="CepObservable.Match{TKey, T}(KeyedEventStream{TKey, T}, Patterns.Pattern{T}, CepOperatorOptions{T}?)"/>:
/// a match, a timed-out partial match, a late record, or a record a user function failed on.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record PatternOutput<TKey, T>
{
    /// <summary>Gets what this output carries.</summary>
    public required PatternOutputKind Kind { get; init; }

    /// <summary>Gets the key; the default value for an error raised by the key selector itself.</summary>
    public required TKey? Key { get; init; }

    /// <summary>Gets the events of a match or timed-out partial match; null for late records and errors.</summary>
    public Match<T>? Match { get; init; }

    /// <summary>Gets the record of a late or error output; the default value otherwise.</summary>
    public T? Record { get; init; }

    /// <summary>
    /// Gets the time of the output: the last event of a match, the time a partial match timed out, or the record's
    /// timestamp for late and error outputs.
    /// </summary>
    public required Instant Timestamp { get; init; }

    /// <summary>Gets the watermark a late record was late against; <see cref="Instant.MinValue"/> otherwise.</summary>
    public Instant Watermark { get; init; } = Instant.MinValue;

    /// <summary>Gets the exception of an error output; null otherwise.</summary>
    public Exception? Error { get; init; }
}
