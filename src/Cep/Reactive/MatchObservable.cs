using Cep.Operators;
using Cep.Patterns;
using Cep.Time;
using NodaTime;

namespace Cep.Reactive;

/// <summary>The observable behind <see cref="CepObservable.Match{TKey, T}"/>: one operator and one sink per subscription.</summary>
internal sealed class MatchObservable<TKey, T>(KeyedEventStream<TKey, T> stream, Pattern<T> pattern, CepOperatorOptions<T>? options)
    : IObservable<PatternOutput<TKey, T>>
    where TKey : notnull
{
    public IDisposable Subscribe(IObserver<PatternOutput<TKey, T>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(stream, pattern, options, observer);
        sink.Run();
        return sink;
    }

    /// <summary>Feeds records to the operator and forwards its outputs; enforces the Rx grammar and never lets a user exception escape OnNext.</summary>
    private sealed class Sink : IObserver<T>, ICepOutput<TKey, T>, IDisposable
    {
        private readonly object _gate = new();
        private readonly EventStream<T> _stream;
        private readonly IObserver<PatternOutput<TKey, T>> _observer;
        private readonly CepOperator<TKey, T> _operator;
        private readonly IWatermarkGenerator? _watermarks;
        private IDisposable? _subscription;
        private bool _done;

        public Sink(KeyedEventStream<TKey, T> keyed, Pattern<T> pattern, CepOperatorOptions<T>? options, IObserver<PatternOutput<TKey, T>> observer)
        {
            _stream = keyed.Stream;
            _observer = observer;
            var operatorOptions = new CepOperatorOptions<T>
            {
                Comparer = options?.Comparer,
                TimeMode = _stream.IsProcessingTime ? TimeMode.ProcessingTime : TimeMode.EventTime,
                Scheduler = _stream.Scheduler,
            };
            _operator = new CepOperator<TKey, T>(pattern, keyed.KeySelector, this, operatorOptions) { TimerGate = _gate };
            _watermarks = _stream.Watermarks?.CreateGenerator();
        }

        public void Run() => _subscription = _stream.Source.Subscribe(this);

        public void OnNext(T value)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                if (_stream.IsProcessingTime)
                {
                    _operator.OnRecord(value, Instant.MinValue);
                    return;
                }

                Instant timestamp;
                try
                {
                    timestamp = _stream.TimestampSelector!(value);
                }
                catch (Exception error)
                {
                    _operator.Counters.In++;
                    _operator.Counters.Failed++;
                    OnError(default, value, Instant.MinValue, error);
                    return;
                }

                _operator.OnRecord(value, timestamp);
                if (_watermarks!.OnEvent(timestamp))
                {
                    _operator.OnWatermark(_watermarks.CurrentWatermark);
                }
            }
        }

        public void OnError(Exception error)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                _done = true;
                _observer.OnError(error);
            }
        }

        public void OnCompleted()
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                if (!_stream.IsProcessingTime)
                {
                    _operator.OnWatermark(Instant.MaxValue);
                }

                _done = true;
                _observer.OnCompleted();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _done = true;
            }

            _subscription?.Dispose();
        }

        void ICepOutput<TKey, T>.OnMatch(TKey key, MatchView<T> match)
        {
            var m = match.ToMatch();
            _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Match, Key = key, Match = m, Timestamp = m.Last });
        }

        void ICepOutput<TKey, T>.OnTimeout(TKey key, MatchView<T> partialMatch, Instant timedOutAt) =>
            _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Timeout, Key = key, Match = partialMatch.ToMatch(), Timestamp = timedOutAt });

        void ICepOutput<TKey, T>.OnLate(TKey key, T value, Instant timestamp, Instant watermark) =>
            _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Late, Key = key, Record = value, Timestamp = timestamp, Watermark = watermark });

        public void OnError(TKey? key, T value, Instant timestamp, Exception error) =>
            _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Error, Key = key, Record = value, Timestamp = timestamp, Error = error });
    }
}
