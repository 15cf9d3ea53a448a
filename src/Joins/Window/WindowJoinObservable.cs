using Cep.Reactive;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Window;

/// <summary>The observable behind <c>JoinObservable.WindowJoin</c> and <c>CoGroup</c>: one operator per subscription.</summary>
internal sealed class WindowJoinObservable<TKey, TLeft, TRight>(
    EventStream<TLeft> left,
    EventStream<TRight> right,
    Func<TLeft, TKey> leftKey,
    Func<TRight, TKey> rightKey,
    WindowAssigner assigner,
    WindowJoinOptions<TKey, TLeft, TRight> options)
    : IObservable<WindowJoinOutput<TKey, TLeft, TRight>>
    where TKey : notnull
{
    private EventStream<TLeft> Left { get; } = left;

    private EventStream<TRight> Right { get; } = right;

    private Func<TLeft, TKey> LeftKey { get; } = leftKey;

    private Func<TRight, TKey> RightKey { get; } = rightKey;

    private WindowAssigner Assigner { get; } = assigner;

    private WindowJoinOptions<TKey, TLeft, TRight> Options { get; } = options;

    public IDisposable Subscribe(IObserver<WindowJoinOutput<TKey, TLeft, TRight>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(this, observer);
        sink.Run();
        return sink;
    }

    /// <summary>
    /// Feeds both streams' records to one operator; each side's watermark is the minimum over that stream's inputs (a
    /// completed input stops holding it back), and the operator takes the minimum of the two sides. Enforces the Rx grammar.
    /// </summary>
    private sealed class Sink : IWindowJoinOutput<TKey, TLeft, TRight>, IDisposable
    {
        private readonly object _gate = new();
        private readonly WindowJoinObservable<TKey, TLeft, TRight> _parent;
        private readonly IObserver<WindowJoinOutput<TKey, TLeft, TRight>> _observer;
        private readonly WindowJoinOperator<TKey, TLeft, TRight> _operator;
        private readonly IWatermarkGenerator[][] _generators;
        private readonly WatermarkTracker[] _trackers;
        private readonly List<IDisposable> _subscriptions = [];
        private int _open;
        private bool _done;

        public Sink(WindowJoinObservable<TKey, TLeft, TRight> parent, IObserver<WindowJoinOutput<TKey, TLeft, TRight>> observer)
        {
            _parent = parent;
            _observer = observer;
            _operator = new WindowJoinOperator<TKey, TLeft, TRight>(parent.Assigner, parent.LeftKey, parent.RightKey, this, parent.Options);
            _generators =
            [
                [.. parent.Left.Inputs.Select(i => i.Watermarks.CreateGenerator())],
                [.. parent.Right.Inputs.Select(i => i.Watermarks.CreateGenerator())],
            ];
            _trackers = [new WatermarkTracker(_generators[0].Length), new WatermarkTracker(_generators[1].Length)];
            _open = _generators[0].Length + _generators[1].Length;
        }

        public void Run()
        {
            var left = _parent.Left.Inputs;
            for (var i = 0; i < left.Count; i++)
            {
                var input = i;
                _subscriptions.Add(left[i].Source.Subscribe(new Observer<TLeft>(this, v => OnNext(0, input, v, left[input].TimestampSelector), 0, input)));
            }

            var right = _parent.Right.Inputs;
            for (var i = 0; i < right.Count; i++)
            {
                var input = i;
                _subscriptions.Add(right[i].Source.Subscribe(new Observer<TRight>(this, v => OnNext(1, input, v, right[input].TimestampSelector), 1, input)));
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

        public void OnPair(TKey key, TimeWindow window, TLeft left, TRight right) =>
            _observer.OnNext(new(WindowJoinOutputKind.Pair) { Key = key, Window = window, Left = left, Right = right });

        public void OnCoGroup(TKey key, TimeWindow window, IReadOnlyList<TLeft> left, IReadOnlyList<TRight> right, int firing) =>
            _observer.OnNext(new(WindowJoinOutputKind.CoGroup) { Key = key, Window = window, LeftGroup = [.. left], RightGroup = [.. right], Firing = firing });

        public void OnLeftRejected(RejectedRecord<TKey, TLeft> record) =>
            _observer.OnNext(new(WindowJoinOutputKind.LeftRejected) { LeftRejected = record });

        public void OnRightRejected(RejectedRecord<TKey, TRight> record) =>
            _observer.OnNext(new(WindowJoinOutputKind.RightRejected) { RightRejected = record });

        private void OnNext<T>(int side, int input, T value, Func<T, Instant> timestampSelector)
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
                    timestamp = timestampSelector(value);
                }
                catch (Exception error)
                {
                    RejectTimestamp(side, value, error);
                    return;
                }

                if (side == 0)
                {
                    _operator.OnLeft((TLeft)(object)value!, timestamp);
                }
                else
                {
                    _operator.OnRight((TRight)(object)value!, timestamp);
                }

                var generator = _generators[side][input];
                if (generator.OnEvent(timestamp) && _trackers[side].Update(input, generator.CurrentWatermark))
                {
                    Forward(side);
                }
            }
        }

        private void RejectTimestamp<T>(int side, T value, Exception error)
        {
            var counters = _operator.Counters;
            counters.Failed++;
            if (side == 0)
            {
                counters.LeftIn++;
                OnLeftRejected(new(0, default, (TLeft)(object)value!, Instant.MinValue, _operator.Watermark, RejectReason.TimestampSelectorFailed, error));
            }
            else
            {
                counters.RightIn++;
                OnRightRejected(new(1, default, (TRight)(object)value!, Instant.MinValue, _operator.Watermark, RejectReason.TimestampSelectorFailed, error));
            }
        }

        private void Forward(int side)
        {
            if (side == 0)
            {
                _operator.OnLeftWatermark(_trackers[0].Current);
            }
            else
            {
                _operator.OnRightWatermark(_trackers[1].Current);
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

        private void OnCompleted(int side, int input)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                // A finished input never holds its side's watermark back again.
                if (_trackers[side].Update(input, Instant.MaxValue))
                {
                    Forward(side);
                }

                if (--_open == 0)
                {
                    _operator.OnWatermark(Instant.MaxValue);
                    _done = true;
                    _observer.OnCompleted();
                }
            }
        }

        private sealed class Observer<T>(Sink sink, Action<T> onNext, int side, int input) : IObserver<T>
        {
            private bool _completed;

            public void OnNext(T value) => onNext(value);

            public void OnError(Exception error) => sink.OnError(error);

            public void OnCompleted()
            {
                if (!_completed)
                {
                    _completed = true;
                    sink.OnCompleted(side, input);
                }
            }
        }
    }
}
