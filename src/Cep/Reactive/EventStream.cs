using System.Reactive.Concurrency;
using Cep.Time;
using NodaTime;

namespace Cep.Reactive;

/// <summary>
/// An observable sequence together with how to read event time from it: a timestamp selector and a watermark strategy
/// (event time), or a scheduler (processing time). Created by <see cref="CepObservable.WithTimestamps{T}"/> or
/// <see cref="CepObservable.InProcessingTime{T}"/>.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class EventStream<T>
{
    internal EventStream(IObservable<T> source, Func<T, Instant>? timestampSelector, WatermarkStrategy? watermarks, IScheduler? scheduler)
    {
        Source = source;
        TimestampSelector = timestampSelector;
        Watermarks = watermarks;
        Scheduler = scheduler;
    }

    /// <summary>Gets the underlying sequence.</summary>
    public IObservable<T> Source { get; }

    /// <summary>Gets the timestamp selector; null in processing time.</summary>
    public Func<T, Instant>? TimestampSelector { get; }

    /// <summary>Gets the watermark strategy; null in processing time.</summary>
    public WatermarkStrategy? Watermarks { get; }

    /// <summary>Gets the processing-time scheduler; null in event time.</summary>
    public IScheduler? Scheduler { get; }

    /// <summary>Gets whether the stream runs in processing time.</summary>
    public bool IsProcessingTime => Scheduler is not null;
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
