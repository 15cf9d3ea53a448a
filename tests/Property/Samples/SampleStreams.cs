using CtrSession;
using Xunit;

namespace Cep.Tests.Samples;

/// <summary>The small seeded ad streams the sample tests run the CTR session jobs over.</summary>
internal static class SampleStreams
{
    /// <summary>Gets the seeds the sample theories run with.</summary>
    public static TheoryData<int> Seeds => [1, 2, 42];

    /// <summary>A stream small enough for a test that still exercises every outcome: few users and ads, sparse
    /// exposures and a high late share.</summary>
    /// <param name="seed">The stream's seed.</param>
    /// <param name="events">The number of records.</param>
    /// <returns>The options of the stream.</returns>
    public static SyntheticAdStreamOptions Small(int seed, int events = 6_000) => new()
    {
        Events = events,
        Seed = seed,
        Users = 40,
        Ads = 3,
        MeanExposureGapMs = 200,
        LateProbability = 0.03,
    };
}
