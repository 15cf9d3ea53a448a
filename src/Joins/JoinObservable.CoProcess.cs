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
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(keySelector1);
        ArgumentNullException.ThrowIfNull(keySelector2);
        Check(first.IsProcessingTime, first.Inputs.Any(i => i.Watermarks.IdleTimeout is not null), nameof(first));
        Check(second.IsProcessingTime, second.Inputs.Any(i => i.Watermarks.IdleTimeout is not null), nameof(second));
        return new ConnectedStreams<TKey, T1, T2>(first, second, keySelector1, keySelector2);

        static void Check(bool processingTime, bool idle, string name)
        {
            if (processingTime)
            {
                throw new ArgumentException("Connect needs event-time streams; give the operator a scheduler for processing-time timers instead.", name);
            }

            if (idle)
            {
                throw new ArgumentException("Connect does not support watermark strategies with an idle timeout.", name);
            }
        }
    }
}
