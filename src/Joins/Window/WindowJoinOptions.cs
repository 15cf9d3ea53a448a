using Cep.State;
using NodaTime;

namespace Cep.Joins.Window;

/// <summary>What a <see cref="WindowJoinOperator{TKey, TLeft, TRight}"/> emits when a window fires.</summary>
public enum WindowJoinMode
{
    /// <summary>An inner join: every (left, right) pair of a key and window, through
    /// <see cref="IWindowJoinOutput{TKey, TLeft, TRight}.OnPair"/>; a window with records on one side only emits nothing.</summary>
    Inner,

    /// <summary>A co-group: both sides' records of a key and window as two lists, through
    /// <see cref="IWindowJoinOutput{TKey, TLeft, TRight}.OnCoGroup"/>, also when one side is empty.</summary>
    CoGroup,
}

/// <summary>What an inner join emits when a window fires again because a record arrived within the allowed lateness.</summary>
/// <remarks>Either way each firing walks the window's nested loop, O(left records × right records), as Flink does; with
/// <see cref="NewPairsOnly"/> the pairs already emitted are recognised and skipped, not stored.</remarks>
public enum LateFiringMode
{
    /// <summary>
    /// Only the pairs not emitted before (the default): each pair of a key and window is emitted exactly once, however many
    /// times the window fires. This differs from Flink, and is what most sinks want (no duplicates to remove).
    /// </summary>
    NewPairsOnly,

    /// <summary>Every pair in the window again, as Flink does: earlier pairs are emitted again at each firing.</summary>
    AllPairs,
}

/// <summary>Options of a <see cref="WindowJoinOperator{TKey, TLeft, TRight}"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class WindowJoinOptions<TKey, TLeft, TRight> : TwoInputSerializers<TKey, TLeft, TRight>
{
    /// <summary>Gets or sets whether the operator joins pairs or co-groups lists.</summary>
    /// <value>The default value is <see cref="WindowJoinMode.Inner"/>.</value>
    public WindowJoinMode Mode { get; set; } = WindowJoinMode.Inner;

    /// <summary>
    /// Gets or sets how long a window's state is kept after it fired: until the watermark passes its maximum timestamp
    /// plus this. A record arriving in that time is added and fires the window again at once.
    /// </summary>
    /// <value>The default value is <see cref="Duration.Zero"/>: state goes when the window fires.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public Duration AllowedLateness
    {
        get;
        set => field = value >= Duration.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The allowed lateness must not be negative; it was {value}.");
    } = Duration.Zero;

    /// <summary>Gets or sets what an inner join emits when a window fires again; co-groups always see both full lists.</summary>
    /// <value>The default value is <see cref="LateFiringMode.NewPairsOnly"/>.</value>
    public LateFiringMode LateFiring { get; set; } = LateFiringMode.NewPairsOnly;
}
