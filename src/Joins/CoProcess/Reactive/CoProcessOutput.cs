using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>What a <see cref="CoProcessOutput{TKey, T1, T2, TOut}"/> carries.</summary>
public enum CoProcessOutputKind
{
    /// <summary>A record on the main output: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Value"/>.</summary>
    Output,

    /// <summary>A record on a side output: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Value"/> and <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Tag"/>.</summary>
    SideOutput,

    /// <summary>A late record of the first input: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Record1"/>.</summary>
    Late1,

    /// <summary>A late record of the second input: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Record2"/>.</summary>
    Late2,

    /// <summary>A record of the first input a user function failed on: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Record1"/> and <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Error"/>.</summary>
    Error1,

    /// <summary>A record of the second input a user function failed on: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Record2"/> and <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Error"/>.</summary>
    Error2,

    /// <summary>A timer whose <c>OnTimer</c> threw: <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Error"/> and <see cref="CoProcessOutput{TKey, T1, T2, TOut}.Domain"/>.</summary>
    TimerError,
}

/// <summary>One output of <see cref="ConnectedStreams{TKey, T1, T2}.Process{TOut}(Func{KeyedCoProcessFunction{TKey, T1, T2, TOut}}, KeyedCoProcessOptions{TKey}?)"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T1">The record type of the first input.</typeparam>
/// <typeparam name="T2">The record type of the second input.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record CoProcessOutput<TKey, T1, T2, TOut>
{
    /// <summary>Gets what this output carries.</summary>
    public required CoProcessOutputKind Kind { get; init; }

    /// <summary>Gets the key; the default value for an error raised by a key or timestamp selector.</summary>
    public required TKey? Key { get; init; }

    /// <summary>Gets the emitted record of a main or side output; the default value otherwise.</summary>
    public TOut? Value { get; init; }

    /// <summary>Gets the side output's name; null otherwise.</summary>
    public string? Tag { get; init; }

    /// <summary>Gets the first input's record of a late or error output; the default value otherwise.</summary>
    public T1? Record1 { get; init; }

    /// <summary>Gets the second input's record of a late or error output; the default value otherwise.</summary>
    public T2? Record2 { get; init; }

    /// <summary>Gets the timestamp: of the record or timer that emitted an output, of a late or failed record, or the time of a failed timer.</summary>
    public required Instant Timestamp { get; init; }

    /// <summary>Gets the input watermark a late record was late against; <see cref="Instant.MinValue"/> otherwise.</summary>
    public Instant Watermark { get; init; } = Instant.MinValue;

    /// <summary>Gets the exception of an error output; null otherwise.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets the domain of a failed timer; null otherwise.</summary>
    public TimeDomain? Domain { get; init; }
}
