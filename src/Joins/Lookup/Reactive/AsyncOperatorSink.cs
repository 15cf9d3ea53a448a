using Cep.Reactive;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>
/// Drives an asynchronous operator (one whose calls return tasks and must be made one at a time, each awaited) from an
/// event-time stream, and forwards its outputs as notifications.
/// </summary>
/// <remarks>
/// <para>Upstream notifications only queue steps (a record with its timestamp, a watermark, the end of input); one pump
/// at a time takes the steps in order and makes the operator's calls, so the operator sees a single caller however the
/// inputs arrive. The pump runs on the thread that gave it work, and after a call that waits, on the thread that
/// resumed it.</para>
/// <para>Every notification is sent under one emission lock with a terminal flag: outputs of the operator (made during
/// its calls or by its own timers), the end of the sequence and an upstream error never overlap, and nothing follows
/// <c>OnCompleted</c> or <c>OnError</c>.</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
/// <typeparam name="TOut">The notification type.</typeparam>
internal abstract class AsyncOperatorSink<T, TOut> : IDisposable
{
    private readonly object _gate = new();
    private readonly object _emitGate = new();
    private readonly Queue<Step> _steps = new();
    private readonly EventStream<T> _stream;
    private readonly IObserver<TOut> _observer;
    private readonly IWatermarkGenerator[] _generators;
    private readonly WatermarkTracker _tracker;
    private readonly bool[] _completed;
    private readonly List<IDisposable> _subscriptions = [];
    private int _open;
    private bool _pumping;
    private bool _stopped;
    private bool _idleWaitArmed;
    private bool _done;

    protected AsyncOperatorSink(EventStream<T> stream, IObserver<TOut> observer)
    {
        _stream = stream;
        _observer = observer;
        _generators = [.. stream.Inputs.Select(i => i.Watermarks.CreateGenerator())];
        _tracker = new WatermarkTracker(Math.Max(1, stream.Inputs.Count));
        _completed = new bool[stream.Inputs.Count];
        _open = stream.Inputs.Count;
    }

    private enum StepKind
    {
        Record,
        Watermark,
        TimestampFailed,
        Poll,
        End,
    }

    /// <summary>Gets whether the sink was disposed or its sequence ended: no call may reach the source any more.</summary>
    protected bool Stopped
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    /// <summary>Subscribes to every input (an empty stream ends at once).</summary>
    public void Run()
    {
        if (_stream.Inputs.Count == 0)
        {
            Enqueue(new Step(StepKind.End, default!, Instant.MinValue, null));
            return;
        }

        for (var i = 0; i < _stream.Inputs.Count; i++)
        {
            var subscription = _stream.Inputs[i].Source.Subscribe(new InputObserver(this, i));
            bool stopped;
            lock (_gate)
            {
                stopped = _stopped;
                _subscriptions.Add(subscription);
            }

            if (stopped)
            {
                subscription.Dispose();
                return;
            }
        }
    }

    /// <summary>Stops: no more notifications, no more calls to the operator, no more lookups; unsubscribes from the inputs.</summary>
    public void Dispose()
    {
        Stop();
        lock (_emitGate)
        {
            _done = true;
        }
    }

    /// <summary>Gives the operator a record.</summary>
    protected abstract ValueTask OnRecordAsync(T record, Instant timestamp);

    /// <summary>Gives the operator a watermark.</summary>
    protected abstract ValueTask OnWatermarkAsync(Instant watermark);

    /// <summary>Ends the operator's input and waits until every record given to it has left.</summary>
    protected abstract ValueTask OnEndAsync();

    /// <summary>Lets the operator emit what arrived while no call was under way.</summary>
    protected virtual ValueTask OnPollAsync() => ValueTask.CompletedTask;

    /// <summary>The output of a record whose timestamp selector threw; it never reaches the operator.</summary>
    protected abstract TOut TimestampFailed(T record, Exception error);

    /// <summary>A task that completes when the operator, between calls, has something to emit; null if it has nothing under way.</summary>
    protected virtual Task? IdleWork() => null;

    /// <summary>Sends one output, unless the sequence has ended or the sink was disposed.</summary>
    protected void Emit(TOut output)
    {
        lock (_emitGate)
        {
            if (!_done)
            {
                _observer.OnNext(output);
            }
        }
    }

    private void OnNext(int input, T value)
    {
        lock (_gate)
        {
            if (_stopped || _completed[input])
            {
                return;
            }

            Instant timestamp;
            try
            {
                timestamp = _stream.Inputs[input].TimestampSelector(value);
            }
            catch (Exception error)
            {
                _steps.Enqueue(new Step(StepKind.TimestampFailed, value, Instant.MinValue, error));
                goto kick;
            }

            _steps.Enqueue(new Step(StepKind.Record, value, timestamp, null));
            var generator = _generators[input];
            if (generator.OnEvent(timestamp) && _tracker.Update(input, generator.CurrentWatermark))
            {
                _steps.Enqueue(new Step(StepKind.Watermark, default!, _tracker.Current, null));
            }
        }

    kick:
        Kick();
    }

    private void OnCompleted(int input)
    {
        lock (_gate)
        {
            if (_stopped || _completed[input])
            {
                return;
            }

            _completed[input] = true;
            if (--_open == 0)
            {
                _steps.Enqueue(new Step(StepKind.End, default!, Instant.MaxValue, null));
            }
            else if (_tracker.Update(input, Instant.MaxValue))
            {
                _steps.Enqueue(new Step(StepKind.Watermark, default!, _tracker.Current, null));
            }
        }

        Kick();
    }

    private void OnError(Exception error)
    {
        if (Stop())
        {
            Terminate(o => o.OnError(error));
        }
    }

    /// <summary>Marks the sink stopped, drops queued steps and unsubscribes; false if it was stopped already.</summary>
    private bool Stop()
    {
        List<IDisposable> subscriptions;
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            _stopped = true;
            _steps.Clear();
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        return true;
    }

    private void Terminate(Action<IObserver<TOut>> notify)
    {
        lock (_emitGate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            notify(_observer);
        }
    }

    private void Enqueue(Step step)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _steps.Enqueue(step);
        }

        Kick();
    }

    /// <summary>Starts the pump if there is work and none runs.</summary>
    private void Kick()
    {
        lock (_gate)
        {
            if (_pumping || _stopped || _steps.Count == 0)
            {
                return;
            }

            _pumping = true;
        }

        _ = PumpAsync();
    }

    /// <summary>Makes the operator's calls for the queued steps, one at a time; when none is left and the operator has
    /// work under way, arms a wake-up that queues a poll.</summary>
    private async Task PumpAsync()
    {
        Task? idle = null;
        try
        {
            while (true)
            {
                Step step;
                bool taken;
                lock (_gate)
                {
                    if (_stopped)
                    {
                        _pumping = false;
                        return;
                    }

                    taken = _steps.TryDequeue(out step);
                    if (!taken && (idle is not null || _idleWaitArmed))
                    {
                        _idleWaitArmed = true;
                        _pumping = false;
                        break;
                    }
                }

                if (!taken)
                {
                    // Nothing queued: ask the operator whether it has work under way, then look at the queue again.
                    idle = IdleWork();
                    if (idle is null)
                    {
                        lock (_gate)
                        {
                            if (_steps.Count == 0 || _stopped)
                            {
                                _pumping = false;
                                return;
                            }
                        }
                    }

                    continue;
                }

                idle = null;
                switch (step.Kind)
                {
                    case StepKind.Record:
                        await OnRecordAsync(step.Value, step.Time).ConfigureAwait(false);
                        break;
                    case StepKind.Watermark:
                        await OnWatermarkAsync(step.Time).ConfigureAwait(false);
                        break;
                    case StepKind.TimestampFailed:
                        Emit(TimestampFailed(step.Value, step.Error!));
                        break;
                    case StepKind.Poll:
                        await OnPollAsync().ConfigureAwait(false);
                        break;
                    default:
                        await OnEndAsync().ConfigureAwait(false);
                        Stop();
                        Terminate(static o => o.OnCompleted());
                        return;
                }
            }
        }
        catch (Exception error)
        {
            Fail(error);
            return;
        }

        _ = idle?.ContinueWith(
            static (_, s) => ((AsyncOperatorSink<T, TOut>)s!).OnIdleWake(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnIdleWake()
    {
        lock (_gate)
        {
            _idleWaitArmed = false;
        }

        Enqueue(new Step(StepKind.Poll, default!, Instant.MinValue, null));
    }

    private void Fail(Exception error)
    {
        Stop();
        Terminate(o => o.OnError(error));
    }

    private readonly record struct Step(StepKind Kind, T Value, Instant Time, Exception? Error);

    private sealed class InputObserver(AsyncOperatorSink<T, TOut> sink, int input) : IObserver<T>
    {
        public void OnNext(T value) => sink.OnNext(input, value);

        public void OnError(Exception error) => sink.OnError(error);

        public void OnCompleted() => sink.OnCompleted(input);
    }
}
