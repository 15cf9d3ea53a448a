using System.Runtime.ExceptionServices;
using Cep.Reactive;
using Cep.Time;
using NodaTime;

namespace Cep.Joins;

/// <summary>
/// The System.Reactive side of a two-input operator for one subscription: subscribes to every input of both streams and
/// feeds their records to the operator under one lock. Each stream (side) has a watermark generator per input and a
/// <see cref="WatermarkTracker"/> over them (a completed input moves to <see cref="Instant.MaxValue"/> and stops holding
/// its side back); the tracker's advances become that side's watermark. Enforces the Rx grammar: after
/// <c>OnError</c> or <c>OnCompleted</c> nothing more is sent, and a second <c>OnCompleted</c> of an input is ignored.
/// </summary>
/// <typeparam name="TLeft">The record type of the left (first) stream.</typeparam>
/// <typeparam name="TRight">The record type of the right (second) stream.</typeparam>
/// <typeparam name="TOut">The notification type.</typeparam>
/// <param name="observer">Receives the notifications.</param>
/// <param name="onLeft">Gives the operator a left record with its timestamp.</param>
/// <param name="onRight">Gives the operator a right record with its timestamp.</param>
/// <param name="onLeftWatermark">Gives the operator the left side's new watermark.</param>
/// <param name="onRightWatermark">Gives the operator the right side's new watermark.</param>
/// <threadsafety>Thread-safe: the sources may call from any thread; calls are serialized on <see cref="Gate"/>.</threadsafety>
internal sealed class TwoInputSink<TLeft, TRight, TOut>(
    IObserver<TOut> observer,
    Action<TLeft, Instant> onLeft,
    Action<TRight, Instant> onRight,
    Action<Instant> onLeftWatermark,
    Action<Instant> onRightWatermark) : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private WatermarkTracker[] _trackers = [];
    private int _open;
    private bool _done;

    /// <summary>Gets the lock every call to the operator is made under.</summary>
    public object Gate { get; } = new();

    /// <summary>Gets a value indicating whether an exception while handling a record (a timestamp selector, the operator
    /// or the observer) ends the sequence with <c>OnError</c>; otherwise it goes back to the source that sent the record.</summary>
    public bool FailOnRecordError { get; init; }

    /// <summary>Gets what happens to a left record whose timestamp selector threw; null to throw the exception on.</summary>
    public Action<TLeft, Exception>? RejectLeft { get; init; }

    /// <summary>Gets what happens to a right record whose timestamp selector threw; null to throw the exception on.</summary>
    public Action<TRight, Exception>? RejectRight { get; init; }

    /// <summary>Gets what runs when every input of both streams has completed, before the sequence completes.</summary>
    public Action? OnAllCompleted { get; init; }

    /// <summary>Subscribes to every input of both streams, left first, in input order.</summary>
    /// <param name="left">The left stream.</param>
    /// <param name="right">The right stream.</param>
    public void Subscribe(EventStream<TLeft> left, EventStream<TRight> right)
    {
        _trackers = [new WatermarkTracker(left.Inputs.Count), new WatermarkTracker(right.Inputs.Count)];
        _open = left.Inputs.Count + right.Inputs.Count;
        Subscribe(left, 0, onLeft, RejectLeft ?? Rethrow<TLeft>);
        Subscribe(right, 1, onRight, RejectRight ?? Rethrow<TRight>);
    }

    /// <summary>Ends the subscription: nothing more is sent, and every input is unsubscribed.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            _done = true;
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private static void Rethrow<T>(T value, Exception error) => ExceptionDispatchInfo.Throw(error);

    private void Subscribe<T>(EventStream<T> stream, int side, Action<T, Instant> onRecord, Action<T, Exception> reject)
    {
        for (var i = 0; i < stream.Inputs.Count; i++)
        {
            var input = stream.Inputs[i];
            _subscriptions.Add(input.Source.Subscribe(
                new InputObserver<T>(this, side, i, input.TimestampSelector, input.Watermarks.CreateGenerator(), onRecord, reject)));
        }
    }

    private void OnNext<T>(InputObserver<T> input, T value)
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            if (!FailOnRecordError)
            {
                Deliver(input, value);
                return;
            }

            try
            {
                Deliver(input, value);
            }
            catch (Exception error)
            {
                Fail(error);
            }
        }
    }

    private void Deliver<T>(InputObserver<T> input, T value)
    {
        Instant timestamp;
        try
        {
            timestamp = input.TimestampSelector(value);
        }
        catch (Exception error)
        {
            input.Reject(value, error);
            return;
        }

        input.OnRecord(value, timestamp);
        if (input.Generator.OnEvent(timestamp))
        {
            Advance(input.Side, input.Index, input.Generator.CurrentWatermark);
        }
    }

    private void OnError(Exception error)
    {
        lock (Gate)
        {
            if (!_done)
            {
                Fail(error);
            }
        }
    }

    private void OnCompleted<T>(InputObserver<T> input)
    {
        lock (Gate)
        {
            if (_done || input.Completed)
            {
                return;
            }

            input.Completed = true;
            Advance(input.Side, input.Index, Instant.MaxValue);
            if (--_open == 0)
            {
                OnAllCompleted?.Invoke();
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
            onLeftWatermark(tracker.Current);
        }
        else
        {
            onRightWatermark(tracker.Current);
        }
    }

    private void Fail(Exception error)
    {
        _done = true;
        observer.OnError(error);
    }

    private sealed class InputObserver<T>(
        TwoInputSink<TLeft, TRight, TOut> sink,
        int side,
        int index,
        Func<T, Instant> timestampSelector,
        IWatermarkGenerator generator,
        Action<T, Instant> onRecord,
        Action<T, Exception> reject) : IObserver<T>
    {
        public int Side { get; } = side;

        public int Index { get; } = index;

        public Func<T, Instant> TimestampSelector { get; } = timestampSelector;

        public IWatermarkGenerator Generator { get; } = generator;

        public Action<T, Instant> OnRecord { get; } = onRecord;

        public Action<T, Exception> Reject { get; } = reject;

        public bool Completed { get; set; }

        public void OnNext(T value) => sink.OnNext(this, value);

        public void OnError(Exception error) => sink.OnError(error);

        public void OnCompleted() => sink.OnCompleted(this);
    }
}
