using System.Reactive.Concurrency;
using Cep.Nfa;
using Cep.Time;

namespace Cep.Operators;

/// <content>Processing-time mode: records are processed on arrival; windows are measured by the scheduler.</content>
public sealed partial class CepOperator<TKey, T>
{
    private long _scheduledWakeUp = long.MaxValue;

    private void OnProcessingTimeRecord(TKey key, T value)
    {
        var now = EventTicks.ToTicks(NodaTime.Instant.FromDateTimeOffset(_options.Scheduler!.Now));
        FireTimers(now);
        var state = Acquire(key);
        ProcessRecord(state, value, now);
        ReleaseIfEmpty(state);
        UpdateGauges();
    }

    partial void OnTimerRegistered(long deadline)
    {
        if (_options.TimeMode != TimeMode.ProcessingTime || deadline >= _scheduledWakeUp)
        {
            return;
        }

        _scheduledWakeUp = deadline;
        var due = new DateTimeOffset(NodaTime.Instant.FromUnixTimeTicks(deadline).ToDateTimeUtc());
        _options.Scheduler!.Schedule(this, due, static (_, self) =>
        {
            self.OnWakeUp();
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    /// <summary>Gets or sets a lock that processing-time timer callbacks take, so they never run during a call from the driving thread.</summary>
    internal object? TimerGate { get; set; }

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
        var now = EventTicks.ToTicks(NodaTime.Instant.FromDateTimeOffset(_options.Scheduler!.Now));
        FireTimers(now);
        if (_timers.Count > 0)
        {
            OnTimerRegistered(_timers.PeekTime);
        }

        UpdateGauges();
    }
}
