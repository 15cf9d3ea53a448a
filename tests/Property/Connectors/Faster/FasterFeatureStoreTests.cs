using System.Text;
using Cep.Connectors.Faster;
using Cep.Connectors.Features;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Faster;

/// <summary>What only the FASTER store has: options, checkpoints and recovery, records spilled to disk.</summary>
public sealed class FasterFeatureStoreTests : IDisposable
{
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 9, 0);
    private static readonly Duration Ttl = Duration.FromHours(1);
    private readonly FasterTestDirectory _directory = new();
    private readonly List<FasterFeatureStore> _open = [];

    public void Dispose()
    {
        foreach (var store in _open)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _directory.Dispose();
    }

    private FasterFeatureStore Open(string directory, IClock clock, Func<FasterFeatureStoreOptions, FasterFeatureStoreOptions>? adjust = null)
    {
        var options = FasterFeatureStoreContractTests.SmallOptions(directory, Ttl, clock);
        var store = new FasterFeatureStore(adjust is null ? options : adjust(options));
        _open.Add(store);
        return store;
    }

    private static FeatureRecord Rec(string key, Instant eventTime, string value) => new(key, eventTime, Encoding.UTF8.GetBytes(value));

    private static string Describe(FeatureRecord? r) => r is null ? "missing" : $"{r.Key}@{r.EventTime.ToUnixTimeTicks()}={Encoding.UTF8.GetString(r.Value.Span)}";

    /// <summary>Writes overlapping batches (newer and older versions of keys) and returns what each key must read as.</summary>
    private static async Task<Dictionary<string, FeatureRecord>> WriteMixAsync(IFeatureStore store, int keys, int rounds, string tag)
    {
        var expected = new Dictionary<string, FeatureRecord>();
        var random = new Random(keys * 31 + rounds);
        for (var round = 0; round < rounds; round++)
        {
            var batch = Enumerable.Range(0, keys / 2)
                .Select(_ => random.Next(keys))
                .Select(k => Rec($"req-{k}", Start - Duration.FromMilliseconds(random.Next(100_000)), $"{tag}-{round}-{new string('x', random.Next(0, 60))}"))
                .ToArray();
            await store.WriteAsync(batch);
            foreach (var r in batch)
            {
                if (!expected.TryGetValue(r.Key, out var old) || old.EventTime <= r.EventTime)
                {
                    expected[r.Key] = r;
                }
            }
        }

        return expected;
    }

    private static async Task AssertHoldsExactly(IFeatureStore store, Dictionary<string, FeatureRecord> expected, int keyRange)
    {
        var keys = Enumerable.Range(0, keyRange).Select(k => $"req-{k}").ToArray();
        foreach (var chunk in keys.Chunk(500))
        {
            var found = await store.LookupAsync(chunk, CancellationToken.None);
            foreach (var key in chunk)
            {
                Assert.Equal(Describe(expected.GetValueOrDefault(key)), Describe(found.GetValueOrDefault(key)));
            }
        }
    }

    [Fact]
    public async Task CheckpointDisposeAndReopenRecoversEveryRecord()
    {
        var directory = _directory.NewStoreDirectory();
        var clock = new FakeClock(Start);
        var store = Open(directory, clock);
        Assert.False(store.RecoveredFromCheckpoint);
        var expected = await WriteMixAsync(store, keys: 3000, rounds: 6, "a");
        await store.CheckpointAsync();
        await store.DisposeAsync();

        var reopened = Open(directory, clock);
        Assert.True(reopened.RecoveredFromCheckpoint);
        await AssertHoldsExactly(reopened, expected, 3100);

        // The recovered store keeps working: newest-wins against recovered records, and expiry on the clock.
        var older = expected["req-7"].EventTime - Duration.FromMilliseconds(1);
        await reopened.WriteAsync([Rec("req-7", older, "older")]);
        Assert.Equal(Describe(expected["req-7"]), Describe(await reopened.GetAsync("req-7")));
        clock.Reset(expected["req-7"].EventTime + Ttl);
        Assert.Null(await reopened.GetAsync("req-7"));
    }

    [Fact]
    public async Task RecordsWrittenAfterTheLastCheckpointAreNotBroughtBack()
    {
        var directory = _directory.NewStoreDirectory();
        var store = Open(directory, new FakeClock(Start));
        await store.WriteAsync([Rec("kept", Start - Duration.FromMinutes(2), "v1")]);
        await store.CheckpointAsync();
        await store.WriteAsync([Rec("kept", Start - Duration.FromMinutes(1), "v2"), Rec("first", Start, "f")]);
        var second = await store.CheckpointAsync();
        await store.WriteAsync([Rec("kept", Start, "v3"), Rec("lost", Start, "l")]);
        Assert.Equal("kept@" + Start.ToUnixTimeTicks() + "=v3", Describe(await store.GetAsync("kept")));
        await store.DisposeAsync();

        var reopened = Open(directory, new FakeClock(Start));
        Assert.True(reopened.RecoveredFromCheckpoint);
        Assert.NotEqual(Guid.Empty, second);
        Assert.Equal("v2", Encoding.UTF8.GetString((await reopened.GetAsync("kept"))!.Value.Span));
        Assert.NotNull(await reopened.GetAsync("first"));
        Assert.Null(await reopened.GetAsync("lost"));
    }

    [Fact]
    public async Task CheckpointTakenWhileWritersRunKeepsEverythingWrittenBeforeIt()
    {
        var directory = _directory.NewStoreDirectory();
        var store = Open(directory, new FakeClock(Start));
        await store.WriteAsync([.. Enumerable.Range(0, 500).Select(i => Rec($"before-{i}", Start, "b"))]);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50 || (i < 2000 && !stop.IsCancellationRequested); i++)
            {
                await store.WriteAsync([Rec($"during-{w}-{i}", Start, "d")]);
            }
        })).ToArray();
        await store.CheckpointAsync();
        await store.CheckpointAsync();
        stop.Cancel();
        await Task.WhenAll(writers);
        await store.DisposeAsync();

        var reopened = Open(directory, new FakeClock(Start));
        Assert.Equal(500, (await reopened.LookupAsync([.. Enumerable.Range(0, 500).Select(i => $"before-{i}")], CancellationToken.None)).Count);
        var during = await reopened.LookupAsync([.. Enumerable.Range(0, 50).Select(i => $"during-0-{i}")], CancellationToken.None);
        Assert.All(during.Values, r => Assert.Equal("d", Encoding.UTF8.GetString(r.Value.Span)));
    }

    [Fact]
    public async Task ReopeningWithoutACheckpointStartsEmpty()
    {
        var directory = _directory.NewStoreDirectory();
        var store = Open(directory, new FakeClock(Start));
        await store.WriteAsync([Rec("k", Start, "v")]);
        await store.DisposeAsync();

        var reopened = Open(directory, new FakeClock(Start));
        Assert.False(reopened.RecoveredFromCheckpoint);
        Assert.Null(await reopened.GetAsync("k"));
    }

    /// <summary>
    /// With an in-memory log of two 4 KiB pages nearly every record lives on disk, so reads and read-modify-writes go
    /// pending and complete through CompletePending: the results must still be exact, also after a recovery.
    /// </summary>
    [Fact]
    public async Task RecordsSpilledToDiskAreReadAndUpdatedCorrectly()
    {
        var directory = _directory.NewStoreDirectory();
        var clock = new FakeClock(Start);
        FasterFeatureStoreOptions Tiny(FasterFeatureStoreOptions o) => o with { PageSize = 1L << 12, MemorySize = 1L << 13, SegmentSize = 1L << 16 };
        var store = Open(directory, clock, Tiny);
        var expected = await WriteMixAsync(store, keys: 2000, rounds: 8, "d");
        Assert.True(store.PendingCompleted > 0, "some writes waited for the disk");
        var afterWrites = store.PendingCompleted;
        await AssertHoldsExactly(store, expected, 2050);
        Assert.True(store.PendingCompleted > afterWrites + 1000, $"most reads waited for the disk: {store.PendingCompleted - afterWrites}");
        Assert.Equal(Describe(expected["req-1"]), Describe(await store.GetAsync("req-1")));

        await store.CheckpointAsync();
        await store.DisposeAsync();
        var reopened = Open(directory, clock, Tiny);
        await AssertHoldsExactly(reopened, expected, 2050);
    }

    [Fact]
    public async Task RecordLargerThanAPageIsRejectedAndNothingOfTheBatchWritten()
    {
        var store = Open(_directory.NewStoreDirectory(), new FakeClock(Start), o => o with { PageSize = 1L << 12, MemorySize = 1L << 14 });
        Assert.Equal((1 << 12) - 64, store.MaxRecordBytes);
        var fits = new FeatureRecord("k", Start, new byte[store.MaxRecordBytes - 1 - 12]);
        var tooBig = new FeatureRecord("big", Start, new byte[store.MaxRecordBytes]);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([Rec("a", Start, "a"), tooBig]).AsTask());
        Assert.Contains("index 1", error.Message);
        Assert.Contains("'big'", error.Message);
        Assert.Null(await store.GetAsync("a"));

        await store.WriteAsync([fits]);
        Assert.Equal(fits.Value.Length, (await store.GetAsync("k"))!.Value.Length);
    }

    [Fact]
    public async Task ConcurrentCallsShareAPoolOfSessions()
    {
        var store = Open(_directory.NewStoreDirectory(), new FakeClock(Start));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await store.WriteAsync([Rec($"t{t}-{i}", Start, "v")]);
                Assert.NotNull(await store.GetAsync($"t{t}-{i}"));
            }
        })));
        Assert.InRange(store.SessionCount, 1, 8);
        Assert.Equal(8 * 200, (await store.LookupAsync([.. Enumerable.Range(0, 1600).Select(i => $"t{i % 8}-{i / 8}")], CancellationToken.None)).Count);
    }

    [Fact]
    public async Task CallsAfterDisposeThrowObjectDisposed()
    {
        var store = Open(_directory.NewStoreDirectory(), new FakeClock(Start));
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("k").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([Rec("k", Start, "v")]).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CheckpointAsync());
    }
}
