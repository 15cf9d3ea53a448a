using System.Reactive.Concurrency;
using Cep.Time;
using NodaTime;

namespace Cep.Reactive;

/// <summary>One timestamped input of an <see cref="EventStream{T}"/>.</summary>
internal sealed record EventInput<T>(IObservable<T> Source, Func<T, Instant> TimestampSelector, WatermarkStrategy Watermarks, IScheduler? IdleScheduler);

/// <summary>
/// One or more observable sequences together with how to read event time from them (a timestamp selector and a
/// watermark strategy per input), or one sequence in processing time (a scheduler). Created by
/// <see cref="CepObservable.WithTimestamps{T}"/>, <see cref="CepObservable.Union{T}"/> or
/// <see cref="CepObservable.InProcessingTime{T}"/>.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// With several inputs, the watermark of the stream is the minimum of the inputs' watermarks; an input whose strategy
/// has an idle timeout stops holding it back while it is idle, and an input that completes stops holding it back for good.
/// </remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class EventStream<T>
{
    internal EventStream(IReadOnlyList<EventInput<T>> inputs, IObservable<T>? processingTimeSource, IScheduler? scheduler)
    {
        Inputs = inputs;
        ProcessingTimeSource = processingTimeSource;
        Scheduler = scheduler;
    }

    /// <summary>Gets the number of inputs (1 in processing time).</summary>
    public int InputCount => IsProcessingTime ? 1 : Inputs.Count;

    /// <summary>Gets whether the stream runs in processing time.</summary>
    public bool IsProcessingTime => Scheduler is not null;

    internal IReadOnlyList<EventInput<T>> Inputs { get; }

    internal IObservable<T>? ProcessingTimeSource { get; }

    internal IScheduler? Scheduler { get; }
}

/// <summary>An <see cref="EventStream{T}"/> partitioned by a key: patterns are matched per key. Created by <see cref="CepObservable.KeyBy{TKey, T}"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class KeyedEventStream<TKey, T>
    where TKey : notnull
{
    internal KeyedEventStream(EventStream<T> stream, Func<T, TKey> keySelector)
    {
        Stream = stream;
        KeySelector = keySelector;
    }

    /// <summary>Gets the unkeyed stream.</summary>
    public EventStream<T> Stream { get; }

    /// <summary>Gets the key selector.</summary>
    public Func<T, TKey> KeySelector { get; }
}
