namespace Cep.Joins.Window;

/// <summary>
/// Where a <see cref="WindowJoinOperator{TKey, TLeft, TRight}"/> sends what it produces. Every record that enters the
/// operator ends in exactly one place: in the state of one or more windows (and from there in the pairs or co-groups
/// those windows emit), or in <see cref="OnLeftRejected"/> / <see cref="OnRightRejected"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <remarks>Called on the thread that drives the operator, from inside its methods. An exception thrown here passes
/// through the operator call that caused it and leaves the operator's state unspecified (a window may be left half
/// fired): restore the operator from a snapshot taken before that call.</remarks>
public interface IWindowJoinOutput<TKey, TLeft, TRight>
{
    /// <summary>A joined pair (inner mode). Its event timestamp is <see cref="TimeWindow.MaxTimestamp"/> of the window.</summary>
    /// <param name="key">The key both records share.</param>
    /// <param name="window">The window both records are in.</param>
    /// <param name="left">The left record.</param>
    /// <param name="right">The right record.</param>
    void OnPair(TKey key, TimeWindow window, TLeft left, TRight right);

    /// <summary>The contents of a key's window (co-group mode), also when one side is empty. Its event timestamp is
    /// <see cref="TimeWindow.MaxTimestamp"/> of the window.</summary>
    /// <param name="key">The key.</param>
    /// <param name="window">The window.</param>
    /// <param name="left">The left records in arrival order; valid only during this call.</param>
    /// <param name="right">The right records in arrival order; valid only during this call.</param>
    /// <param name="firing">1 the first time this window fires, 2 and up when a record within the allowed lateness
    /// (or a merge of sessions) fired it again; the lists then hold everything, earlier records included.</param>
    void OnCoGroup(TKey key, TimeWindow window, IReadOnlyList<TLeft> left, IReadOnlyList<TRight> right, int firing);

    /// <summary>A left record went into no window.</summary>
    /// <param name="record">The record, its key and the reason.</param>
    void OnLeftRejected(RejectedRecord<TKey, TLeft> record);

    /// <summary>A right record went into no window.</summary>
    /// <param name="record">The record, its key and the reason.</param>
    void OnRightRejected(RejectedRecord<TKey, TRight> record);
}
