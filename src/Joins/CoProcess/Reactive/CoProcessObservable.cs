using Cep.Reactive;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>The observable behind <see cref="ConnectedStreams{TKey, T1, T2}.Process{TOut}(Func{KeyedCoProcessFunction{TKey, T1, T2, TOut}}, KeyedCoProcessOptions{TKey}?)"/>.</summary>
internal sealed class CoProcessObservable<TKey, T1, T2, TOut>(
    ConnectedStreams<TKey, T1, T2> streams, Func<KeyedCoProcessFunction<TKey, T1, T2, TOut>> factory, KeyedCoProcessOptions<TKey>? options)
    : IObservable<CoProcessOutput<TKey, T1, T2, TOut>>
    where TKey : notnull
{
    public IDisposable Subscribe(IObserver<CoProcessOutput<TKey, T1, T2, TOut>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new CoProcessSink<TKey, T1, T2, TOut>(streams, factory(), options, observer);
        sink.Run();
        return sink;
    }
}

/// <summary>
/// Feeds both streams to one operator under one lock: per stream, a watermark generator per input and a
/// <see cref="WatermarkTracker"/> over them; forwards the operator's outputs as notifications.
/// </summary>
internal sealed class CoProcessSink<TKey, T1, T2, TOut> : ICoProcessOutput<TKey, T1, T2, TOut>, IDisposable
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly ConnectedStreams<TKey, T1, T2> _streams;
    private readonly IObserver<CoProcessOutput<TKey, T1, T2, TOut>> _observer;
    private readonly KeyedCoProcessOperator<TKey, T1, T2, TOut> _operator;
    private readonly Side _first;
    private readonly Side _second;
    private readonly List<IDisposable> _subscriptions = [];
    private bool _done;

    public CoProcessSink(
        ConnectedStreams<TKey, T1, T2> streams, KeyedCoProcessFunction<TKey, T1, T2, TOut> function, KeyedCoProcessOptions<TKey>? options, IObserver<CoProcessOutput<TKey, T1, T2, TOut>> observer)
    {
        _streams = streams;
        _observer = observer;
        _operator = new KeyedCoProcessOperator<TKey, T1, T2, TOut>(streams.KeySelector1, streams.KeySelector2, function, this, options) { TimerGate = _gate };
        _first = new Side(streams.First.Inputs.Select(i => i.Watermarks.CreateGenerator()).ToArray());
        _second = new Side(streams.Second.Inputs.Select(i => i.Watermarks.CreateGenerator()).ToArray());
    }

    public void Run()
    {
        var first = _streams.First.Inputs;
        for (var i = 0; i < first.Count; i++)
        {
            var input = i;
            var selector = first[i].TimestampSelector;
            _subscriptions.Add(first[i].Source.Subscribe(new Observer<T1>(
                v => OnNext(_first, input, v, selector, _operator.OnInput1, _operator.OnWatermark1, OnError1), OnError, () => OnCompleted(_first, input))));
        }

        var second = _streams.Second.Inputs;
        for (var i = 0; i < second.Count; i++)
        {
            var input = i;
            var selector = second[i].TimestampSelector;
            _subscriptions.Add(second[i].Source.Subscribe(new Observer<T2>(
                v => OnNext(_second, input, v, selector, _operator.OnInput2, _operator.OnWatermark2, OnError2), OnError, () => OnCompleted(_second, input))));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    public void OnOutput(TKey key, TOut value, Instant timestamp) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.Output, Key = key, Value = value, Timestamp = timestamp });

    public void OnSideOutput(string tag, TKey key, TOut value, Instant timestamp) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.SideOutput, Key = key, Value = value, Tag = tag, Timestamp = timestamp });

    public void OnLate1(TKey key, T1 value, Instant timestamp, Instant watermark) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.Late1, Key = key, Record1 = value, Timestamp = timestamp, Watermark = watermark });

    public void OnLate2(TKey key, T2 value, Instant timestamp, Instant watermark) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.Late2, Key = key, Record2 = value, Timestamp = timestamp, Watermark = watermark });

    public void OnError1(TKey? key, T1 value, Instant timestamp, Exception error) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.Error1, Key = key, Record1 = value, Timestamp = timestamp, Error = error });

    public void OnError2(TKey? key, T2 value, Instant timestamp, Exception error) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.Error2, Key = key, Record2 = value, Timestamp = timestamp, Error = error });

    public void OnTimerError(TKey key, Instant time, TimeDomain domain, Exception error) =>
        _observer.OnNext(new() { Kind = CoProcessOutputKind.TimerError, Key = key, Timestamp = time, Domain = domain, Error = error });

    private void OnNext<T>(
        Side side, int input, T value, Func<T, Instant> selector, Action<T, Instant> onInput, Action<Instant> onWatermark, Action<TKey?, T, Instant, Exception> onError)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            Instant timestamp;
            try
            {
                timestamp = selector(value);
            }
            catch (Exception error)
            {
                if (side == _first)
                {
                    _operator.Counters.In1++;
                }
                else
                {
                    _operator.Counters.In2++;
                }

                _operator.Counters.Failed++;
                onError(default, value, Instant.MinValue, error);
                return;
            }

            onInput(value, timestamp);
            var generator = side.Generators[input];
            if (generator.OnEvent(timestamp) && side.Tracker.Update(input, generator.CurrentWatermark))
            {
                onWatermark(side.Tracker.Current);
            }
        }
    }

    private void OnError(Exception error)
    {
        lock (_gate)
        {
            if (!_done)
            {
                _done = true;
                _observer.OnError(error);
            }
        }
    }

    private void OnCompleted(Side side, int input)
    {
        lock (_gate)
        {
            if (_done || side.Completed[input])
            {
                return;
            }

            side.Completed[input] = true;
            if (side.Tracker.Update(input, Instant.MaxValue))
            {
                if (side == _first)
                {
                    _operator.OnWatermark1(side.Tracker.Current);
                }
                else
                {
                    _operator.OnWatermark2(side.Tracker.Current);
                }
            }

            if (_first.Completed.All(c => c) && _second.Completed.All(c => c))
            {
                _done = true;
                _observer.OnCompleted();
            }
        }
    }

    /// <summary>One connected stream: a watermark generator per input and the minimum over them.</summary>
    private sealed class Side(IWatermarkGenerator[] generators)
    {
        public IWatermarkGenerator[] Generators { get; } = generators;

        public WatermarkTracker Tracker { get; } = new(generators.Length);

        public bool[] Completed { get; } = new bool[generators.Length];
    }

    private sealed class Observer<T>(Action<T> onNext, Action<Exception> onError, Action onCompleted) : IObserver<T>
    {
        public void OnNext(T value) => onNext(value);

        public void OnError(Exception error) => onError(error);

        public void OnCompleted() => onCompleted();
    }
}
