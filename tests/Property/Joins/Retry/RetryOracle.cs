using Cep.Joins.Retry;
using System.Reactive.Concurrency;
using NodaTime;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry;

/// <summary>What one run of a generated case produced, with what the harness knows about time.</summary>
internal sealed class RetryRun
{
    public required RetryQueueOperator<int, Miss, string> Queue { get; set; }

    public required RetryCollector Output { get; init; }

    public required List<RetryAttemptTrace<Miss>> Attempts { get; init; }

    public required FakeFeatureStore Store { get; init; }

    /// <summary>The watermarks given, in ticks, in order (strictly rising).</summary>
    public List<long> Watermarks { get; } = [];

    /// <summary>Per record id, the watermark in ticks when it arrived (long.MinValue before the first).</summary>
    public Dictionary<int, long> ArrivalWatermark { get; } = [];

    /// <summary>In processing time: the virtual scheduler that drives the queue.</summary>
    public HistoricalScheduler? Scheduler { get; set; }

    /// <summary>Per record id, the time its first wait counts from: its timestamp (event time) or arrival (processing time).</summary>
    public Dictionary<int, long> FirstFrom { get; } = [];

    /// <summary>When a record waiting for a wake time (after a previous point, which counts if inclusive) is woken; null if never.</summary>
    public required Func<long, long, bool, long?> NextWake { get; init; }

    /// <summary>The time of the final round.</summary>
    public long FinalAt { get; set; } = long.MaxValue;

    /// <summary>Runs a generated case in event time, or in processing time on a virtual scheduler where each watermark step
    /// advances the clock instead (and the clock finally advances 500 ms past the last step); <paramref name="restoreAt"/>
    /// takes a snapshot before that step and continues on a fresh queue restored from it (same store, same output).</summary>
    public static async Task<RetryRun> ExecuteAsync(RetryCase c, int? restoreAt = null, bool processing = false)
    {
        RetryRun? run = null;
        long Now() => processing ? run!.Scheduler!.Now.ToUnixTimeMilliseconds() * TicksPerMs : WatermarkClock(() => run?.Queue)();
        var store = new FakeFeatureStore(c.AppearMs.ToDictionary(a => a.Key, a => Ticks(a.Value)), c.FailureRate, c.Seed, Now, c.Async && !processing);
        var endMs = (c.Steps.Select(s => s.WatermarkMs).Max() ?? 0) + 500;
        RetryQueueOptions<int, Miss, string> NewOptions()
        {
            var o = c.ToOptions();
            if (processing)
            {
                o.TimeMode = Cep.Operators.TimeMode.ProcessingTime;
                o.Scheduler = run!.Scheduler;
            }

            return o;
        }

        run = new RetryRun
        {
            Queue = null!,
            Output = new RetryCollector(),
            Attempts = [],
            Store = store,
            Scheduler = processing ? new HistoricalScheduler(DateTimeOffset.UnixEpoch) : null,
            NextWake = processing
                ? (wake, prev, _) => Math.Max(wake, prev) <= Ticks(endMs) ? Math.Max(wake, prev) : null
                : (wake, prev, inclusive) => RetryOracle.NextWatermark(run!.Watermarks, wake, prev, inclusive),
            FinalAt = processing ? Ticks(endMs) : long.MaxValue,
        };
        var (queue, _, attempts) = NewQueue(NewOptions(), store, run.Output);
        queue.Trace = t =>
        {
            run.Attempts.Add(t);
            run.Output.Log.Add(("attempt", t.Record.Id));
        };
        run.Queue = queue;
        var wm = long.MinValue;
        for (var i = 0; i < c.Steps.Count; i++)
        {
            if (i == restoreAt)
            {
                var bytes = run.Queue.Snapshot();
                if (processing)
                {
                    // The old queue's timers stay on the old scheduler; the restored queue gets one at the same time.
                    run.Scheduler = new HistoricalScheduler(run.Scheduler!.Now);
                }

                var (fresh, _, _) = NewQueue(NewOptions(), store, run.Output);
                fresh.Trace = run.Queue.Trace;
                fresh.Restore(bytes);
                run.Queue = fresh;
            }

            var step = c.Steps[i];
            if (step.Record is { } m)
            {
                run.ArrivalWatermark[m.Id] = processing ? Now() : wm;
                run.FirstFrom[m.Id] = processing ? Now() : Ticks(m.Ms);
                await run.Queue.OnRecordAsync(m, Ms(m.Ms));
            }
            else if (processing)
            {
                run.Scheduler!.AdvanceTo(DateTimeOffset.UnixEpoch.AddMilliseconds(step.WatermarkMs!.Value));
                await run.Queue.FlushAsync();
            }
            else
            {
                wm = Ticks(step.WatermarkMs!.Value);
                run.Watermarks.Add(wm);
                await run.Queue.OnWatermarkAsync(Ms(step.WatermarkMs.Value));
            }
        }

        if (processing)
        {
            run.Scheduler!.AdvanceTo(DateTimeOffset.UnixEpoch.AddMilliseconds(endMs));
            await run.Queue.FlushAsync();
        }

        if (c.Final)
        {
            await run.Queue.OnWatermarkAsync(Instant.MaxValue);
        }

        return run;
    }
}

/// <summary>
/// The obviously correct model of a retry queue, one record at a time: from its timestamp, the levels, the watermarks
/// and the store's answers it derives every attempt (level, number, due time, time made) and how the record ends. The
/// store's answer to an attempt is read from the call that carried its key in its round; that the calls are exactly the
/// rounds' distinct keys in batches is checked first.
/// </summary>
internal static class RetryOracle
{
    /// <summary>The wait before attempt <paramref name="attempt"/> of a level, in ticks, without jitter.</summary>
    public static long Wait(GenLevel level, int attempt)
    {
        var ms = level.Backoff switch
        {
            RetryBackoffType.Constant => level.DelayMs,
            RetryBackoffType.Linear => level.DelayMs * attempt,
            _ => level.DelayMs * (1L << (attempt - 1)),
        };
        return Ticks(level.MaxMs is { } max ? Math.Min(ms, max) : ms);
    }

    public static void Verify(RetryCase c, RetryRun run)
    {
        var calls = CheckBatches(c, run);
        var pending = run.Queue.PendingRecords().Select(m => m.Id).ToHashSet();
        var joined = run.Output.Joined.ToDictionary(j => j.Record.Id);
        var expired = run.Output.Expired.ToDictionary(e => e.Record.Id);
        Require(joined.Count == run.Output.Joined.Count && expired.Count == run.Output.Expired.Count, c, "a record left twice");
        foreach (var m in c.Records)
        {
            var places = (joined.ContainsKey(m.Id) ? 1 : 0) + (expired.ContainsKey(m.Id) ? 1 : 0) + (pending.Contains(m.Id) ? 1 : 0);
            Require(places == 1, c, $"{m} is in {places} places (joined / expired / pending)");
            var expectedEnd = Simulate(c, run, calls, m);
            var actualEnd = joined.TryGetValue(m.Id, out var j) ? $"joined {j.Value} L{j.Level} A{j.Attempt} T{j.TotalAttempts} at {At(j.At)}"
                : expired.TryGetValue(m.Id, out var e) ? $"expired {e.Reason} L{e.Level} A{e.Attempt} T{e.TotalAttempts} at {At(e.At)} error={e.LastError is not null}"
                : "pending";
            var heldBehindEarlier = actualEnd == "pending" && c.KeyOrder && !c.Final
                && c.Records.Any(o => o.Key == m.Key && o.Id < m.Id && pending.Contains(o.Id));
            Require(actualEnd == expectedEnd || heldBehindEarlier, c, $"{m}: expected {expectedEnd}, got {actualEnd}");
        }

        Require(!c.Final || pending.Count == 0, c, "records left pending after the final watermark");
        CheckNoAttemptAfterExit(c, run);
        if (c.KeyOrder)
        {
            var left = run.Output.Log.Where(l => l.Kind != "attempt").Select(l => c.Records.First(r => r.Id == l.Id)).ToList();
            foreach (var group in left.GroupBy(r => r.Key))
            {
                var ids = group.Select(r => r.Id).ToList();
                Require(ids.SequenceEqual(ids.Order()), c, $"key {group.Key} left out of arrival order: {string.Join(",", ids)}");
            }
        }

        var k = run.Queue.Counters;
        Require(k.Balanced && k.Joined == joined.Count && k.Expired == expired.Count && k.Pending == pending.Count
            && k.Attempts == run.Attempts.Count && k.Lookups == run.Store.Calls.Count && k.LookupFailures == run.Store.Calls.Count(x => x.Failed)
            && k.RecordsIn == c.Records.Count(), c, $"counters {k}");
    }

    private static string At(Instant at) => at == Instant.MaxValue ? "end" : at.ToUnixTimeTicks().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Checks that each round's distinct keys, in the order of its attempts, went out in batches of at most
    /// MaxBatch, in order, at the round's time; returns the call that carried each (round, key).</summary>
    private static Dictionary<(long Round, int Key), LookupCall> CheckBatches(RetryCase c, RetryRun run)
    {
        var expected = new List<(long At, int[] Keys, long Round)>();
        foreach (var round in run.Attempts.GroupBy(a => a.Round))
        {
            var keys = round.Select(a => a.Record.Key).Distinct().ToArray();
            expected.AddRange(keys.Chunk(c.MaxBatch).Select(chunk => (round.First().At, chunk, round.Key)));
        }

        var actual = run.Store.Calls;
        Require(actual.Count == expected.Count, c, $"{actual.Count} calls, expected {expected.Count}");
        var map = new Dictionary<(long, int), LookupCall>();
        for (var i = 0; i < actual.Count; i++)
        {
            Require(actual[i].At == expected[i].At && actual[i].Keys.SequenceEqual(expected[i].Keys), c,
                $"call {i}: [{string.Join(",", actual[i].Keys)}] at {actual[i].At}, expected [{string.Join(",", expected[i].Keys)}] at {expected[i].At}");
            Require(actual[i].Keys.Length <= c.MaxBatch && actual[i].Keys.Distinct().Count() == actual[i].Keys.Length, c, $"call {i} is not a batch of distinct keys");
            foreach (var key in actual[i].Keys)
            {
                map[(expected[i].Round, key)] = actual[i];
            }
        }

        return map;
    }

    private static string Simulate(RetryCase c, RetryRun run, Dictionary<(long, int), LookupCall> calls, Miss m)
    {
        var actual = run.Attempts.Where(a => a.Record.Id == m.Id).ToList();
        var ts = Ticks(m.Ms);
        var deadline = c.TtlMs is { } ttl ? ts + Ticks(ttl) + 1 : long.MaxValue;
        int level = 0, attempt = 0, total = 0, i = 0;
        var prev = run.ArrivalWatermark[m.Id];
        var endText = run.FinalAt == long.MaxValue ? "end" : run.FinalAt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var inclusive = false;
        var due = run.FirstFrom[m.Id] + Wait(c.Levels[0], 1);
        var lastFailed = false;
        string end;
        while (true)
        {
            var t = run.NextWake(Math.Min(due, deadline), prev, inclusive);
            var final = t is null;
            if (final && !c.Final)
            {
                end = "pending";
                break;
            }

            if (!final && t >= deadline)
            {
                end = $"expired TtlExceeded L{level + 1} A{attempt} T{total} at {t} error={lastFailed}";
                break;
            }

            var at = t ?? run.FinalAt;
            Require(i < actual.Count, c, $"{m}: missing attempt {total + 1} (level {level + 1}, attempt {attempt + 1}, due {due}, expected at {at})");
            var a = actual[i++];
            Require(a.Level == level + 1 && a.Attempt == attempt + 1 && a.At == at && a.Final == final && (final || a.Due == due), c,
                $"{m}: attempt {total + 1} was {a}, expected level {level + 1} attempt {attempt + 1} due {due} at {at} final={final}");
            attempt++;
            total++;
            var call = calls[(a.Round, m.Key)];
            lastFailed = call.Failed;
            var atText = final ? endText : at.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!call.Failed && run.Store.Available(m.Key, at))
            {
                end = $"joined {FakeFeatureStore.ValueOf(m.Key)} L{level + 1} A{attempt} T{total} at {atText}";
                break;
            }

            if (final)
            {
                end = $"expired EndOfInput L{level + 1} A{attempt} T{total} at {endText} error={lastFailed}";
                break;
            }

            if (c.Predicate && RetryCase.PredicateSays(m.Key, total))
            {
                end = $"expired Predicate L{level + 1} A{attempt} T{total} at {atText} error={lastFailed}";
                break;
            }

            if (attempt == c.Levels[level].Attempts)
            {
                if (level == c.Levels.Count - 1)
                {
                    end = $"expired AttemptsExhausted L{level + 1} A{attempt} T{total} at {atText} error={lastFailed}";
                    break;
                }

                level++;
                attempt = 0;
            }

            due = at + Wait(c.Levels[level], attempt + 1);
            prev = at;
            inclusive = true;
        }

        Require(i == actual.Count, c, $"{m}: {actual.Count} attempts made, the model expects {i}");
        return end;
    }

    /// <summary>When a record waiting for <paramref name="wake"/> is woken: at <paramref name="prev"/> itself if it was
    /// scheduled there and is already due, else at the first later watermark at or after the wake time; null if none came.</summary>
    public static long? NextWatermark(List<long> watermarks, long wake, long prev, bool inclusive)
    {
        if (inclusive && wake <= prev)
        {
            return prev;
        }

        foreach (var w in watermarks)
        {
            if (w > prev && w >= wake)
            {
                return w;
            }
        }

        return null;
    }

    private static void CheckNoAttemptAfterExit(RetryCase c, RetryRun run)
    {
        var gone = new HashSet<int>();
        foreach (var (kind, id) in run.Output.Log)
        {
            Require(!(kind == "attempt" && gone.Contains(id)), c, $"record #{id} attempted after it left");
            if (kind != "attempt")
            {
                gone.Add(id);
            }
        }
    }

    public static void Require(bool condition, object testCase, string message)
    {
        if (!condition)
        {
            throw new Xunit.Sdk.XunitException($"{message}\n  case: {testCase}");
        }
    }
}
