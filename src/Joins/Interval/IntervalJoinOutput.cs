using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>What an <see cref="IntervalJoinOutput{TKey, TLeft, TRight}"/> carries.</summary>
public enum IntervalJoinOutputKind
{
    /// <summary>A joined pair: <c>Left</c>, <c>Right</c>, both timestamps, and the pair's timestamp (the later one).</summary>
    Pair,

    /// <summary>A left record that joined nothing (left and full outer joins), once its window closed: <c>Left</c> and <c>LeftTimestamp</c>.</summary>
    UnmatchedLeft,

    /// <summary>A right record that joined nothing (right and full outer joins), once its window closed: <c>Right</c> and <c>RightTimestamp</c>.</summary>
    UnmatchedRight,

    /// <summary>A left record at or below the left watermark: <c>Left</c>, <c>LeftTimestamp</c> and <c>Watermark</c>.</summary>
    LateLeft,

    /// <summary>A right record at or below the right watermark: <c>Right</c>, <c>RightTimestamp</c> and <c>Watermark</c>.</summary>
    LateRight,
}

/// <summary>One output of <c>JoinObservable.IntervalJoin</c>: a pair, an unmatched record or a late record.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record IntervalJoinOutput<TKey, TLeft, TRight>
{
    /// <summary>Gets what this output carries.</summary>
    public required IntervalJoinOutputKind Kind { get; init; }

    /// <summary>Gets the key of the record or records.</summary>
    public required TKey Key { get; init; }

    /// <summary>Gets the left record; the default value for outputs about a right record only.</summary>
    public TLeft? Left { get; init; }

    /// <summary>Gets the right record; the default value for outputs about a left record only.</summary>
    public TRight? Right { get; init; }

    /// <summary>Gets the left record's timestamp; <see cref="Instant.MinValue"/> when there is no left record.</summary>
    public Instant LeftTimestamp { get; init; } = Instant.MinValue;

    /// <summary>Gets the right record's timestamp; <see cref="Instant.MinValue"/> when there is no right record.</summary>
    public Instant RightTimestamp { get; init; } = Instant.MinValue;

    /// <summary>Gets the output's timestamp: the later of both timestamps for a pair, the record's own timestamp otherwise.</summary>
    public required Instant Timestamp { get; init; }

    /// <summary>Gets the watermark a late record was late against; <see cref="Instant.MinValue"/> otherwise.</summary>
    public Instant Watermark { get; init; } = Instant.MinValue;
}
