using Cep.Joins.Window;
using Cep.Reactive;
using NodaTime;

namespace Cep.Joins;

/// <content>Window joins and co-groups over two event-time streams.</content>
public static partial class JoinObservable
{
    /// <summary>
    /// Joins two event-time streams per key and window (Flink's <c>a.join(b).where(k1).equalTo(k2).window(assigner)</c>):
    /// every (left, right) pair of a key and window, when the minimum of both streams' watermarks passes the window's end
    /// − 1 tick. Each subscription runs its own <see cref="WindowJoinOperator{TKey, TLeft, TRight}"/>; when every input has
    /// completed, the remaining windows fire and the sequence completes.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TLeft">The left record type.</typeparam>
    /// <typeparam name="TRight">The right record type.</typeparam>
    /// <param name="left">The left stream.</param>
    /// <param name="right">The right stream.</param>
    /// <param name="leftKeySelector">Reads a left record's key.</param>
    /// <param name="rightKeySelector">Reads a right record's key.</param>
    /// <param name="assigner">The windows.</param>
    /// <param name="options">Allowed lateness and late-firing mode; the mode is set to <see cref="WindowJoinMode.Inner"/>.</param>
    /// <returns>Pairs, and rejected (late or failed) records, as <see cref="WindowJoinOutput{TKey, TLeft, TRight}"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A stream is in processing time, or has an input whose watermark strategy has an
    /// idle timeout (not supported here).</exception>
    public static IObservable<WindowJoinOutput<TKey, TLeft, TRight>> WindowJoin<TKey, TLeft, TRight>(
        this EventStream<TLeft> left,
        EventStream<TRight> right,
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        WindowAssigner assigner,
        WindowJoinOptions<TKey, TLeft, TRight>? options = null)
        where TKey : notnull =>
        CreateWindowJoin(left, right, leftKeySelector, rightKeySelector, assigner, options, WindowJoinMode.Inner);

    /// <summary>
    /// Co-groups two event-time streams per key and window (Flink's <c>a.coGroup(b)...window(assigner)</c>): both sides'
    /// records of each key and window, also when one side is empty.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TLeft">The left record type.</typeparam>
    /// <typeparam name="TRight">The right record type.</typeparam>
    /// <param name="left">The left stream.</param>
    /// <param name="right">The right stream.</param>
    /// <param name="leftKeySelector">Reads a left record's key.</param>
    /// <param name="rightKeySelector">Reads a right record's key.</param>
    /// <param name="assigner">The windows.</param>
    /// <param name="options">Allowed lateness; the mode is set to <see cref="WindowJoinMode.CoGroup"/>.</param>
    /// <returns>Co-groups, and rejected (late or failed) records, as <see cref="WindowJoinOutput{TKey, TLeft, TRight}"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A stream is in processing time, or has an input whose watermark strategy has an
    /// idle timeout (not supported here).</exception>
    public static IObservable<WindowJoinOutput<TKey, TLeft, TRight>> CoGroup<TKey, TLeft, TRight>(
        this EventStream<TLeft> left,
        EventStream<TRight> right,
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        WindowAssigner assigner,
        WindowJoinOptions<TKey, TLeft, TRight>? options = null)
        where TKey : notnull =>
        CreateWindowJoin(left, right, leftKeySelector, rightKeySelector, assigner, options, WindowJoinMode.CoGroup);

    private static TwoInputObservable<TLeft, TRight, WindowJoinOutput<TKey, TLeft, TRight>> CreateWindowJoin<TKey, TLeft, TRight>(
        EventStream<TLeft> left,
        EventStream<TRight> right,
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        WindowAssigner assigner,
        WindowJoinOptions<TKey, TLeft, TRight>? options,
        WindowJoinMode mode)
        where TKey : notnull
    {
        RequireNotNull(left, right, leftKeySelector, rightKeySelector);
        ArgumentNullException.ThrowIfNull(assigner);
        RequireEventTime(left, right, WindowProcessingTimeMessage, WindowIdleMessage);
        var given = options ?? new WindowJoinOptions<TKey, TLeft, TRight>();
        var copy = new WindowJoinOptions<TKey, TLeft, TRight>
        {
            Mode = mode,
            AllowedLateness = given.AllowedLateness,
            LateFiring = given.LateFiring,
            KeySerializer = given.KeySerializer,
            LeftSerializer = given.LeftSerializer,
            RightSerializer = given.RightSerializer,
        };
        return new TwoInputObservable<TLeft, TRight, WindowJoinOutput<TKey, TLeft, TRight>>(left, right, observer =>
        {
            var notifier = new WindowJoinNotifier<TKey, TLeft, TRight>(observer);
            var op = new WindowJoinOperator<TKey, TLeft, TRight>(assigner, leftKeySelector, rightKeySelector, notifier, copy);
            return new(observer, op.OnLeft, op.OnRight, op.OnLeftWatermark, op.OnRightWatermark)
            {
                // A record whose timestamp selector throws is rejected; at the end the remaining windows fire.
                RejectLeft = (value, error) => notifier.OnLeftRejected(new(0, default, value, Instant.MinValue, CountTimestampFailure(op, 0), RejectReason.TimestampSelectorFailed, error)),
                RejectRight = (value, error) => notifier.OnRightRejected(new(1, default, value, Instant.MinValue, CountTimestampFailure(op, 1), RejectReason.TimestampSelectorFailed, error)),
                OnAllCompleted = () => op.OnWatermark(Instant.MaxValue),
            };
        });
    }

    /// <summary>Counts a record whose timestamp selector threw as received and failed.</summary>
    /// <returns>The operator's watermark, which the rejected record is reported with.</returns>
    private static Instant CountTimestampFailure<TKey, TLeft, TRight>(WindowJoinOperator<TKey, TLeft, TRight> op, int side)
        where TKey : notnull
    {
        op.Counters.Failed++;
        if (side == 0)
        {
            op.Counters.LeftIn++;
        }
        else
        {
            op.Counters.RightIn++;
        }

        return op.Watermark;
    }

    private const string WindowProcessingTimeMessage = "Window joins need event-time streams.";

    private const string WindowIdleMessage = "Window joins do not support watermark strategies with an idle timeout.";
}
