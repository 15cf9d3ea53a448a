using Cep.Connectors.Features;
using Cep.HBaseRestServer.Faults;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>The faults a case sets on the gateway's multi-gets: a seeded random rate over some fault kinds.</summary>
public sealed record FaultSpec(double Rate, int Seed, FaultKind[] Kinds, bool SlowEnoughToTimeOut)
{
    public RandomFaults? ToRandom() => Rate <= 0
        ? null
        : new RandomFaults(Rate, Seed)
        {
            Faults = Kinds,
            Kinds = [RequestKind.MultiGet],
            Latency = SlowEnoughToTimeOut ? Duration.FromMilliseconds(400) : Duration.FromMilliseconds(3),
        };

    public override string ToString() => $"rate={Rate} seed={Seed} kinds=[{string.Join(",", Kinds)}] slow={SlowEnoughToTimeOut}";
}

/// <summary>One record: its key (index into <see cref="EndToEndScenario.KeyPool"/>) and its event time (ms).</summary>
public sealed record RecordSpec(int Key, long Ms);

/// <summary>
/// A generated end-to-end run: records with keys and event times, writes of features (some keys never written, some
/// written after their records, some twice), faults on the gateway, and the operators' settings.
/// </summary>
public sealed record EndToEndScenario(
    RecordSpec[] Records, long[][] Writes, FaultSpec Faults, bool Ordered, int Capacity, int MaxBatchSize, int LingerMs,
    int RetryBatch, bool PreserveKeyOrder, int? TtlMs, int WatermarkEvery, int WatermarkLag)
{
    /// <summary>Keys that need escaping in a URL, and non-ASCII ones, next to plain ones.</summary>
    public static readonly string[] KeyPool = ["k0", "a/b", "x y", "é2", "k:4", "k%5", "k+6", "中7"];

    public static int Cases(int byDefault = 25) =>
        int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > byDefault ? n : byDefault;

    public static Gen<EndToEndScenario> Generator(bool faults) =>
        from count in Gen.Choose(5, 30)
        from keys in Gen.ArrayOf(Gen.Choose(0, KeyPool.Length - 1), count)
        from gaps in Gen.ArrayOf(Gen.Choose(0, 15), count)
        from writes in Gen.ArrayOf(WriteGen, KeyPool.Length)
        from fault in faults ? FaultGen : Gen.Constant(new FaultSpec(0, 0, [], false))
        from ordered in Gen.Elements(true, false)
        from capacity in Gen.Choose(1, 16)
        from batch in Gen.Choose(1, 4)
        from linger in Gen.Elements(0, 2)
        from retryBatch in Gen.Choose(1, 4)
        from keyOrder in Gen.Elements(true, false)
        from ttl in Gen.Elements<int?>(null, null, 150, 400)
        from every in Gen.Choose(1, 6)
        from lag in Gen.Choose(0, 40)
        select new EndToEndScenario(
            [.. keys.Select((k, i) => new RecordSpec(k, gaps.Take(i + 1).Sum()))], writes, fault, ordered, capacity, batch, linger,
            retryBatch, keyOrder, ttl, every, lag);

    public AsyncLookupOptions LookupOptions() => new()
    {
        Ordered = Ordered,
        Capacity = Capacity,
        MaxBatchSize = MaxBatchSize,
        Linger = Duration.FromMilliseconds(LingerMs),
        Timeout = Duration.FromSeconds(20),
    };

    public RetryQueueOptions<string, Click, FeatureRecord> RetryOptions() => new()
    {
        Levels =
        [
            new RetryLevelOptions { Delay = Duration.FromMilliseconds(20), MaxAttempts = 2 },
            new RetryLevelOptions { Delay = Duration.FromMilliseconds(60), MaxAttempts = 2, BackoffType = RetryBackoffType.Exponential },
        ],
        MaxBatchSize = RetryBatch,
        PreserveKeyOrder = PreserveKeyOrder,
        Ttl = TtlMs is { } t ? Duration.FromMilliseconds(t) : null,
        Randomizer = () => 0.5,
    };

    public override string ToString() =>
        $"records=[{string.Join(" ", Records.Select(r => $"{KeyPool[r.Key]}@{r.Ms}"))}] writes=[{string.Join(" ", Writes.Select((w, i) => $"{KeyPool[i]}:{string.Join("/", w)}"))}] " +
        $"faults=({Faults}) ordered={Ordered} cap={Capacity} batch={MaxBatchSize} linger={LingerMs} retryBatch={RetryBatch} keyOrder={PreserveKeyOrder} ttl={TtlMs} wmEvery={WatermarkEvery} lag={WatermarkLag}";

    // Never written, written once, or twice (each at an event time that may fall after every record).
    private static Gen<long[]> WriteGen =>
        Gen.Frequency(
            (2, Gen.Constant(Array.Empty<long>())),
            (3, Gen.Choose(0, 500).Select(t => new long[] { t })),
            (2, Gen.Choose(0, 300).SelectMany(a => Gen.Choose(a, 500).Select(b => new long[] { a, b }))));

    private static Gen<FaultSpec> FaultGen =>
        from rate in Gen.Elements(0.0, 0.1, 0.25, 0.5)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from kinds in Gen.SubListOf(new[] { FaultKind.Unavailable, FaultKind.ConnectionReset, FaultKind.TruncatedBody, FaultKind.MalformedBody, FaultKind.Latency })
        from slow in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new FaultSpec(rate, seed, kinds.Count == 0 ? [FaultKind.Unavailable] : [.. kinds], slow);
}
