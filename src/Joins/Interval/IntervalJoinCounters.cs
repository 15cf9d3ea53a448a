namespace Cep.Joins.Interval;

/// <summary>
/// The counters of an <see cref="IntervalJoinOperator{TKey, TLeft, TRight}"/>. Every record given to the operator ends
/// in exactly one of four places, so the counters of each side balance:
/// <c>LeftIn = LeftLate + LeftBuffered + LeftReleasedJoined + LeftReleasedUnmatched</c>, and the same for the right side.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Late</b>: the record's timestamp was at or below its input's watermark; it went to the late output.</item>
/// <item><b>Buffered</b> (a gauge): the record is in live state, because a partner may still arrive. It may already have
/// joined.</item>
/// <item><b>Released joined</b>: the record has left the state (or never entered it, its window having closed before it
/// arrived) after joining at least one partner.</item>
/// <item><b>Released unmatched</b>: the record has left the state (or never entered it) without a partner. In an outer
/// join on its side it was reported to the unmatched output; otherwise it is simply not part of any result.</item>
/// </list>
/// <see cref="Pairs"/> counts joined pairs; a record may be in many pairs. <see cref="Keys"/> and
/// <see cref="PendingTimers"/> are gauges too.
/// </remarks>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class IntervalJoinCounters
{
    internal long LeftInCount;
    internal long RightInCount;
    internal long LeftLateCount;
    internal long RightLateCount;
    internal long LeftBufferedCount;
    internal long RightBufferedCount;
    internal long LeftJoinedCount;
    internal long RightJoinedCount;
    internal long LeftUnmatchedCount;
    internal long RightUnmatchedCount;
    internal long PairCount;
    internal long KeyCount;
    internal long TimerCount;

    /// <summary>Gets the number of left records given to the operator.</summary>
    public long LeftIn => Volatile.Read(ref LeftInCount);

    /// <summary>Gets the number of right records given to the operator.</summary>
    public long RightIn => Volatile.Read(ref RightInCount);

    /// <summary>Gets the number of left records that were late and went to the late output.</summary>
    public long LeftLate => Volatile.Read(ref LeftLateCount);

    /// <summary>Gets the number of right records that were late and went to the late output.</summary>
    public long RightLate => Volatile.Read(ref RightLateCount);

    /// <summary>Gets the number of left records in live state.</summary>
    public long LeftBuffered => Volatile.Read(ref LeftBufferedCount);

    /// <summary>Gets the number of right records in live state.</summary>
    public long RightBuffered => Volatile.Read(ref RightBufferedCount);

    /// <summary>Gets the number of left records released after joining at least one right record.</summary>
    public long LeftReleasedJoined => Volatile.Read(ref LeftJoinedCount);

    /// <summary>Gets the number of right records released after joining at least one left record.</summary>
    public long RightReleasedJoined => Volatile.Read(ref RightJoinedCount);

    /// <summary>Gets the number of left records released without a partner (reported as unmatched in a left or full outer join).</summary>
    public long LeftReleasedUnmatched => Volatile.Read(ref LeftUnmatchedCount);

    /// <summary>Gets the number of right records released without a partner (reported as unmatched in a right or full outer join).</summary>
    public long RightReleasedUnmatched => Volatile.Read(ref RightUnmatchedCount);

    /// <summary>Gets the number of joined pairs emitted.</summary>
    public long Pairs => Volatile.Read(ref PairCount);

    /// <summary>Gets the number of keys with live state.</summary>
    public long Keys => Volatile.Read(ref KeyCount);

    /// <summary>Gets the number of pending cleanup timers: always exactly one per buffered record, so
    /// <c>LeftBuffered + RightBuffered</c>; all are gone once the join's watermark reaches <see cref="NodaTime.Instant.MaxValue"/>.</summary>
    public long PendingTimers => Volatile.Read(ref TimerCount);

    /// <summary>Gets a value indicating whether both sides balance (see <see cref="IntervalJoinCounters"/>).</summary>
    public bool Balanced =>
        LeftIn == LeftLate + LeftBuffered + LeftReleasedJoined + LeftReleasedUnmatched
        && RightIn == RightLate + RightBuffered + RightReleasedJoined + RightReleasedUnmatched;

    /// <inheritdoc/>
    public override string ToString() =>
        $"left: in={LeftIn} late={LeftLate} buffered={LeftBuffered} joined={LeftReleasedJoined} unmatched={LeftReleasedUnmatched}; " +
        $"right: in={RightIn} late={RightLate} buffered={RightBuffered} joined={RightReleasedJoined} unmatched={RightReleasedUnmatched}; " +
        $"pairs={Pairs} keys={Keys} timers={PendingTimers}";
}
