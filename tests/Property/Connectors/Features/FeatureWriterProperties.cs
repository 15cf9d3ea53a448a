using System.Reactive.Concurrency;
using Cep.Connectors.Features;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.Features;

public sealed class FeatureWriterProperties
{
    /// <summary>A step: 0 = a record, 1 = advance the scheduler by <c>Arg</c> ms, 2 = flush.</summary>
    public sealed record WriterStep(int Kind, int Arg)
    {
        public override string ToString() => Kind switch { 0 => "rec", 1 => $"+{Arg}ms", _ => "flush" };
    }

    /// <summary>
    /// For any interleaving of records, clock moves and flushes, any batch size, linger, attempt bound and pattern of
    /// failing store writes: the counters balance after every step; at the end every record was settled exactly once
    /// (written to the store or reported to the error output, never both, none lost); each batch respects the size
    /// bound; a written batch was attempted exactly as the failure pattern says; and no record waits in a batch longer
    /// than the linger without the batch being written or attempted.
    /// </summary>
    [Fact]
    public void CountersBalanceAndEveryRecordIsSettledExactlyOnce()
    {
        var step = Gen.Frequency(
            (6, Gen.Constant(new WriterStep(0, 0))),
            (3, Gen.Choose(1, 150).Select(ms => new WriterStep(1, ms))),
            (1, Gen.Constant(new WriterStep(2, 0))));
        var settings = Gen.Zip(Gen.Choose(1, 5), Gen.Choose(10, 100), (batch, linger) => (batch, linger))
            .Zip(Gen.Choose(1, 3), (bl, attempts) => (bl.batch, bl.linger, attempts));
        var cases = settings
            .Zip(Gen.ArrayOf(Gen.Elements(true, false, false)), (s, fails) => (s, fails))
            .Zip(Gen.ListOf(step).Select(l => l.Take(60).ToArray()), (sf, steps) => (sf.s, sf.fails, steps))
            .ToArbitrary();

        PropertyRunner.Check(cases, c => Task.Run(() => Run(c.s.batch, c.s.linger, c.s.attempts, c.fails, c.steps)).GetAwaiter().GetResult());
    }

    private static async Task Run(int batchSize, int lingerMs, int maxAttempts, bool[] failPattern, WriterStep[] steps)
    {
        var where = $"batch {batchSize}, linger {lingerMs}ms, attempts {maxAttempts}, fails [{string.Join("", failPattern.Select(f => f ? 'x' : '.'))}], steps [{string.Join(" ", steps)}]";
        var scheduler = new HistoricalScheduler();
        var store = new ScriptedFeatureStore
        {
            FailAttempt = n => n <= failPattern.Length && failPattern[n - 1] ? new IOException($"attempt {n} failed") : null,
        };
        var failures = new List<FeatureWriteFailure>();
        var writer = new FeatureWriter(store, scheduler, failures.Add, new FeatureWriterOptions
        {
            MaxBatchSize = batchSize,
            Linger = Duration.FromMilliseconds(lingerMs),
            MaxAttempts = maxAttempts,
            RetryDelay = Duration.FromMilliseconds(20),
        });

        var sent = 0;
        foreach (var s in steps)
        {
            switch (s.Kind)
            {
                case 0:
                    writer.OnRecord(ScriptedFeatureStore.Rec(sent++));
                    break;
                case 1:
                    scheduler.AdvanceBy(TimeSpan.FromMilliseconds(s.Arg));
                    break;
                default:
                    var flush = writer.FlushAsync();
                    scheduler.AdvanceBy(TimeSpan.FromSeconds(10)); // lets retries run
                    await flush;
                    Assert.True(writer.Counters.Pending == 0, $"pending after flush: {writer.Counters}; {where}");
                    break;
            }

            Assert.True(writer.Counters.Balanced, $"{writer.Counters}; {where}");
        }

        var final = writer.FlushAsync();
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        await final;

        var c = writer.Counters;
        Assert.True(c.Balanced && c.Pending == 0 && c.Received == sent, $"{c}; {where}");
        var written = store.WrittenBatches.SelectMany(b => b).Select(r => r.Key).ToList();
        var failed = failures.SelectMany(f => f.Records).Select(r => r.Key).ToList();
        Assert.Equal(c.Written, written.Count);
        Assert.Equal(c.Failed, failed.Count);
        var settled = written.Concat(failed).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"req-{i}").Order(StringComparer.Ordinal), settled);
        Assert.All(store.Attempts, n => Assert.InRange(n, 1, batchSize));
        Assert.All(failures, f => Assert.Equal(maxAttempts, f.Attempts));
        Assert.Equal(store.Attempts.Count, c.Batches + c.Retries + failures.Count);
    }
}
