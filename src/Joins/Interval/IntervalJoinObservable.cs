using Cep.Reactive;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>The observable behind <c>JoinObservable.IntervalJoin</c>: one operator per subscription.</summary>
internal sealed class IntervalJoinObservable<TKey, TLeft, TRight>(
    EventStream<TLeft> left,
    EventStream<TRight> right,
    Func<TLeft, TKey> leftKey,
    Func<TRight, TKey> rightKey,
    JoinBounds bounds,
    IntervalJoinOptions<TKey, TLeft, TRight> options)
    : IObservable<IntervalJoinOutput<TKey, TLeft, TRight>>
    where TKey : notnull
{
    public IDisposable Subscribe(IObserver<IntervalJoinOutput<TKey, TLeft, TRight>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(new IntervalJoinOperator<TKey, TLeft, TRight>(leftKey, rightKey, bounds, new Forward(observer), options), observer);
        sink.Subscribe(left, right);
        return sink;
    }

    /// <summary>Turns the operator's callbacks into notifications.</summary>
    private sealed class Forward(IObserver<IntervalJoinOutput<TKey, TLeft, TRight>> observer) : IIntervalJoinOutput<TKey, TLeft, TRight>
    {
        public void OnJoined(TKey key, TLeft left, Instant leftTimestamp, TRight right, Instant rightTimestamp, Instant timestamp) =>
            observer.OnNext(new() { Kind = IntervalJoinOutputKind.Pair, Key = key, Left = left, Right = right, LeftTimestamp = leftTimestamp, RightTimestamp = rightTimestamp, Timestamp = timestamp });

        public void OnUnmatchedLeft(TKey key, TLeft left, Instant timestamp) =>
            observer.OnNext(new() { Kind = IntervalJoinOutputKind.UnmatchedLeft, Key = key, Left = left, LeftTimestamp = timestamp, Timestamp = timestamp });

        public void OnUnmatchedRight(TKey key, TRight right, Instant timestamp) =>
            observer.OnNext(new() { Kind = IntervalJoinOutputKind.UnmatchedRight, Key = key, Right = right, RightTimestamp = timestamp, Timestamp = timestamp });

        public void OnLateLeft(TKey key, TLeft left, Instant timestamp, Instant watermark) =>
            observer.OnNext(new() { Kind = IntervalJoinOutputKind.LateLeft, Key = key, Left = left, LeftTimestamp = timestamp, Timestamp = timestamp, Watermark = watermark });

        public void OnLateRight(TKey key, TRight right, Instant timestamp, Instant watermark) =>
            observer.OnNext(new() { Kind = IntervalJoinOutputKind.LateRight, Key = key, Right = right, RightTimestamp = timestamp, Timestamp = timestamp, Watermark = watermark });
    }

    /// <summary>
    /// Feeds both streams' inputs to one operator under one lock. Each side has a tracker over its stream's inputs (the
    /// minimum of their watermarks; a completed input moves to <see cref="Instant.MaxValue"/>), whose advances become that
    /// side's watermark. Enforces the Rx grammar: after OnError or OnCompleted nothing more is sent.
    /// </summary>
    private sealed class Sink(IntervalJoinOperator<TKey, TLeft, TRight> op, IObserver<IntervalJoinOutput<TKey, TLeft, TRight>> observer) : IDisposable
    {
        private readonly object _gate = new();
        private readonly List<IDisposable> _subscriptions = [];
        private WatermarkTracker[] _trackers = [];
        private int _openInputs;
        private bool _done;

        public void Subscribe(EventStream<TLeft> left, EventStream<TRight> right)
        {
            _trackers = [new WatermarkTracker(left.Inputs.Count), new WatermarkTracker(right.Inputs.Count)];
            _openInputs = left.Inputs.Count + right.Inputs.Count;
            for (var i = 0; i < left.Inputs.Count; i++)
            {
                var input = left.Inputs[i];
                var observer = new InputObserver<TLeft>(this, 0, i, input.TimestampSelector, input.Watermarks.CreateGenerator(), op.OnLeft);
                _subscriptions.Add(input.Source.Subscribe(observer));
            }

            for (var i = 0; i < right.Inputs.Count; i++)
            {
                var input = right.Inputs[i];
                var observer = new InputObserver<TRight>(this, 1, i, input.TimestampSelector, input.Watermarks.CreateGenerator(), op.OnRight);
                _subscriptions.Add(input.Source.Subscribe(observer));
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

        private void OnNext<T>(InputObserver<T> input, T value)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                try
                {
                    var timestamp = input.TimestampSelector(value);
                    input.OnRecord(value, timestamp);
                    if (input.Generator.OnEvent(timestamp))
                    {
                        Advance(input.Side, input.Index, input.Generator.CurrentWatermark);
                    }
                }
                catch (Exception error)
                {
                    Fail(error);
                }
            }
        }

        private void OnError(Exception error)
        {
            lock (_gate)
            {
                if (!_done)
                {
                    Fail(error);
                }
            }
        }

        private void OnCompleted(int side, int index)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                Advance(side, index, Instant.MaxValue);
                if (--_openInputs == 0)
                {
                    _done = true;
                    observer.OnCompleted();
                }
            }
        }

        private void Advance(int side, int index, Instant watermark)
        {
            var tracker = _trackers[side];
            if (!tracker.Update(index, watermark))
            {
                return;
            }

            if (side == 0)
            {
                op.OnLeftWatermark(tracker.Current);
            }
            else
            {
                op.OnRightWatermark(tracker.Current);
            }
        }

        private void Fail(Exception error)
        {
            _done = true;
            observer.OnError(error);
        }

        private sealed class InputObserver<T>(Sink sink, int side, int index, Func<T, Instant> timestampSelector, IWatermarkGenerator generator, Action<T, Instant> onRecord) : IObserver<T>
        {
            public int Side { get; } = side;

            public int Index { get; } = index;

            public Func<T, Instant> TimestampSelector { get; } = timestampSelector;

            public IWatermarkGenerator Generator { get; } = generator;

            public Action<T, Instant> OnRecord { get; } = onRecord;

            public void OnNext(T value) => sink.OnNext(this, value);

            public void OnError(Exception error) => sink.OnError(error);

            public void OnCompleted() => sink.OnCompleted(Side, Index);
        }
    }
}
