using Cep.Tests.Properties;
using Xunit;

namespace Cep.Tests.Joins.Retry;

/// <summary>The retry queue in event time against the one-record-at-a-time model of <see cref="RetryOracle"/>.</summary>
public sealed class RetryQueueProperties
{
    /// <summary>
    /// For generated levels (delays, attempts, backoff types, caps), TTLs, exit predicates, batch sizes, key order,
    /// feature schedules (a feature appears at some time or never) and round-trip failure rates up to 50 % (synchronous
    /// throws and faulted tasks, with synchronous or asynchronous completion): every record ends in exactly one of
    /// joined, expired with the model's reason, level and attempts, or pending; every attempt is the model's (level,
    /// number, due time, made at the first watermark at or after it); no attempt is made after a record left; each round's
    /// distinct keys go out in batches of at most MaxBatchSize; with key order the records of a key leave in arrival
    /// order; and the counters balance and agree with the outputs and the store's log.
    /// </summary>
    [Fact]
    public void EveryRecordEndsWhereTheModelSaysAndIsNeverLostOrDuplicated() =>
        PropertyRunner.Check(RetryGenerators.Cases(), c => RetryOracle.Verify(c, RetryRun.ExecuteAsync(c).GetAwaiter().GetResult()), 300);

    /// <summary>
    /// A snapshot taken before any step, restored into a fresh queue that gets the rest of the input, gives exactly the
    /// outputs, attempts, lookups and counters of an uninterrupted run.
    /// </summary>
    [Fact]
    public void SnapshotAndRestoreAnywhereEqualsAnUninterruptedRun() =>
        PropertyRunner.Check(RetryGenerators.Cases(), c =>
        {
            var whole = RetryRun.ExecuteAsync(c).GetAwaiter().GetResult();
            var at = c.Steps.Count == 0 ? 0 : Math.Abs(c.Seed) % (c.Steps.Count + 1);
            var split = RetryRun.ExecuteAsync(c, at).GetAwaiter().GetResult();
            RetryOracle.Require(whole.Output.Describe().SequenceEqual(split.Output.Describe()), c,
                $"restored at step {at}: outputs differ\n  whole: {string.Join("; ", whole.Output.Describe())}\n  split: {string.Join("; ", split.Output.Describe())}");
            RetryOracle.Require(whole.Attempts.SequenceEqual(split.Attempts), c, $"restored at step {at}: attempts differ");
            RetryOracle.Require(
                whole.Store.Calls.Select(x => $"{x.At}:{string.Join(",", x.Keys)}:{x.Failed}").SequenceEqual(split.Store.Calls.Select(x => $"{x.At}:{string.Join(",", x.Keys)}:{x.Failed}")),
                c, $"restored at step {at}: lookups differ");
            RetryOracle.Require(whole.Queue.Counters.ToString() == split.Queue.Counters.ToString(), c,
                $"restored at step {at}: counters {whole.Queue.Counters} vs {split.Queue.Counters}");
            RetryOracle.Require(whole.Queue.PendingRecords().SequenceEqual(split.Queue.PendingRecords()), c, $"restored at step {at}: pending records differ");
        }, 200);

    /// <summary>
    /// The same model in processing time on a virtual scheduler (each watermark step advances the clock, records arrive at
    /// the current clock and wait from their arrival): every attempt is made exactly when due, records older than the TTL
    /// exit exactly at their deadline, and every record ends where the model says, with balanced counters.
    /// </summary>
    [Fact]
    public void InProcessingTimeAttemptsHappenExactlyWhenDue() =>
        PropertyRunner.Check(RetryGenerators.Cases(), c =>
        {
            var run = RetryRun.ExecuteAsync(c, processing: true).GetAwaiter().GetResult();
            RetryOracle.Verify(c, run);
            RetryOracle.Require(run.Attempts.All(a => a.Final || a.At == Math.Max(a.Due, a.At)), c, "an attempt before its due time");
        }, 200);

    /// <summary>Snapshot and restore in processing time: the restored queue re-arms its timer and continues identically.</summary>
    [Fact]
    public void InProcessingTimeSnapshotAndRestoreEqualsAnUninterruptedRun() =>
        PropertyRunner.Check(RetryGenerators.Cases(), c =>
        {
            var whole = RetryRun.ExecuteAsync(c, processing: true).GetAwaiter().GetResult();
            var at = c.Steps.Count == 0 ? 0 : Math.Abs(c.Seed) % (c.Steps.Count + 1);
            var split = RetryRun.ExecuteAsync(c, at, processing: true).GetAwaiter().GetResult();
            RetryOracle.Require(whole.Output.Describe().SequenceEqual(split.Output.Describe()) && whole.Attempts.SequenceEqual(split.Attempts), c,
                $"restored at step {at}\n  whole: {string.Join("; ", whole.Output.Describe())}\n  split: {string.Join("; ", split.Output.Describe())}");
        }, 150);
}
