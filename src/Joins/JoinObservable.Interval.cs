using Cep.Joins.Interval;
using Cep.Reactive;

namespace Cep.Joins;

/// <content>The interval join over two event-time streams.</content>
public static partial class JoinObservable
{
    /// <summary>
    /// Joins two event-time streams per key within relative time bounds (Flink's
    /// <c>a.intervalJoin(b).between(lower, upper)</c>): each left record <c>l</c> with each right record <c>r</c> of the same
    /// key such that <c>l.ts + lower &lt;= r.ts &lt;= l.ts + upper</c>. Each subscription runs its own
    /// <see cref="IntervalJoinOperator{TKey, TLeft, TRight}"/>; each side's watermark is the minimum over that stream's
    /// inputs (a completed input stops holding it back). When both streams have completed, a final watermark of
    /// <see cref="NodaTime.Instant.MaxValue"/> releases every buffered record (reporting the unmatched ones of outer sides)
    /// and the sequence completes.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TLeft">The left record type.</typeparam>
    /// <typeparam name="TRight">The right record type.</typeparam>
    /// <param name="left">The left stream.</param>
    /// <param name="right">The right stream.</param>
    /// <param name="leftKeySelector">Reads a left record's key.</param>
    /// <param name="rightKeySelector">Reads a right record's key.</param>
    /// <param name="bounds">Where a right record may be relative to a left record to join it.</param>
    /// <param name="joinType">Which unmatched records are reported; <see cref="IntervalJoinType.Inner"/> by default.</param>
    /// <returns>Pairs, unmatched records and late records, as <see cref="IntervalJoinOutput{TKey, TLeft, TRight}"/>. An
    /// exception from a key or timestamp selector ends the sequence with <c>OnError</c>, as does an error of either stream.</returns>
    /// <exception cref="ArgumentNullException">A stream or key selector is null.</exception>
    /// <exception cref="ArgumentException">A stream is in processing time (interval joins are event-time only), or has an
    /// input whose watermark strategy has an idle timeout (not supported here).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="joinType"/> is not a defined join type.</exception>
    public static IObservable<IntervalJoinOutput<TKey, TLeft, TRight>> IntervalJoin<TKey, TLeft, TRight>(
        this EventStream<TLeft> left,
        EventStream<TRight> right,
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        JoinBounds bounds,
        IntervalJoinType joinType = IntervalJoinType.Inner)
        where TKey : notnull
    {
        RequireNotNull(left, right, leftKeySelector, rightKeySelector);
        RequireEventTime(left, right, IntervalProcessingTimeMessage, IntervalIdleMessage);
        var options = new IntervalJoinOptions<TKey, TLeft, TRight> { JoinType = joinType };
        return new TwoInputObservable<TLeft, TRight, IntervalJoinOutput<TKey, TLeft, TRight>>(left, right, observer =>
        {
            var op = new IntervalJoinOperator<TKey, TLeft, TRight>(
                leftKeySelector, rightKeySelector, bounds, new IntervalJoinNotifier<TKey, TLeft, TRight>(observer), options);
            // An exception from a timestamp or key selector ends the sequence.
            return new(observer, op.OnLeft, op.OnRight, op.OnLeftWatermark, op.OnRightWatermark) { FailOnRecordError = true };
        });
    }

    private const string IntervalProcessingTimeMessage = "Interval joins are event-time only; the stream is in processing time.";

    private const string IntervalIdleMessage = "The interval join does not support watermark strategies with an idle timeout.";
}
