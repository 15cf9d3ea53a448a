using Cep.Time;
using NodaTime;

namespace Cep.Joins.CoProcess;

/// <content>Processing time: the scheduler's clock, one wake-up for the earliest processing-time timer, TTL cleanup.</content>
public sealed partial class KeyedCoProcessOperator<TKey, T1, T2, TOut>
{
    private long _scheduledWakeUp = long.MaxValue;

    /// <summary>Gets or sets a lock that processing-time wake-ups take, so they never run during a call from the driving thread.</summary>
    internal object? TimerGate { get; set; }

    private long ProcessingNow() => _options.Scheduler is { } scheduler
        ? EventTicks.ToTicks(Instant.FromDateTimeOffset(scheduler.Now))
        : throw new InvalidOperationException("Processing time needs a scheduler: set KeyedCoProcessOptions.Scheduler.");

    private void PurgeProcessingTime()
    {
        if (_processingExpiry.Count > 0)
        {
            Purge(_processingExpiry, TimeDomain.ProcessingTime, ProcessingNow());
        }
    }

    private void ScheduleWakeUp(long time)
    {
        if (time >= _scheduledWakeUp)
        {
            return;
        }

        _scheduledWakeUp = time;
        var due = EventTicks.ToInstant(time).ToDateTimeOffset();
        _options.Scheduler!.Schedule(this, due, static (_, self) =>
        {
            self.OnWakeUp();
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    private void OnWakeUp()
    {
        if (TimerGate is { } gate)
        {
            lock (gate)
            {
                WakeUp();
            }
        }
        else
        {
            WakeUp();
        }
    }

    private void WakeUp()
    {
        _scheduledWakeUp = long.MaxValue;
        var now = ProcessingNow();
        while (_processingTimers.Count > 0 && _processingTimers.PeekTime <= now)
        {
            Fire(_processingTimers.Pop(), TimeDomain.ProcessingTime);
        }

        PurgeProcessingTime();
        if (_processingTimers.Count > 0)
        {
            ScheduleWakeUp(_processingTimers.PeekTime);
        }

        UpdateGauges();
    }
}
