using System.Globalization;
using Cep.Connectors.Faster;
using Cep.Connectors.Features;
using Cep.Connectors.HBase;
using NodaTime;

namespace CtrSession;

/// <summary>The outcome of a run of both stages, and which store served it.</summary>
public sealed record FeatureJoinRun(CtrSessionReport Sessions, FeatureJoinReport Features, string Store);

/// <summary>Opens the feature store of a run (FASTER in a temporary directory, or HBase through its REST gateway), runs
/// both stages against it, and cleans up: the directory, or the table, is deleted at the end.</summary>
public static class FeatureStores
{
    /// <summary>Runs the stages with FASTER, or with the HBase REST gateway at <paramref name="hbaseUrl"/> if not null.
    /// <paramref name="clock"/> (a new one at the stream's start if null) is the stage's event-time clock; a test gateway
    /// can share it so that its TTL follows event time too.</summary>
    public static async Task<FeatureJoinRun> RunAsync(
        string? hbaseUrl, SyntheticAdStreamOptions ads, IReadOnlyList<AdEvent> stream, IReadOnlyList<FeatureArrival> features,
        FeatureJoinOptions options, ISampleSink? next = null, Action<FeatureJoinJob>? inspect = null, WatermarkClock? clock = null)
    {
        clock ??= new WatermarkClock(ads.Start);
        if (hbaseUrl is null)
        {
            var dir = Path.Combine(Path.GetTempPath(), "ctr-features-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using var store = new FasterFeatureStore(new FasterFeatureStoreOptions
                {
                    Directory = dir,
                    Ttl = options.FeatureTtl,
                    Clock = clock,
                    IndexSize = 1L << 17,
                    MemorySize = 1L << 26,
                });
                return await RunAsync(store, clock, $"FASTER in a temporary directory", ads, stream, features, options, next, inspect).ConfigureAwait(false);
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }

        var uri = new Uri(hbaseUrl, UriKind.Absolute);
        using var client = new HBaseRestClient(new HBaseRestClientOptions { Endpoints = [uri] });
        var table = string.Create(CultureInfo.InvariantCulture, $"ctr_features_{ads.Start.ToUnixTimeSeconds()}_{ads.Seed}");
        await client.DeleteTableAsync(table).ConfigureAwait(false); // a table left by an interrupted run of the same stream
        try
        {
            await using var store = await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions
            {
                Table = table,
                Ttl = options.FeatureTtl,
                Clock = clock,
            }).ConfigureAwait(false);
            return await RunAsync(store, clock, $"HBase REST at {uri}, table {table}", ads, stream, features, options, next, inspect).ConfigureAwait(false);
        }
        finally
        {
            await client.DeleteTableAsync(table).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the stages against <paramref name="store"/>, whose TTL clock must be <paramref name="clock"/>.</summary>
    public static async Task<FeatureJoinRun> RunAsync(
        IFeatureStore store, WatermarkClock clock, string name, SyntheticAdStreamOptions ads, IReadOnlyList<AdEvent> stream,
        IReadOnlyList<FeatureArrival> features, FeatureJoinOptions options, ISampleSink? next, Action<FeatureJoinJob>? inspect)
    {
        var job = new FeatureJoinJob(store, clock, ads.OutOfOrderness, options, next);
        var (sessions, report) = await job.RunAsync(stream, features).ConfigureAwait(false);
        inspect?.Invoke(job);
        return new FeatureJoinRun(sessions, report, name);
    }
}
