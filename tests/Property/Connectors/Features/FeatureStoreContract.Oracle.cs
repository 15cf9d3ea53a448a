using Cep.Connectors.Features;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Features;

/// <summary>One step of a generated store session.</summary>
public abstract record StoreStep;

/// <summary>Writes one batch; each entry is a key index and an event time in milliseconds relative to the clock (floored to a millisecond).</summary>
public sealed record WriteStep(IReadOnlyList<(int Key, int OffsetMs)> Batch) : StoreStep
{
    public override string ToString() => $"Write[{string.Join(", ", Batch.Select(b => $"k{b.Key}@{b.OffsetMs}"))}]";
}

/// <summary>Reads one key.</summary>
public sealed record GetStep(int Key) : StoreStep
{
    public override string ToString() => $"Get k{Key}";
}

/// <summary>Looks up distinct keys in one batch.</summary>
public sealed record LookupStep(IReadOnlyList<int> Keys) : StoreStep
{
    public override string ToString() => $"Lookup[{string.Join(",", Keys.Select(k => $"k{k}"))}]";
}

/// <summary>Advances the clock by some milliseconds and ticks.</summary>
public sealed record AdvanceStep(int Ms, int Ticks) : StoreStep
{
    public override string ToString() => $"Advance {Ms}ms+{Ticks}t";
}

public abstract partial class FeatureStoreContract
{
    private const int OracleKeys = 6;
    private static readonly Duration OracleTtl = Duration.FromMilliseconds(10);

    /// <summary>
    /// Any sequence of writes, reads, lookups and clock moves gives exactly what a dictionary oracle gives: per key the
    /// record with the newest event time (last write on ties), visible while now &lt; eventTime + ttl. TTL 10 ms,
    /// event times within [-12, +3] ms of the clock and advances of 0–4 ms (sometimes plus one tick) hit the expiry
    /// boundary often.
    /// </summary>
    [Fact]
    public void AnyStepSequenceMatchesADictionaryOracle()
    {
        var key = Gen.Choose(0, OracleKeys - 1);
        var write = Gen.NonEmptyListOf(Gen.Zip(key, Gen.Choose(-12, 3))).Select(l => l.Take(4).ToArray())
            .Select(StoreStep (b) => new WriteStep(b));
        var get = key.Select(StoreStep (k) => new GetStep(k));
        var lookup = Gen.SubListOf(Enumerable.Range(0, OracleKeys + 2).ToArray()).Select(StoreStep (l) => new LookupStep([.. l]));
        var advance = Gen.Zip(Gen.Choose(0, 4), Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Constant(1))))
            .Select(StoreStep (t) => new AdvanceStep(t.Item1, t.Item2));
        var step = Gen.Frequency((4, write), (3, get), (3, lookup), (3, advance));
        var steps = Gen.ListOf(step).Select(l => l.Take(40).ToArray()).ToArbitrary();

        Prop.ForAll(steps, s => Task.Run(() => RunAgainstOracle(s)).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(OracleCases));
    }

    private static string KeyName(int k) => k == 1 ? "k1-ключ" : $"k{k}";

    private async Task RunAgainstOracle(StoreStep[] steps)
    {
        var clock = new FakeClock(Start);
        var store = await CreateStoreAsync(OracleTtl, clock);
        try
        {
            var oracle = new Dictionary<string, FeatureRecord>();
            var seq = 0;
            for (var i = 0; i < steps.Length; i++)
            {
                var now = clock.GetCurrentInstant();
                var where = $"step {i} ({steps[i]}) at now = start + {(now - Start).TotalTicks} ticks in [{string.Join("; ", steps)}]";
                switch (steps[i])
                {
                    case WriteStep w:
                        var floor = Instant.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
                        var batch = w.Batch.Select(b => Rec(KeyName(b.Key), floor + Duration.FromMilliseconds(b.OffsetMs), $"v{seq++}")).ToArray();
                        await store.WriteAsync(batch);
                        foreach (var r in batch)
                        {
                            if (!oracle.TryGetValue(r.Key, out var old) || old.EventTime <= r.EventTime)
                            {
                                oracle[r.Key] = r;
                            }
                        }

                        break;
                    case GetStep g:
                        Same(Expected(KeyName(g.Key)), await store.GetAsync(KeyName(g.Key)), where);
                        break;
                    case LookupStep l:
                        var asked = l.Keys.Select(KeyName).ToArray();
                        var found = await store.LookupAsync(asked, CancellationToken.None);
                        var expected = asked.Select(Expected).OfType<FeatureRecord>().ToDictionary(r => r.Key);
                        if (!found.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected.Keys.Order(StringComparer.Ordinal)))
                        {
                            throw new Xunit.Sdk.XunitException(
                                $"{where}: lookup found [{string.Join(",", found.Keys)}], oracle [{string.Join(",", expected.Keys)}]");
                        }

                        foreach (var (k, r) in expected)
                        {
                            Same(r, found[k], where);
                        }

                        break;
                    case AdvanceStep a:
                        clock.Advance(Duration.FromMilliseconds(a.Ms) + Duration.FromTicks(a.Ticks));
                        break;
                }

                FeatureRecord? Expected(string k) =>
                    oracle.TryGetValue(k, out var r) && now < r.EventTime + OracleTtl ? r : null;
            }
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    private static void Same(FeatureRecord? expected, FeatureRecord? actual, string where)
    {
        var e = expected is null ? "missing" : $"{expected.Key}@{expected.EventTime}={Text(expected)}";
        var a = actual is null ? "missing" : $"{actual.Key}@{actual.EventTime}={Text(actual)}";
        if (e != a)
        {
            throw new Xunit.Sdk.XunitException($"{where}: store gave {a}, oracle {e}");
        }
    }
}
