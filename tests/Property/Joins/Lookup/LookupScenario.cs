using System.Reactive.Concurrency;
using Cep.Joins.Lookup;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

/// <summary>What the fake store does with a key: found, missing, failing round trip, or too slow (times out).</summary>
public enum KeyBehaviour
{
    Found,
    Missing,
    Throws,
    Slow,
}

/// <summary>One input step: a record with a key (negative: the key selector throws), a watermark step, or time passing.</summary>
public sealed record Step(int Kind, int Arg);

public sealed record CacheSpec(int MaxEntries, int TtlMs, bool CacheMisses, int MissTtlMs);

/// <summary>
/// A generated run of the lookup operator. Without faults, keys are only found or missing and batches are any size;
/// with faults, keys may also fail or be slow, and batches hold one key, so that each record's outcome depends on its
/// own key only.
/// </summary>
public sealed record LookupScenario(
    bool Ordered, int Capacity, bool Reject, int MaxBatchSize, int LingerMs, CacheSpec? Cache, bool Faults,
    KeyBehaviour[] Keys, int[] DelaysMs, Step[] Steps, int Cut)
{
    public const int TimeoutMs = 50;

    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > 0 ? n : 200;

    public static Gen<LookupScenario> Generator(bool allowReject) =>
        from faults in Gen.Elements(false, true)
        from ordered in Gen.Elements(true, false)
        from capacity in Gen.Choose(1, 8)
        from reject in allowReject ? Gen.Elements(false, true) : Gen.Constant(false)
        from batch in faults ? Gen.Constant(1) : Gen.Choose(1, 5)
        from linger in Gen.Choose(0, 5)
        from useCache in Gen.Elements(false, true)
        from maxEntries in Gen.Choose(1, 5)
        from ttl in Gen.Choose(5, 100)
        from cacheMisses in Gen.Elements(false, true)
        from missTtl in Gen.Choose(1, 5)
        from keys in Gen.ArrayOf(faults ? Gen.Elements(Enum.GetValues<KeyBehaviour>()) : Gen.Elements(KeyBehaviour.Found, KeyBehaviour.Missing), 8)
        from delays in Gen.ArrayOf(Gen.Choose(1, 30), 8)
        from steps in Gen.ListOf(StepGen).Select(s => s.ToArray())
        from cut in Gen.Choose(0, steps.Length)
        select new LookupScenario(
            ordered, capacity, reject, batch, linger,
            useCache ? new CacheSpec(maxEntries, ttl, cacheMisses, Math.Min(missTtl, ttl)) : null,
            faults, keys, delays, steps, cut);

    private static Gen<Step> StepGen =>
        Gen.Frequency(
            (14, Gen.Choose(-1, 7).Select(k => new Step(0, k))),
            (3, Gen.Choose(1, 20).Select(d => new Step(1, d))),
            (3, Gen.Choose(1, 40).Select(d => new Step(2, d))));

    public AsyncLookupOptions Options() => new()
    {
        Ordered = Ordered,
        Capacity = Capacity,
        FullMode = Reject ? LookupFullMode.Reject : LookupFullMode.Wait,
        MaxBatchSize = MaxBatchSize,
        Linger = Duration.FromMilliseconds(LingerMs),
        Timeout = Duration.FromMilliseconds(TimeoutMs),
        Cache = Cache is { } c
            ? new LookupCacheOptions { MaxEntries = c.MaxEntries, Ttl = Duration.FromMilliseconds(c.TtlMs), CacheMisses = c.CacheMisses, MissTtl = Duration.FromMilliseconds(c.MissTtlMs) }
            : null,
    };

    public LookupHarness NewHarness(DateTimeOffset start)
    {
        var scheduler = new HistoricalScheduler(start);
        var source = new FakeLookupSource(scheduler);
        for (var k = 0; k < Keys.Length; k++)
        {
            switch (Keys[k])
            {
                case KeyBehaviour.Found:
                    source.Store[k] = $"v{k}";
                    source.Delays[k] = TimeSpan.FromMilliseconds(DelaysMs[k]);
                    break;
                case KeyBehaviour.Missing:
                    source.Delays[k] = TimeSpan.FromMilliseconds(DelaysMs[k]);
                    break;
                case KeyBehaviour.Throws:
                    source.FailingKeys.Add(k);
                    source.Delays[k] = TimeSpan.FromMilliseconds(DelaysMs[k]);
                    break;
                default:
                    source.Store[k] = $"v{k}";
                    source.Delays[k] = TimeSpan.FromMilliseconds(TimeoutMs + 10 + DelaysMs[k]);
                    break;
            }
        }

        return new LookupHarness(Options(), source, scheduler);
    }

    /// <summary>Feeds steps [from, to); returns the next record id and the last watermark.</summary>
    public (int NextId, long Watermark) Feed(LookupHarness h, int from, int to, int nextId, long watermark)
    {
        for (var i = from; i < to; i++)
        {
            var step = Steps[i];
            switch (step.Kind)
            {
                case 0:
                    h.Record(nextId++, step.Arg);
                    break;
                case 1:
                    watermark += step.Arg;
                    h.Watermark(watermark);
                    break;
                default:
                    h.Advance(step.Arg);
                    break;
            }
        }

        return (nextId, watermark);
    }

    /// <summary>What the store's contents and fault schedule say about a record with <paramref name="key"/>.</summary>
    public (EventKind Kind, string? Detail) Expected(int key) =>
        key < 0 ? (EventKind.Failed, nameof(LookupFailureReason.KeySelectorFailed))
        : Keys[key] switch
        {
            KeyBehaviour.Found => (EventKind.Joined, $"v{key}"),
            KeyBehaviour.Missing => (EventKind.Miss, null),
            KeyBehaviour.Throws => (EventKind.Failed, nameof(LookupFailureReason.SourceFailed)),
            _ => (EventKind.Failed, nameof(LookupFailureReason.Timeout)),
        };

    /// <summary>The input as (record id or -1 for a watermark, key or watermark ms).</summary>
    public List<(int Id, long Arg)> Input()
    {
        var input = new List<(int, long)>();
        var id = 0;
        var watermark = 0L;
        foreach (var step in Steps)
        {
            if (step.Kind == 0)
            {
                input.Add((id++, step.Arg));
            }
            else if (step.Kind == 1)
            {
                watermark += step.Arg;
                input.Add((-1, watermark));
            }
        }

        return input;
    }

    /// <summary>Checks a complete run's output (all steps fed, then flushed) against the oracle.</summary>
    public void Check(IReadOnlyList<LookupEvent> events, AsyncLookupCounters counters)
    {
        var input = Input();
        var records = input.Where(x => x.Id >= 0).ToList();
        var results = events.Where(e => e.Kind != EventKind.Watermark).ToList();

        // Every record exactly once.
        Assert.Equal(records.Select(r => r.Id).Order(), results.Select(e => e.Record!.Id).Order());
        var rejected = results.Where(e => e.Kind == EventKind.Rejected).Select(e => e.Record!.Id).ToHashSet();
        Assert.True(Reject || rejected.Count == 0, "rejected in wait mode");
        foreach (var e in results)
        {
            Assert.Equal(LookupHarness.Ms(e.Record!.Id), e.Time);
            if (e.Kind == EventKind.Rejected)
            {
                Assert.Equal(nameof(LookupRejectReason.CapacityFull), e.Reason);
                continue;
            }

            var (kind, detail) = Expected(e.Record.Key);
            Assert.Equal(kind, e.Kind);
            Assert.Equal(detail, kind == EventKind.Failed ? e.Reason : e.Value);
        }

        // Watermarks in order; ordered: exact input order; unordered: no result crosses a watermark.
        var kept = input.Where(x => !rejected.Contains(x.Id)).ToList();
        Assert.Equal(kept.Where(x => x.Id < 0).Select(x => LookupHarness.Ms(x.Arg)), events.Where(e => e.Kind == EventKind.Watermark).Select(e => e.Time));
        var outSeq = events.Where(e => e.Kind != EventKind.Rejected).Select(e => e.Kind == EventKind.Watermark ? -1 : e.Record!.Id).ToList();
        if (Ordered)
        {
            Assert.Equal(kept.Select(x => x.Id), outSeq);
        }
        else
        {
            Assert.Equal(Segments(kept.Select(x => x.Id)), Segments(outSeq));
        }

        Assert.True(counters.Balanced, counters.ToString());
        Assert.Equal(0, counters.InFlight);
        Assert.Equal(records.Count, counters.RecordsIn);
        Assert.Equal(results.Count(e => e.Kind == EventKind.Joined), counters.Joined);
        Assert.Equal(results.Count(e => e.Kind == EventKind.Miss), counters.Missed);
        Assert.Equal(results.Count(e => e.Kind == EventKind.Failed), counters.Failed);
        Assert.Equal(rejected.Count, counters.Rejected);
    }

    /// <summary>The records between consecutive watermarks, as sorted sets.</summary>
    private static List<string> Segments(IEnumerable<int> sequence)
    {
        var segments = new List<string>();
        var current = new List<int>();
        foreach (var id in sequence)
        {
            if (id < 0)
            {
                segments.Add(string.Join(",", current.Order()));
                current.Clear();
            }
            else
            {
                current.Add(id);
            }
        }

        segments.Add(string.Join(",", current.Order()));
        return segments;
    }
}
