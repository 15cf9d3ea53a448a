using Cep.Joins.Retry;
using FsCheck;
using FsCheck.Fluent;

namespace Cep.Tests.Joins.Retry;

/// <summary>A level as generated: delay, attempts, backoff, cap (milliseconds).</summary>
public sealed record GenLevel(long DelayMs, int Attempts, RetryBackoffType Backoff, long? MaxMs)
{
    public override string ToString() => $"{DelayMs}ms x{Attempts} {Backoff}{(MaxMs is { } m ? $" max {m}ms" : string.Empty)}";
}

/// <summary>One input step: a record, or a watermark (milliseconds).</summary>
public sealed record RetryStep(Miss? Record, long? WatermarkMs)
{
    public override string ToString() => Record?.ToString() ?? $"W{WatermarkMs}";
}

/// <summary>
/// A generated run of a retry queue: levels, exit policy, batching, ordering, a feature schedule (per key, the time its
/// feature appears, or never), a failure rate for round trips, and the input (records and rising watermarks).
/// </summary>
public sealed record RetryCase(
    IReadOnlyList<GenLevel> Levels,
    long? TtlMs,
    int MaxBatch,
    bool KeyOrder,
    double FailureRate,
    int Seed,
    IReadOnlyDictionary<int, long> AppearMs,
    IReadOnlyList<RetryStep> Steps,
    bool Final,
    bool Predicate,
    bool Async)
{
    public IEnumerable<Miss> Records => Steps.Where(s => s.Record is not null).Select(s => s.Record!);

    public override string ToString() =>
        $"levels [{string.Join("; ", Levels)}] ttl={TtlMs} batch={MaxBatch} keyOrder={KeyOrder} failures={FailureRate} seed={Seed} final={Final} " +
        $"predicate={Predicate} async={Async}\n  features: {string.Join(" ", AppearMs.Select(a => $"k{a.Key}@{a.Value}"))}\n  steps: {string.Join(" ", Steps)}";

    /// <summary>The exit predicate of generated cases: keys divisible by 3 give up after their second attempt.</summary>
    public static bool PredicateSays(int key, int totalAttempts) => key % 3 == 0 && totalAttempts == 2;

    public RetryQueueOptions<int, Miss, string> ToOptions()
    {
        var options = RetryTestSupport.Options([.. Levels.Select(l => RetryTestSupport.Level(l.DelayMs, l.Attempts, l.Backoff, l.MaxMs))]);
        options.Ttl = TtlMs is { } ttl ? NodaTime.Duration.FromMilliseconds(ttl) : null;
        options.MaxBatchSize = MaxBatch;
        options.PreserveKeyOrder = KeyOrder;
        options.ShouldExit = Predicate ? c => PredicateSays(c.Key, c.TotalAttempts) : null;
        return options;
    }
}

public static class RetryGenerators
{
    public static Arbitrary<RetryCase> Cases() =>
        Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed))), Shrink);

    public static RetryCase NewCase(Random r)
    {
        var levels = Enumerable.Range(0, r.Next(1, 4))
            .Select(_ => new GenLevel(r.Next(0, 41), r.Next(1, 4), (RetryBackoffType)r.Next(3), r.Next(3) == 0 ? r.Next(0, 61) : null))
            .ToList();
        var keys = r.Next(1, 7);
        var appear = new Dictionary<int, long>();
        for (var k = 0; k < keys; k++)
        {
            if (r.Next(4) != 0)
            {
                appear[k] = r.Next(-10, 250);
            }
        }

        var steps = new List<RetryStep>();
        long wm = 0;
        var id = 0;
        for (var n = r.Next(0, 45); n > 0; n--)
        {
            if (r.Next(10) < 6)
            {
                steps.Add(new RetryStep(new Miss(id++, r.Next(keys), wm + r.Next(-20, 21)), null));
            }
            else
            {
                wm += r.Next(1, 31);
                steps.Add(new RetryStep(null, wm));
            }
        }

        double[] rates = [0, 0, 0.1, 0.3, 0.5];
        return new RetryCase(levels, r.Next(3) == 0 ? r.Next(10, 200) : null, r.Next(1, 5), r.Next(2) == 0, rates[r.Next(rates.Length)], r.Next(),
            appear, steps, r.Next(3) != 0, r.Next(3) == 0, r.Next(4) == 0);
    }

    public static IEnumerable<RetryCase> Shrink(RetryCase c)
    {
        for (var i = c.Steps.Count - 1; i >= 0; i--)
        {
            yield return c with { Steps = [.. c.Steps.Take(i), .. c.Steps.Skip(i + 1)] };
        }

        if (c.Levels.Count > 1)
        {
            yield return c with { Levels = [.. c.Levels.Skip(1)] };
        }

        if (c.FailureRate > 0)
        {
            yield return c with { FailureRate = 0 };
        }
    }
}
