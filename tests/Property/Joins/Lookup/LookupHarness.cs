using System.Reactive.Concurrency;
using Cep.Joins.Lookup;
using NodaTime;

namespace Cep.Tests.Joins.Lookup;

/// <summary>
/// Drives an operator in virtual time on one thread: the operator resumes inline (synchronous continuations) when the
/// scheduler delivers an answer or a timer, so a run is deterministic. Tests using it must be synchronous.
/// </summary>
public sealed class LookupHarness
{
    public LookupHarness(AsyncLookupOptions options, FakeLookupSource? source = null, HistoricalScheduler? scheduler = null)
    {
        // Await continuations run inline only where no synchronization context is current; the test runner installs
        // one, which would move the operator's resumption to the thread pool and race with the virtual clock.
        SynchronizationContext.SetSynchronizationContext(null);
        Scheduler = scheduler ?? new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        Source = source ?? new FakeLookupSource(Scheduler);
        options.Scheduler = Scheduler;
        options.AllowSynchronousContinuations = true;
        Options = options;
        Operator = new AsyncLookupOperator<Rec, int, string>(Source, KeyOf, Output, options);
    }

    public HistoricalScheduler Scheduler { get; }

    public FakeLookupSource Source { get; }

    public AsyncLookupOptions Options { get; }

    public LookupCollector Output { get; } = new();

    public AsyncLookupOperator<Rec, int, string> Operator { get; }

    public static int KeyOf(Rec r) => r.Key >= 0 ? r.Key : throw new ArgumentException($"record {r.Id} has no key");

    public static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    /// <summary>Gives a record (timestamp = id ms); if the operator waits for room, advances virtual time until it is taken.</summary>
    public void Record(int id, int key) => Run(Operator.OnRecordAsync(new Rec(id, key), Ms(id)));

    public void Watermark(long ms) => Run(Operator.OnWatermarkAsync(Ms(ms)));

    /// <summary>Advances virtual time, then lets the operator emit what arrived.</summary>
    public void Advance(long ms)
    {
        Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(ms));
        Run(Operator.PollAsync());
    }

    public void Flush() => Run(Operator.FlushAsync());

    /// <summary>Completes <paramref name="task"/> by advancing virtual time one millisecond at a time.</summary>
    public void Run(ValueTask task)
    {
        for (var i = 0; !task.IsCompleted; i++)
        {
            if (i > 1_000_000)
            {
                throw new InvalidOperationException("The operator is stuck: virtual time advanced 1000 s without progress.");
            }

            Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        }

        task.GetAwaiter().GetResult();
    }
}
