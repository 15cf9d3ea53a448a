using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using Cep.Reactive;

namespace Cep.Joins;

/// <content>The multi-level retry queue over an event-time stream of lookup misses.</content>
public static partial class JoinObservable
{
    /// <summary>
    /// Retries the lookup of each record of an event-time stream (typically the misses of <c>AsyncLookup</c>) level by
    /// level, with widening delays, until its key is found or an exit rule says so. Each subscription runs its own
    /// <see cref="RetryQueueOperator{TKey, TIn, TValue}"/>, fed the records with their timestamps and the stream's
    /// watermark (the minimum over its inputs; a completed input stops holding it back), which is the queue's clock in
    /// <see cref="Operators.TimeMode.EventTime"/>; in <see cref="Operators.TimeMode.ProcessingTime"/> the clock and timers
    /// of <see cref="RetryQueueOptions{TKey, TIn, TValue}.Scheduler"/> drive the attempts.
    /// </summary>
    /// <typeparam name="TKey">The lookup key type.</typeparam>
    /// <typeparam name="TIn">The record type.</typeparam>
    /// <typeparam name="TValue">The store's value type.</typeparam>
    /// <param name="stream">The records to retry.</param>
    /// <param name="source">The store; it is called with batches of distinct keys, possibly several at once.</param>
    /// <param name="keySelector">Reads a record's lookup key. If it throws, the record becomes an
    /// <see cref="RetryOutputKind.Expired"/> output with <see cref="RetryExitReason.KeySelectorFailed"/>.</param>
    /// <param name="options">The levels, the clock, the exit policy (TTL, predicate), batching and key order.</param>
    /// <returns>
    /// <para>Every record as exactly one <see cref="RetryOutput{TKey, TIn, TValue}"/>: joined with the value an attempt
    /// found, expired with its reason, level and attempts, or error when its timestamp selector threw (at once). A
    /// failing round trip, key selector, predicate or timestamp selector never escapes <c>OnNext</c> or ends the
    /// sequence. Outputs made by the queue's calls and timers are sent one at a time, never overlapping.</para>
    /// <para>When every input has completed, the queue gets the final watermark (<see cref="NodaTime.Instant.MaxValue"/>),
    /// as its end of input: every pending record is attempted once more and leaves joined or expired with
    /// <see cref="RetryExitReason.EndOfInput"/>; then <c>OnCompleted</c> follows. An error of an input is passed on at
    /// once with <c>OnError</c> and nothing follows it (pending records are abandoned). An exception thrown by the
    /// observer ends the sequence with <c>OnError</c>. Disposing the subscription unsubscribes from the inputs; afterwards
    /// nothing is sent and no call reaches <paramref name="source"/>.</para>
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/>, <paramref name="source"/>,
    /// <paramref name="keySelector"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is in processing time, or has an input whose watermark
    /// strategy has an idle timeout (not supported here).</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException"><paramref name="options"/> are invalid
    /// (thrown here, not at subscription); the message lists every violation.</exception>
    /// <example>
    /// <code>
    /// IObservable&lt;RetryOutput&lt;string, Click, Feature&gt;&gt; retried = misses
    ///     .WithTimestamps(c =&gt; c.Timestamp, WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(5)))
    ///     .RetryQueue(featureStore, c =&gt; c.UserId, new RetryQueueOptions&lt;string, Click, Feature&gt;
    ///     {
    ///         Levels = { new RetryLevelOptions { Delay = Duration.FromSeconds(10), MaxAttempts = 3 },
    ///                    new RetryLevelOptions { Delay = Duration.FromMinutes(5), MaxAttempts = 2 } },
    ///         Ttl = Duration.FromDays(7),
    ///     });
    /// </code>
    /// </example>
    public static IObservable<RetryOutput<TKey, TIn, TValue>> RetryQueue<TKey, TIn, TValue>(
        this EventStream<TIn> stream,
        IAsyncLookupSource<TKey, TValue> source,
        Func<TIn, TKey> keySelector,
        RetryQueueOptions<TKey, TIn, TValue> options)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(options);
        CheckLookupStream(stream, "retry queue");
        RetryQueueOptionsValidator.Validate(options);
        return new RetryQueueObservable<TKey, TIn, TValue>(stream, source, keySelector, options);
    }
}
