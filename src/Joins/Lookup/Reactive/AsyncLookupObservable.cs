using Cep.Reactive;
using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>The observable behind <c>JoinObservable.AsyncLookup</c>: one operator per subscription.</summary>
internal sealed class AsyncLookupObservable<TIn, TKey, TValue>(
    EventStream<TIn> stream,
    IAsyncLookupSource<TKey, TValue> source,
    Func<TIn, TKey> keySelector,
    AsyncLookupOptions options)
    : IObservable<LookupOutput<TIn, TValue>>
    where TKey : notnull
{
    public IDisposable Subscribe(IObserver<LookupOutput<TIn, TValue>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(stream, source, keySelector, options, observer);
        sink.Run();
        return sink;
    }

    /// <summary>Feeds the stream to one operator through the pump of <see cref="AsyncOperatorSink{T, TOut}"/>; between
    /// calls, the operator's mailbox wakes the pump to emit the answers and timeouts that arrived.</summary>
    private sealed class Sink : AsyncOperatorSink<TIn, LookupOutput<TIn, TValue>>, ILookupOutput<TIn, TValue>
    {
        private readonly AsyncLookupOperator<TIn, TKey, TValue> _operator;

        public Sink(
            EventStream<TIn> stream,
            IAsyncLookupSource<TKey, TValue> source,
            Func<TIn, TKey> keySelector,
            AsyncLookupOptions options,
            IObserver<LookupOutput<TIn, TValue>> observer)
            : base(stream, observer)
        {
            _operator = new AsyncLookupOperator<TIn, TKey, TValue>(
                new StoppableLookupSource<TKey, TValue>(source, () => Stopped), keySelector, this, options);
        }

        public void OnJoined(TIn record, Instant timestamp, TValue value) =>
            Emit(new() { Kind = LookupOutputKind.Joined, Record = record, Timestamp = timestamp, Value = value });

        public void OnMiss(TIn record, Instant timestamp) =>
            Emit(new() { Kind = LookupOutputKind.Missed, Record = record, Timestamp = timestamp });

        public void OnFailed(TIn record, Instant timestamp, LookupFailureReason reason, Exception error) =>
            Emit(new() { Kind = LookupOutputKind.Failed, Record = record, Timestamp = timestamp, FailureReason = reason, Error = error });

        public void OnRejected(TIn record, Instant timestamp, LookupRejectReason reason) =>
            Emit(new() { Kind = LookupOutputKind.Rejected, Record = record, Timestamp = timestamp, RejectReason = reason });

        public void OnWatermark(Instant watermark) =>
            Emit(new() { Kind = LookupOutputKind.Watermark, Timestamp = watermark });

        protected override ValueTask OnRecordAsync(TIn record, Instant timestamp) => _operator.OnRecordAsync(record, timestamp);

        protected override ValueTask OnWatermarkAsync(Instant watermark) => _operator.OnWatermarkAsync(watermark);

        protected override async ValueTask OnEndAsync()
        {
            await _operator.OnWatermarkAsync(Instant.MaxValue).ConfigureAwait(false);
            await _operator.FlushAsync().ConfigureAwait(false);
        }

        protected override ValueTask OnPollAsync() => _operator.PollAsync();

        protected override Task? IdleWork() => _operator.Counters.InFlight > 0 ? _operator.WaitForMailAsync() : null;

        protected override LookupOutput<TIn, TValue> TimestampFailed(TIn record, Exception error) =>
            new() { Kind = LookupOutputKind.Error, Record = record, Timestamp = Instant.MinValue, Error = error };
    }
}
