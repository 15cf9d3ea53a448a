using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using Cep.Reactive;
using Cep.Tests.Joins.Lookup.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Retry.Reactive;

/// <summary>
/// A store whose answers depend only on the order of the calls it gets: key k is found from its n-th lookup on (n from a
/// table; never if absent), and a call fails if a hash of its number and a seed says so (a synchronous throw or a faulted
/// task, alternately). With <c>asynchronous</c>, answers complete on the thread pool. Two runs that make the same calls
/// get the same answers.
/// </summary>
public sealed class CountingStore(IReadOnlyDictionary<int, int> foundFrom, double failureRate, int seed, bool asynchronous) : IAsyncLookupSource<int, string>
{
    private readonly Dictionary<int, int> _asked = [];
    private readonly object _lock = new();

    public List<int[]> Calls { get; } = [];

    public int CallCount
    {
        get
        {
            lock (_lock)
            {
                return Calls.Count;
            }
        }
    }

    public ValueTask<IReadOnlyDictionary<int, string>> LookupAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
    {
        int index;
        IReadOnlyDictionary<int, string> found;
        lock (_lock)
        {
            index = Calls.Count;
            Calls.Add([.. keys]);
            var hits = new Dictionary<int, string>();
            foreach (var k in keys)
            {
                var n = _asked[k] = _asked.GetValueOrDefault(k) + 1;
                if (foundFrom.TryGetValue(k, out var from) && n >= from)
                {
                    hits[k] = $"f{k}";
                }
            }

            found = hits;
        }

        if (StoreCalls.Fails(failureRate, seed, index))
        {
            return StoreCalls.Fail(index);
        }

        return StoreCalls.Answer(found, asynchronous);
    }
}

/// <summary>Runs a generated <see cref="RetryCase"/> through the observable face, and through a queue driven directly with
/// the calls the face promises: each record with its timestamp, each watermark the strategy gives, the final watermark.</summary>
public static class RetryFaceRun
{
    public static readonly WatermarkStrategy Strategy = WatermarkStrategy.BoundedOutOfOrderness(Duration.FromMilliseconds(10));

    /// <summary>Every eleventh record has no timestamp when the seed is even.</summary>
    public static Func<Miss, Instant> TimestampOf(RetryCase c) =>
        m => c.Seed % 2 == 0 && m.Id % 11 == 10 ? throw new FormatException($"miss {m.Id} has no time") : RetryTestSupport.Ms(m.Ms);

    public static int KeyOf(Miss m) => m.Id % 13 == 12 ? throw new ArgumentException($"miss {m.Id} has no key") : m.Key;

    public static CountingStore Store(RetryCase c) =>
        new(c.AppearMs.ToDictionary(a => a.Key, a => 1 + (int)(Math.Abs(a.Value) % 4)), c.FailureRate, c.Seed, c.Async);

    public static RecordingObserver<RetryOutput<int, Miss, string>> Face(RetryCase c, CountingStore store)
    {
        var subject = new Subject<Miss>();
        var observer = new RecordingObserver<RetryOutput<int, Miss, string>>();
        using var subscription = subject.WithTimestamps(TimestampOf(c), Strategy).RetryQueue(store, KeyOf, c.ToOptions()).Subscribe(observer);
        foreach (var record in c.Records)
        {
            subject.OnNext(record);
        }

        subject.OnCompleted();
        observer.Done.WaitAsync(TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
        return observer;
    }

    public static async Task<(List<RetryOutput<int, Miss, string>> Outputs, RetryQueueCounters Counters)> DirectAsync(RetryCase c, CountingStore store)
    {
        var output = new Collector();
        var queue = new RetryQueueOperator<int, Miss, string>(KeyOf, store, output, c.ToOptions());
        var generator = Strategy.CreateGenerator();
        var timestampOf = TimestampOf(c);
        foreach (var record in c.Records)
        {
            Instant timestamp;
            try
            {
                timestamp = timestampOf(record);
            }
            catch (FormatException error)
            {
                output.Outputs.Add(new() { Kind = RetryOutputKind.Error, Record = record, Error = error });
                continue;
            }

            await queue.OnRecordAsync(record, timestamp);
            if (generator.OnEvent(timestamp))
            {
                await queue.OnWatermarkAsync(generator.CurrentWatermark);
            }
        }

        await queue.OnWatermarkAsync(Instant.MaxValue);
        return (output.Outputs, queue.Counters);
    }

    public static List<string> Describe(IEnumerable<RetryOutput<int, Miss, string>> outputs) =>
        [.. outputs.Select(o => o.Kind switch
        {
            RetryOutputKind.Joined when o.Joined is { } j => $"J {j.Record} {j.Key} {j.Value} L{j.Level} A{j.Attempt} T{j.TotalAttempts} {j.Timestamp} at {j.At}",
            RetryOutputKind.Expired when o.Expired is { } e =>
                $"X {e.Record} {e.Key} {e.Reason} L{e.Level} A{e.Attempt} T{e.TotalAttempts} {e.Timestamp} at {e.At} {e.LastError?.GetType().Name}:{e.LastError?.Message}",
            _ => $"E {o.Record} {o.Error?.GetType().Name}:{o.Error?.Message}",
        })];

    private sealed class Collector : IRetryQueueOutput<int, Miss, string>
    {
        public List<RetryOutput<int, Miss, string>> Outputs { get; } = [];

        public void OnJoined(RetryJoined<int, Miss, string> joined) =>
            Outputs.Add(new() { Kind = RetryOutputKind.Joined, Record = joined.Record, Joined = joined });

        public void OnExpired(RetryExpired<int, Miss> expired) =>
            Outputs.Add(new() { Kind = RetryOutputKind.Expired, Record = expired.Record, Expired = expired });
    }
}
