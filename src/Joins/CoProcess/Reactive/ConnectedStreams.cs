using Cep.Reactive;

namespace Cep.Joins.CoProcess;

/// <summary>
/// Two event-time streams connected and keyed the same way, ready for a
/// <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>. Created by <see cref="JoinObservable.Connect{TKey, T1, T2}"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T1">The record type of the first stream.</typeparam>
/// <typeparam name="T2">The record type of the second stream.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class ConnectedStreams<TKey, T1, T2>
    where TKey : notnull
{
    internal ConnectedStreams(EventStream<T1> first, EventStream<T2> second, Func<T1, TKey> keySelector1, Func<T2, TKey> keySelector2)
    {
        First = first;
        Second = second;
        KeySelector1 = keySelector1;
        KeySelector2 = keySelector2;
    }

    /// <summary>Gets the first stream.</summary>
    public EventStream<T1> First { get; }

    /// <summary>Gets the second stream.</summary>
    public EventStream<T2> Second { get; }

    /// <summary>Gets the key selector of the first stream.</summary>
    public Func<T1, TKey> KeySelector1 { get; }

    /// <summary>Gets the key selector of the second stream.</summary>
    public Func<T2, TKey> KeySelector2 { get; }

    /// <summary>
    /// Runs a function over the connected streams: each subscription creates a function with
    /// <paramref name="functionFactory"/> and runs it in its own <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/>.
    /// Each stream's watermark is the minimum over its inputs; when every input of a stream completes, that stream's
    /// watermark goes to <see cref="NodaTime.Instant.MaxValue"/>, and when both complete, the sequence completes. An error of
    /// either stream ends the sequence with that error. User exceptions never escape: they become error outputs.
    /// </summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="functionFactory">Creates one function per subscription.</param>
    /// <param name="options">Operator options (scheduler for processing time, key serializer); defaults if null.</param>
    /// <returns>The outputs, late records and errors, in the order the operator produces them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="functionFactory"/> is null.</exception>
    public IObservable<CoProcessOutput<TKey, T1, T2, TOut>> Process<TOut>(
        Func<KeyedCoProcessFunction<TKey, T1, T2, TOut>> functionFactory, KeyedCoProcessOptions<TKey>? options = null)
    {
        ArgumentNullException.ThrowIfNull(functionFactory);
        return new TwoInputObservable<T1, T2, CoProcessOutput<TKey, T1, T2, TOut>>(First, Second, observer =>
        {
            var function = functionFactory();
            var notifier = new CoProcessNotifier<TKey, T1, T2, TOut>(observer);
            var op = new KeyedCoProcessOperator<TKey, T1, T2, TOut>(KeySelector1, KeySelector2, function, notifier, options);
            var sink = new TwoInputSink<T1, T2, CoProcessOutput<TKey, T1, T2, TOut>>(observer, op.OnInput1, op.OnInput2, op.OnWatermark1, op.OnWatermark2)
            {
                // A record whose timestamp selector throws goes to the error output.
                RejectLeft = (value, error) => notifier.OnError1(default, value, CountTimestampFailure(op.Counters, first: true), error),
                RejectRight = (value, error) => notifier.OnError2(default, value, CountTimestampFailure(op.Counters, first: false), error),
            };
            op.TimerGate = sink.Gate;
            return sink;
        });
    }

    /// <summary>Counts a record whose timestamp selector threw as received and failed.</summary>
    /// <returns>The timestamp such a record is reported with, <see cref="NodaTime.Instant.MinValue"/>.</returns>
    private static NodaTime.Instant CountTimestampFailure(CoProcessCounters counters, bool first)
    {
        if (first)
        {
            counters.In1++;
        }
        else
        {
            counters.In2++;
        }

        counters.Failed++;
        return NodaTime.Instant.MinValue;
    }

    /// <summary>
    /// Runs <paramref name="function"/> over the connected streams. A function instance serves one operator at a time, so
    /// subscribe to the result at most once at a time; use the factory overload for several subscriptions.
    /// </summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="function">The function.</param>
    /// <param name="options">Operator options (scheduler for processing time, key serializer); defaults if null.</param>
    /// <returns>The outputs, late records and errors, in the order the operator produces them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public IObservable<CoProcessOutput<TKey, T1, T2, TOut>> Process<TOut>(
        KeyedCoProcessFunction<TKey, T1, T2, TOut> function, KeyedCoProcessOptions<TKey>? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Process(() => function, options);
    }
}
