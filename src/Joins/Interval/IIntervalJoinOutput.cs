using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>
/// Where an <see cref="IntervalJoinOperator{TKey, TLeft, TRight}"/> sends what it produces: joined pairs, unmatched
/// records (outer joins only) and late records of either side.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <remarks>Called synchronously on the thread that drives the operator, from inside its methods; an implementation must
/// not call back into the operator.</remarks>
/// <threadsafety>Called from one thread at a time: the thread that drives the operator.</threadsafety>
public interface IIntervalJoinOutput<TKey, TLeft, TRight>
{
    /// <summary>A left and a right record of the same key satisfy the join bounds. Each such pair is reported exactly once.</summary>
    /// <param name="key">The key of both records.</param>
    /// <param name="left">The left record.</param>
    /// <param name="leftTimestamp">The left record's timestamp.</param>
    /// <param name="right">The right record.</param>
    /// <param name="rightTimestamp">The right record's timestamp.</param>
    /// <param name="timestamp">The pair's timestamp: the later of the two timestamps.</param>
    void OnJoined(TKey key, TLeft left, Instant leftTimestamp, TRight right, Instant rightTimestamp, Instant timestamp);

    /// <summary>
    /// In a <see cref="IntervalJoinType.LeftOuter"/> or <see cref="IntervalJoinType.FullOuter"/> join, a left record joined
    /// nothing and no right record that could join it can arrive any more. Reported once, and never followed by a pair
    /// with this record.
    /// </summary>
    /// <param name="key">The record's key.</param>
    /// <param name="left">The record.</param>
    /// <param name="timestamp">The record's own timestamp (the combined watermark has already passed it).</param>
    void OnUnmatchedLeft(TKey key, TLeft left, Instant timestamp);

    /// <summary>
    /// In a <see cref="IntervalJoinType.RightOuter"/> or <see cref="IntervalJoinType.FullOuter"/> join, a right record
    /// joined nothing and no left record that could join it can arrive any more. Reported once, and never followed by a
    /// pair with this record.
    /// </summary>
    /// <param name="key">The record's key.</param>
    /// <param name="right">The record.</param>
    /// <param name="timestamp">The record's own timestamp (the combined watermark has already passed it).</param>
    void OnUnmatchedRight(TKey key, TRight right, Instant timestamp);

    /// <summary>A left record arrived with a timestamp at or below the left input's watermark; it was not joined.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="left">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="watermark">The left input's watermark it was late against.</param>
    void OnLateLeft(TKey key, TLeft left, Instant timestamp, Instant watermark);

    /// <summary>A right record arrived with a timestamp at or below the right input's watermark; it was not joined.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="right">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="watermark">The right input's watermark it was late against.</param>
    void OnLateRight(TKey key, TRight right, Instant timestamp, Instant watermark);
}
