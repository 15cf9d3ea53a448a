namespace Cep.Joins.Retry;

/// <summary>One record in a retry queue, with where it is on the ladder. Times are ticks of the operator's clock.</summary>
internal sealed class RetryEntry<TKey, TIn, TValue>(long seq, TKey key, TIn record, long timestamp)
{
    /// <summary>The arrival number; unique, increasing.</summary>
    public long Seq { get; } = seq;

    public TKey Key { get; } = key;

    public TIn Record { get; } = record;

    /// <summary>The record's timestamp in ticks.</summary>
    public long Timestamp { get; } = timestamp;

    /// <summary>The level, 0 for the first.</summary>
    public int Level;

    /// <summary>The attempts made at <see cref="Level"/>.</summary>
    public int Attempt;

    /// <summary>The attempts made over all levels.</summary>
    public int Total;

    /// <summary>When the next attempt is due.</summary>
    public long Due;

    /// <summary>The exception of the last attempt if it failed; null after a miss.</summary>
    public Exception? LastError;

    /// <summary>Whether the record is done (joined or exited) and waits for earlier records of its key.</summary>
    public bool Done;

    /// <summary>For a done record: whether it was joined.</summary>
    public bool Joined;

    /// <summary>For a joined record: the value.</summary>
    public TValue Value = default!;

    /// <summary>For an exited record: the reason.</summary>
    public RetryExitReason Reason;

    /// <summary>For a done record: when it was done.</summary>
    public long DoneAt;
}

/// <summary>What the queue reports for every attempt it makes (tests check timing and batching with it).</summary>
/// <param name="Record">The record attempted.</param>
/// <param name="Level">The level, 1 for the first.</param>
/// <param name="Attempt">The attempt within the level, 1 for the first.</param>
/// <param name="Due">When the attempt was due, in ticks.</param>
/// <param name="At">When it was made, in ticks.</param>
/// <param name="Round">The number of the round of multi-gets it belonged to.</param>
/// <param name="Final">Whether it was the final round at the end of input.</param>
internal readonly record struct RetryAttemptTrace<TIn>(TIn Record, int Level, int Attempt, long Due, long At, long Round, bool Final);

/// <summary>The waits of a level: backoff, jitter, cap.</summary>
internal static class RetryBackoff
{
    /// <summary>The wait in ticks before attempt <paramref name="attempt"/> (1 for the first) of <paramref name="level"/>.</summary>
    public static long DelayTicks(RetryLevelOptions level, int attempt, Func<double> randomizer)
    {
        var d = level.Delay.BclCompatibleTicks;
        var ticks = level.BackoffType switch
        {
            RetryBackoffType.Linear => Multiply(d, attempt),
            RetryBackoffType.Exponential => attempt - 1 >= 62 ? (d == 0 ? 0 : long.MaxValue) : Multiply(d, 1L << (attempt - 1)),
            _ => d,
        };
        if (level.UseJitter)
        {
            var r = randomizer();
            r = double.IsNaN(r) ? 0.5 : Math.Clamp(r, 0.0, 1.0);
            var jittered = ticks * (0.75 + (0.5 * r));
            ticks = jittered >= long.MaxValue ? long.MaxValue : (long)jittered;
        }

        return level.MaxDelay is { } max ? Math.Min(ticks, max.BclCompatibleTicks) : ticks;
    }

    private static long Multiply(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;
}
