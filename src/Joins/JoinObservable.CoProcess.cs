using System.Runtime.CompilerServices;
using Cep.Joins.CoProcess;
using Cep.Reactive;

namespace Cep.Joins;

/// <summary>System.Reactive face of the joins: connect event-time streams and join or process them per key.</summary>
/// <example>
/// <code>
/// IObservable&lt;CoProcessOutput&lt;WatchKey, Click, PlayHeartbeat, ClickVerdict&gt;&gt; verdicts = clicks
///     .WithTimestamps(c =&gt; c.Timestamp, WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(5)))
///     .Connect(heartbeats.WithTimestamps(h =&gt; h.Timestamp, WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(5))),
///              c =&gt; c.Key, h =&gt; h.Key)
///     .Process(() =&gt; new ValidClickFunction());
/// </code>
/// </example>
/// <threadsafety>Stateless extension methods; safe from any thread. Each subscription runs its own operator.</threadsafety>
public static partial class JoinObservable
{
    /// <summary>
    /// Connects two event-time streams keyed the same way, for a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>
    /// (Flink's <c>a.connect(b).keyBy(k1, k2)</c>). The operator's watermark is the minimum of both streams' watermarks.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="T1">The record type of the first stream.</typeparam>
    /// <typeparam name="T2">The record type of the second stream.</typeparam>
    /// <param name="first">The first stream.</param>
    /// <param name="second">The second stream.</param>
    /// <param name="keySelector1">Reads the key of a record of the first stream.</param>
    /// <param name="keySelector2">Reads the key of a record of the second stream.</param>
    /// <returns>The connected streams; call <c>Process</c> on them.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A stream is in processing time, or has an input whose watermark strategy has an
    /// idle timeout (not supported by <c>Connect</c>).</exception>
    public static ConnectedStreams<TKey, T1, T2> Connect<TKey, T1, T2>(
        this EventStream<T1> first, EventStream<T2> second, Func<T1, TKey> keySelector1, Func<T2, TKey> keySelector2)
        where TKey : notnull
    {
        RequireNotNull(first, second, keySelector1, keySelector2);
        RequireEventTime(first, second, ConnectProcessingTimeMessage, ConnectIdleMessage);
        return new ConnectedStreams<TKey, T1, T2>(first, second, keySelector1, keySelector2);
    }

    /// <summary>Checks that two streams and their key selectors are given.</summary>
    /// <exception cref="ArgumentNullException">One of them is null; the exception names it as the caller does.</exception>
    private static void RequireNotNull(
        object? left,
        object? right,
        object? leftKeySelector,
        object? rightKeySelector,
        [CallerArgumentExpression(nameof(left))] string leftName = "",
        [CallerArgumentExpression(nameof(right))] string rightName = "",
        [CallerArgumentExpression(nameof(leftKeySelector))] string leftKeyName = "",
        [CallerArgumentExpression(nameof(rightKeySelector))] string rightKeyName = "")
    {
        ArgumentNullException.ThrowIfNull(left, leftName);
        ArgumentNullException.ThrowIfNull(right, rightName);
        ArgumentNullException.ThrowIfNull(leftKeySelector, leftKeyName);
        ArgumentNullException.ThrowIfNull(rightKeySelector, rightKeyName);
    }

    /// <summary>Checks that two streams are in event time and have no input with an idle timeout, the left one first.</summary>
    /// <exception cref="ArgumentException">A stream is in processing time (<paramref name="processingTime"/>) or has an
    /// input with an idle timeout (<paramref name="idle"/>); the exception names the stream as the caller does.</exception>
    private static void RequireEventTime<TLeft, TRight>(
        EventStream<TLeft> left,
        EventStream<TRight> right,
        string processingTime,
        string idle,
        [CallerArgumentExpression(nameof(left))] string leftName = "",
        [CallerArgumentExpression(nameof(right))] string rightName = "")
    {
        Check(left.IsProcessingTime, left.Inputs.Any(i => i.Watermarks.IdleTimeout is not null), leftName);
        Check(right.IsProcessingTime, right.Inputs.Any(i => i.Watermarks.IdleTimeout is not null), rightName);

        void Check(bool processingTimeStream, bool idleTimeout, string name)
        {
            if (processingTimeStream)
            {
                throw new ArgumentException(processingTime, name);
            }

            if (idleTimeout)
            {
                throw new ArgumentException(idle, name);
            }
        }
    }

    private const string ConnectProcessingTimeMessage = "Connect needs event-time streams; give the operator a scheduler for processing-time timers instead.";

    private const string ConnectIdleMessage = "Connect does not support watermark strategies with an idle timeout.";
}
