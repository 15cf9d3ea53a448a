using System.Reactive.Concurrency;
using NodaTime;

namespace Cep.Time;

/// <summary>Adapts an Rx <see cref="IScheduler"/> to a NodaTime <see cref="IClock"/> by reading <see cref="IScheduler.Now"/>.</summary>
/// <threadsafety>As thread-safe as the scheduler's <see cref="IScheduler.Now"/>; holds no state of its own.</threadsafety>
internal sealed class SchedulerClock : IClock
{
    private readonly IScheduler _scheduler;

    internal SchedulerClock(IScheduler scheduler) => _scheduler = scheduler;

    /// <inheritdoc/>
    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(_scheduler.Now);
}
