using NodaTime;

namespace CtrSession;

/// <summary>
/// What the synthetic streams share: a seed, and arrival times that trail event times by up to an out-of-orderness bound,
/// with a few records delayed 5 to 60 s beyond it so that they most likely arrive late.
/// </summary>
public abstract record ArrivalOptions
{
    /// <summary>Initializes the defaults of one stream.</summary>
    /// <param name="seed">The default seed.</param>
    /// <param name="lateProbability">The default probability that a record arrives late.</param>
    protected ArrivalOptions(int seed, double lateProbability)
    {
        Seed = seed;
        LateProbability = lateProbability;
    }

    public int Seed { get; init; }

    /// <summary>Records arrive up to this much after their event time; the job's watermark uses the same bound.</summary>
    public Duration OutOfOrderness { get; init; } = Duration.FromSeconds(2);

    /// <summary>Probability that a record is delayed by 5 to 60 s beyond the bound, so that it most likely arrives late.</summary>
    public double LateProbability { get; init; }

    /// <summary>Draws how long after its event time a record arrives.</summary>
    /// <param name="rng">The stream's random numbers.</param>
    /// <param name="bound">The out-of-orderness bound in the stream's time unit.</param>
    /// <param name="unitsPerSecond">The stream's time units per second.</param>
    /// <param name="unitsPerStep">The granularity of a late record's extra delay, in time units.</param>
    /// <returns>The delay in the stream's time unit: up to <paramref name="bound"/>, or for a late record the bound plus
    /// 5 to 60 s.</returns>
    protected internal long ArrivalDelay(Random rng, long bound, long unitsPerSecond, long unitsPerStep) =>
        rng.NextDouble() < LateProbability
            ? bound + (5 * unitsPerSecond) + (rng.NextInt64((55 * unitsPerSecond / unitsPerStep) + 1) * unitsPerStep)
            : rng.NextInt64(bound + 1);
}
