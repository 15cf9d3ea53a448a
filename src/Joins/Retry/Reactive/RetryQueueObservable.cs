using Cep.Joins.Lookup;
using Cep.Reactive;
using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>The observable behind <c>JoinObservable.RetryQueue</c>: one queue per subscription.</summary>
internal sealed class RetryQueueObservable<TKey, TIn, TValue>(
    EventStream<TIn> stream,
    IAsyncLookupSource<TKey, TValue> source,
    Func<TIn, TKey> keySelector,
    RetryQueueOptions<TKey, TIn, TValue> options)
    : IObservable<RetryOutput<TKey, TIn, TValue>>
    where TKey : notnull
{
    public IDisposable Subscribe(IObserver<RetryOutput<TKey, TIn, TValue>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(stream, source, keySelector, options, observer);
        sink.Run();
        return sink;
    }

    /// <summary>Feeds the stream to one queue through the pump of <see cref="AsyncOperatorSink{T, TOut}"/>. In processing
    /// time the queue's own timers also emit (serialized with the calls by the queue, and with the other notifications by
    /// the sink's emission lock).</summary>
    private sealed class Sink : AsyncOperatorSink<TIn, RetryOutput<TKey, TIn, TValue>>, IRetryQueueOutput<TKey, TIn, TValue>
    {
        private readonly RetryQueueOperator<TKey, TIn, TValue> _operator;

        public Sink(
            EventStream<TIn> stream,
            IAsyncLookupSource<TKey, TValue> source,
            Func<TIn, TKey> keySelector,
            RetryQueueOptions<TKey, TIn, TValue> options,
            IObserver<RetryOutput<TKey, TIn, TValue>> observer)
            : base(stream, observer)
        {
            _operator = new RetryQueueOperator<TKey, TIn, TValue>(keySelector, new StoppableLookupSource<TKey, TValue>(source, () => Stopped), this, options);
        }

        public void OnJoined(RetryJoined<TKey, TIn, TValue> joined) =>
            Emit(new() { Kind = RetryOutputKind.Joined, Record = joined.Record, Joined = joined });

        public void OnExpired(RetryExpired<TKey, TIn> expired) =>
            Emit(new() { Kind = RetryOutputKind.Expired, Record = expired.Record, Expired = expired });

        protected override ValueTask OnRecordAsync(TIn record, Instant timestamp) => _operator.OnRecordAsync(record, timestamp);

        protected override ValueTask OnWatermarkAsync(Instant watermark) => _operator.OnWatermarkAsync(watermark);

        protected override ValueTask OnEndAsync() => _operator.OnWatermarkAsync(Instant.MaxValue);

        protected override RetryOutput<TKey, TIn, TValue> TimestampFailed(TIn record, Exception error) =>
            new() { Kind = RetryOutputKind.Error, Record = record, Error = error };
    }
}
