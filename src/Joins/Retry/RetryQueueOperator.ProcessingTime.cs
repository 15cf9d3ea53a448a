using Cep.Time;
using NodaTime;

namespace Cep.Joins.Retry;

/// <content>Processing time: the scheduler's clock and one wake-up timer for the earliest due time or TTL deadline.</content>
public sealed partial class RetryQueueOperator<TKey, TIn, TValue>
{
    private long _scheduledWakeUp = long.MaxValue;
    private Exception? _timerError;

    private long ProcessingNow() => EventTicks.ToTicks(Instant.FromDateTimeOffset(_options.Scheduler!.Now));

    /// <summary>Makes sure a timer fires at or before <paramref name="wake"/>.</summary>
    private void ScheduleWakeUp(long wake)
    {
        if (wake >= _scheduledWakeUp || wake == long.MaxValue)
        {
            return;
        }

        _scheduledWakeUp = wake;
        var due = EventTicks.ToInstant(wake).ToDateTimeOffset();
        _options.Scheduler!.Schedule(this, due, static (scheduler, self) =>
        {
            _ = self.WakeUpAsync();
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    /// <summary>A timer fired: run the due rounds under the gate, then arm the timer for the next wake-up.</summary>
    private async Task WakeUpAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_ended)
            {
                return;
            }

            var now = ProcessingNow();
            if (_scheduledWakeUp <= now)
            {
                _scheduledWakeUp = long.MaxValue;
            }

            await RunAsync(now, final: false).ConfigureAwait(false);
            if (_waiting.Count > 0)
            {
                ScheduleWakeUp(WakeOf(_waiting.Peek()));
            }
        }
        catch (Exception error)
        {
            _timerError ??= error;
        }
        finally
        {
            _gate.Release();
        }
    }
}
