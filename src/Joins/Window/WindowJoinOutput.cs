namespace Cep.Joins.Window;

/// <summary>What kind of output a <see cref="WindowJoinOutput{TKey, TLeft, TRight}"/> is.</summary>
public enum WindowJoinOutputKind
{
    /// <summary>A joined pair: <see cref="WindowJoinOutput{TKey, TLeft, TRight}.Left"/> and <see cref="WindowJoinOutput{TKey, TLeft, TRight}.Right"/>.</summary>
    Pair,

    /// <summary>A co-group: <see cref="WindowJoinOutput{TKey, TLeft, TRight}.LeftGroup"/> and <see cref="WindowJoinOutput{TKey, TLeft, TRight}.RightGroup"/>.</summary>
    CoGroup,

    /// <summary>A rejected left record: <see cref="WindowJoinOutput{TKey, TLeft, TRight}.LeftRejected"/>.</summary>
    LeftRejected,

    /// <summary>A rejected right record: <see cref="WindowJoinOutput{TKey, TLeft, TRight}.RightRejected"/>.</summary>
    RightRejected,
}

/// <summary>One output of <c>JoinObservable.WindowJoin</c> or <c>JoinObservable.CoGroup</c>: a pair, a co-group or a
/// rejected record. Only the properties of its <see cref="Kind"/> are set.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <threadsafety>Immutable; safe to share if the records are.</threadsafety>
public sealed class WindowJoinOutput<TKey, TLeft, TRight>
{
    internal WindowJoinOutput(WindowJoinOutputKind kind) => Kind = kind;

    /// <summary>Gets the kind of output.</summary>
    public WindowJoinOutputKind Kind { get; }

    /// <summary>Gets the key of a pair or co-group; default for rejected records (see their own key).</summary>
    public TKey Key { get; internal init; } = default!;

    /// <summary>Gets the window of a pair or co-group.</summary>
    public TimeWindow Window { get; internal init; }

    /// <summary>Gets the left record of a pair.</summary>
    public TLeft Left { get; internal init; } = default!;

    /// <summary>Gets the right record of a pair.</summary>
    public TRight Right { get; internal init; } = default!;

    /// <summary>Gets the left records of a co-group (a copy, in arrival order).</summary>
    public IReadOnlyList<TLeft> LeftGroup { get; internal init; } = [];

    /// <summary>Gets the right records of a co-group (a copy, in arrival order).</summary>
    public IReadOnlyList<TRight> RightGroup { get; internal init; } = [];

    /// <summary>Gets the firing number of a co-group: 1, or more when the window fired again.</summary>
    public int Firing { get; internal init; }

    /// <summary>Gets the rejected left record.</summary>
    public RejectedRecord<TKey, TLeft>? LeftRejected { get; internal init; }

    /// <summary>Gets the rejected right record.</summary>
    public RejectedRecord<TKey, TRight>? RightRejected { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        WindowJoinOutputKind.Pair => $"Pair {Key} {Window}: {Left} + {Right}",
        WindowJoinOutputKind.CoGroup => $"CoGroup {Key} {Window} #{Firing}: [{string.Join(", ", LeftGroup)}] [{string.Join(", ", RightGroup)}]",
        WindowJoinOutputKind.LeftRejected => $"LeftRejected {LeftRejected}",
        _ => $"RightRejected {RightRejected}",
    };
}
