using Cep.Joins.Lookup;
using Cep.Reactive;

namespace Cep.Joins;

/// <content>The async lookup (Flink's <c>AsyncDataStream.orderedWait</c> / <c>unorderedWait</c>) of an event-time stream.</content>
public static partial class JoinObservable
{
    /// <summary>
    /// Joins each record of an event-time stream with the value of its key in an external store, asynchronously and in
    /// batches (Flink's <c>AsyncDataStream.orderedWait</c> or <c>unorderedWait</c>, after
    /// <see cref="AsyncLookupOptions.Ordered"/>). Each subscription runs its own
    /// <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/>, fed the records with their timestamps and the stream's watermark
    /// (the minimum over its inputs; a completed input stops holding it back).
    /// </summary>
    /// <typeparam name="TIn">The record type.</typeparam>
    /// <typeparam name="TKey">The lookup key.</typeparam>
    /// <typeparam name="TValue">The looked-up value.</typeparam>
    /// <param name="stream">The records.</param>
    /// <param name="source">The store; it is called with batches of distinct keys, possibly several at once.</param>
    /// <param name="keySelector">Reads a record's lookup key. If it throws, the record becomes a
    /// <see cref="LookupOutputKind.Failed"/> output with <see cref="LookupFailureReason.KeySelectorFailed"/>.</param>
    /// <param name="options">Order, capacity, full mode, timeout, batching, cache, and the scheduler that gives processing
    /// time (required).</param>
    /// <returns>
    /// <para>Every record as exactly one <see cref="LookupOutput{TIn, TValue}"/> (joined, missed, failed, rejected, or
    /// error when its timestamp selector threw), and the operator's watermarks, in the operator's order: input order when
    /// ordered; as answers arrive but never across a watermark when unordered; rejections and timestamp-selector errors
    /// at once. No exception of the source, the key selector or the timestamp selector escapes <c>OnNext</c> or ends the
    /// sequence: each becomes the output of its record.</para>
    /// <para>Answers arrive on the source's threads and timers on the scheduler's; the outputs they release are sent
    /// through the operator's own mailbox, one at a time, never overlapping. Records that arrive while the operator is
    /// full in <see cref="LookupFullMode.Wait"/> mode are buffered, in order, until it has room.</para>
    /// <para>When every input has completed, the operator gets a final watermark of <see cref="NodaTime.Instant.MaxValue"/>
    /// and is flushed: <c>OnCompleted</c> follows the output of the last record in flight and that watermark. An error of
    /// an input is passed on at once with <c>OnError</c> and nothing follows it (the records in flight are abandoned). An
    /// exception thrown by the observer ends the sequence with <c>OnError</c>. Disposing the subscription unsubscribes
    /// from the inputs; afterwards nothing is sent and no call reaches <paramref name="source"/>.</para>
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/>, <paramref name="source"/>,
    /// <paramref name="keySelector"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is in processing time, or has an input whose watermark
    /// strategy has an idle timeout (not supported here).</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException"><paramref name="options"/> are invalid
    /// (thrown here, not at subscription); the message lists every violation.</exception>
    /// <example>
    /// <code>
    /// IObservable&lt;LookupOutput&lt;Click, Feature&gt;&gt; enriched = clicks
    ///     .WithTimestamps(c =&gt; c.Timestamp, WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(5)))
    ///     .AsyncLookup(featureStore, c =&gt; c.UserId, new AsyncLookupOptions { Ordered = false, Scheduler = TaskPoolScheduler.Default });
    /// </code>
    /// </example>
    public static IObservable<LookupOutput<TIn, TValue>> AsyncLookup<TIn, TKey, TValue>(
        this EventStream<TIn> stream,
        IAsyncLookupSource<TKey, TValue> source,
        Func<TIn, TKey> keySelector,
        AsyncLookupOptions options)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(options);
        CheckLookupStream(stream, "async lookup");
        options.Validate();
        return new AsyncLookupObservable<TIn, TKey, TValue>(stream, source, keySelector, options);
    }

    private static void CheckLookupStream<T>(EventStream<T> stream, string what)
    {
        if (stream.IsProcessingTime)
        {
            throw new ArgumentException($"The observable {what} needs an event-time stream (WithTimestamps); the stream is in processing time.", nameof(stream));
        }

        if (stream.Inputs.Any(i => i.Watermarks.IdleTimeout is not null))
        {
            throw new ArgumentException($"The observable {what} does not support watermark strategies with an idle timeout.", nameof(stream));
        }
    }
}
