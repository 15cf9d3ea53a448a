using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using Cep.Operators;
using NodaTime;

namespace Cep.Tests.Joins.Retry;

/// <summary>A lookup miss: a record with an identity, a lookup key and a timestamp in milliseconds.</summary>
public sealed record Miss(int Id, int Key, long Ms)
{
    public override string ToString() => $"#{Id}(k{Key}@{Ms})";
}

/// <summary>One round trip the fake store answered.</summary>
public sealed record LookupCall(int Index, long At, int[] Keys, bool Failed);

/// <summary>
/// A store driven by a schedule: the feature of a key appears at some time (ticks of the caller's clock) or never, and
/// round trips fail at a given rate, decided by a hash of the call's number and a seed (so a continued instance behaves
/// exactly like one that never stopped). It logs every call with its time and keys.
/// </summary>
public sealed class FakeFeatureStore(IReadOnlyDictionary<int, long> appearAt, double failureRate, int seed, Func<long> clock, bool completeAsynchronously = false)
    : IAsyncLookupSource<int, string>
{
    private readonly object _lock = new();

    public List<LookupCall> Calls { get; } = [];

    public static string ValueOf(int key) => $"f{key}";

    public bool Available(int key, long at) => appearAt.TryGetValue(key, out var t) && t <= at;

    public bool Fails(int index) => StoreCalls.Fails(failureRate, seed, index);

    public ValueTask<IReadOnlyDictionary<int, string>> LookupAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
    {
        int index;
        var at = clock();
        lock (_lock)
        {
            index = Calls.Count;
            Calls.Add(new LookupCall(index, at, [.. keys], Fails(index)));
        }

        if (Fails(index))
        {
            return StoreCalls.Fail(index);
        }

        IReadOnlyDictionary<int, string> found = keys.Where(k => Available(k, at)).ToDictionary(k => k, ValueOf);
        return StoreCalls.Answer(found, completeAsynchronously);
    }
}

/// <summary>What the fake stores of the retry tests share: a seeded failure schedule, its two ways to fail, and answers
/// that complete at once or after a yield.</summary>
public static class StoreCalls
{
    /// <summary>Whether call <paramref name="index"/> fails, for a seeded <paramref name="rate"/>.</summary>
    public static bool Fails(double rate, int seed, int index) => rate > 0 && Hash(seed, index) < rate;

    /// <summary>Fails call <paramref name="index"/>, alternating the two ways a round trip can fail: a synchronous throw and a faulted task.</summary>
    public static ValueTask<IReadOnlyDictionary<int, string>> Fail(int index) =>
        index % 2 == 0
            ? throw new TimeoutException($"call {index} timed out")
            : ValueTask.FromException<IReadOnlyDictionary<int, string>>(new IOException($"call {index} failed"));

    /// <summary>Answers with <paramref name="found"/>, after a yield when <paramref name="later"/>.</summary>
    public static ValueTask<IReadOnlyDictionary<int, string>> Answer(IReadOnlyDictionary<int, string> found, bool later) =>
        later ? Later(found) : ValueTask.FromResult(found);

    private static async ValueTask<IReadOnlyDictionary<int, string>> Later(IReadOnlyDictionary<int, string> found)
    {
        await Task.Yield();
        return found;
    }

    private static double Hash(int seed, int index)
    {
        var h = (uint)((seed * 0x9E3779B1) ^ (index * 0x85EBCA77));
        h ^= h >> 15;
        h *= 0x2C1B3C6D;
        h ^= h >> 12;
        return h / (double)uint.MaxValue;
    }
}

/// <summary>Collects what a retry queue emits, in one log with the attempts (so "no attempt after exit" can be checked).</summary>
public sealed class RetryCollector : IRetryQueueOutput<int, Miss, string>
{
    public List<RetryJoined<int, Miss, string>> Joined { get; } = [];

    public List<RetryExpired<int, Miss>> Expired { get; } = [];

    /// <summary>Every event in order: "attempt #id", "joined #id", "expired #id".</summary>
    public List<(string Kind, int Id)> Log { get; } = [];

    public void OnJoined(RetryJoined<int, Miss, string> joined)
    {
        Joined.Add(joined);
        Log.Add(("joined", joined.Record.Id));
    }

    public void OnExpired(RetryExpired<int, Miss> expired)
    {
        Expired.Add(expired);
        Log.Add(("expired", expired.Record.Id));
    }

    /// <summary>The outputs as comparable text, in emission order.</summary>
    public List<string> Describe() =>
        Log.Where(l => l.Kind != "attempt").Select((l, i) => l.Kind == "joined"
            ? Joined.Single(j => j.Record.Id == l.Id) is var j ? $"J {j.Record} {j.Value} L{j.Level} A{j.Attempt} T{j.TotalAttempts} at {j.At.ToUnixTimeTicks()}" : string.Empty
            : Expired.Single(e => e.Record.Id == l.Id) is var e ? $"X {e.Record} {e.Reason} L{e.Level} A{e.Attempt} T{e.TotalAttempts} at {e.At.ToUnixTimeTicks()} err={e.LastError?.Message}" : string.Empty).ToList();
}

public static class RetryTestSupport
{
    public const long TicksPerMs = NodaConstants.TicksPerMillisecond;

    public static Instant Ms(long ms) => Instant.FromUnixTimeTicks(ms * TicksPerMs);

    public static long Ticks(long ms) => ms * TicksPerMs;

    public static RetryLevelOptions Level(long delayMs, int attempts, RetryBackoffType backoff = RetryBackoffType.Constant, long? maxMs = null, bool jitter = false) =>
        new()
        {
            Delay = Duration.FromMilliseconds(delayMs),
            MaxAttempts = attempts,
            BackoffType = backoff,
            MaxDelay = maxMs is { } m ? Duration.FromMilliseconds(m) : null,
            UseJitter = jitter,
        };

    public static RetryQueueOptions<int, Miss, string> Options(params RetryLevelOptions[] levels)
    {
        var options = new RetryQueueOptions<int, Miss, string>();
        foreach (var level in levels)
        {
            options.Levels.Add(level);
        }

        return options;
    }

    /// <summary>A queue in event time over a fake store whose clock is the queue's watermark; attempts go to the collector's log.</summary>
    internal static (RetryQueueOperator<int, Miss, string> Queue, RetryCollector Output, List<RetryAttemptTrace<Miss>> Attempts) NewQueue(
        RetryQueueOptions<int, Miss, string> options, IAsyncLookupSource<int, string> store, RetryCollector? output = null)
    {
        output ??= new RetryCollector();
        var attempts = new List<RetryAttemptTrace<Miss>>();
        var queue = new RetryQueueOperator<int, Miss, string>(m => m.Key, store, output, options);
        queue.Trace = t =>
        {
            attempts.Add(t);
            output.Log.Add(("attempt", t.Record.Id));
        };
        return (queue, output, attempts);
    }

    /// <summary>The store's clock for an event-time queue: its watermark in ticks (long.MaxValue at the end).</summary>
    public static Func<long> WatermarkClock(Func<RetryQueueOperator<int, Miss, string>?> queue) =>
        () => queue() is { } q && q.Watermark != Instant.MinValue
            ? (q.Watermark == Instant.MaxValue ? long.MaxValue : q.Watermark.ToUnixTimeTicks())
            : long.MinValue;

    public static void Run(ValueTask task) => task.AsTask().GetAwaiter().GetResult();

    public static TimeMode EventTime => TimeMode.EventTime;
}
