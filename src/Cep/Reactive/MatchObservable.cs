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
        var sink = new MatchSink<TKey, T>(stream, pattern, options, observer);
        sink.Run();
        return sink;
    }
}

/// <summary>
/// Feeds the records of every input to one operator, combines the inputs' watermarks (minimum over active inputs,
/// idle inputs excepted), and forwards the operator's outputs. Enforces the Rx grammar; a user exception never escapes
/// <c>OnNext</c>.
/// </summary>
internal sealed partial class MatchSink<TKey, T> : ICepOutput<TKey, T>, IDisposable
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly EventStream<T> _stream;
    private readonly IObserver<PatternOutput<TKey, T>> _observer;
    private readonly CepOperator<TKey, T> _operator;
    private readonly IWatermarkGenerator[] _generators;
    private readonly bool[] _completed;
    private readonly bool[] _idleCheckPending;
    private readonly WatermarkTracker? _tracker;
    private readonly List<IDisposable> _subscriptions = [];
    private int _completedCount;
    private bool _done;

    public MatchSink(KeyedEventStream<TKey, T> keyed, Pattern<T> pattern, CepOperatorOptions<T>? options, IObserver<PatternOutput<TKey, T>> observer)
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
        var inputs = _stream.Inputs;
        _generators = inputs.Select(i => i.IdleScheduler is { } s && i.Watermarks.IdleTimeout is not null
            ? i.Watermarks.CreateGenerator(s)
            : i.Watermarks.CreateGenerator()).ToArray();
        _completed = new bool[inputs.Count];
        _idleCheckPending = new bool[inputs.Count];
        _tracker = inputs.Count > 0 ? new WatermarkTracker(inputs.Count) : null;
    }

    public void Run()
    {
        if (_stream.IsProcessingTime)
        {
            _subscriptions.Add(_stream.ProcessingTimeSource!.Subscribe(new InputObserver(this, -1)));
            return;
        }

        for (var i = 0; i < _stream.Inputs.Count; i++)
        {
            lock (_gate)
            {
                ScheduleIdleCheck(i);
            }

            _subscriptions.Add(_stream.Inputs[i].Source.Subscribe(new InputObserver(this, i)));
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

    private void OnNext(int input, T value)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            if (input < 0)
            {
                _operator.OnRecord(value, Instant.MinValue);
                return;
            }

            Instant timestamp;
            try
            {
                timestamp = _stream.Inputs[input].TimestampSelector(value);
            }
            catch (Exception error)
            {
                _operator.Counters.In++;
                _operator.Counters.Failed++;
                OnError(default, value, Instant.MinValue, error);
                return;
            }

            _operator.OnRecord(value, timestamp);
            var generator = _generators[input];
            var advanced = _tracker!.IsIdle(input) && _tracker.MarkActive(input);
            if (generator.OnEvent(timestamp) || advanced)
            {
                advanced |= _tracker.Update(input, generator.CurrentWatermark);
            }

            if (advanced)
            {
                _operator.OnWatermark(_tracker.Current);
            }

            ScheduleIdleCheck(input);
        }
    }

    private void OnError(Exception error)
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

    private void OnCompleted(int input)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            if (input >= 0 && !_completed[input])
            {
                // A finished input never holds the watermark back again.
                _completed[input] = true;
                _completedCount++;
                _tracker!.MarkActive(input);
                if (_tracker.Update(input, Instant.MaxValue) && _completedCount < _completed.Length)
                {
                    _operator.OnWatermark(_tracker.Current);
                }
            }

            if (input >= 0 && _completedCount < _completed.Length)
            {
                return;
            }

            if (input >= 0)
            {
                _operator.OnWatermark(Instant.MaxValue);
            }

            _done = true;
            _observer.OnCompleted();
        }
    }

    /// <summary>Arms a processing-time check at the input's idle deadline, if it has one and none is armed.</summary>
    private void ScheduleIdleCheck(int input)
    {
        var scheduler = _stream.Inputs[input].IdleScheduler;
        if (scheduler is null || _idleCheckPending[input] || _generators[input].IdleDeadline is not { } deadline)
        {
            return;
        }

        _idleCheckPending[input] = true;
        var due = deadline.ToDateTimeOffset();
        scheduler.Schedule((Sink: this, Input: input), due, static (_, state) =>
        {
            state.Sink.CheckIdle(state.Input);
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    private void CheckIdle(int input)
    {
        lock (_gate)
        {
            _idleCheckPending[input] = false;
            if (_done || _completed[input])
            {
                return;
            }

            if (_generators[input].IsIdle)
            {
                if (_tracker!.MarkIdle(input))
                {
                    _operator.OnWatermark(_tracker.Current);
                }
            }
            else
            {
                ScheduleIdleCheck(input);
            }
        }
    }

    private sealed class InputObserver(MatchSink<TKey, T> sink, int input) : IObserver<T>
    {
        public void OnNext(T value) => sink.OnNext(input, value);

        public void OnError(Exception error) => sink.OnError(error);

        public void OnCompleted() => sink.OnCompleted(input);
    }
}
