using Cep.Joins.Lookup;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupCacheTests
{
    private static LookupHarness Harness(bool cacheMisses = false, int maxEntries = 100) =>
        new(new AsyncLookupOptions
        {
            Linger = Duration.Zero,
            Cache = new LookupCacheOptions
            {
                MaxEntries = maxEntries,
                Ttl = Duration.FromMilliseconds(100),
                CacheMisses = cacheMisses,
                MissTtl = Duration.FromMilliseconds(20),
            },
        });

    [Fact]
    public void AHitAvoidsTheCallAndTheEntryExpiresAfterItsTtl()
    {
        var h = Harness();
        h.Source.Store[1] = "one";
        h.Record(0, 1);
        h.Flush();
        Assert.Single(h.Source.Calls);

        h.Source.Store[1] = "changed"; // the cache still answers with what it was told
        h.Advance(98); // written at 1 ms (the answer's delay): valid until 101 ms
        h.Record(1, 1);
        h.Flush();
        Assert.Single(h.Source.Calls);
        Assert.Equal(1, h.Operator.Counters.CacheHits);
        Assert.Equal("one", h.Output.Results.Last().Value);

        h.Advance(2);
        h.Record(2, 1);
        h.Flush();
        Assert.Equal(2, h.Source.Calls.Count);
        Assert.Equal("changed", h.Output.Results.Last().Value);
        Assert.Equal((1L, 2L), (h.Operator.Counters.CacheHits, h.Operator.Counters.CacheMisses));
    }

    [Fact]
    public void MissesAreCachedForTheirOwnShorterTtl()
    {
        var h = Harness(cacheMisses: true);
        h.Record(0, 7);
        h.Flush();
        h.Advance(10);
        h.Record(1, 7);
        h.Flush();
        Assert.Single(h.Source.Calls);
        Assert.Equal([EventKind.Miss, EventKind.Miss], h.Output.Results.Select(e => e.Kind));

        h.Advance(20); // the miss was written at 1 ms, valid until 21 ms
        h.Source.Store[7] = "seven";
        h.Record(2, 7);
        h.Flush();
        Assert.Equal(2, h.Source.Calls.Count);
        Assert.Equal(("seven", EventKind.Joined), (h.Output.Results.Last().Value, h.Output.Results.Last().Kind));
    }

    [Fact]
    public void WithoutMissCachingEveryMissAsksTheSource()
    {
        var h = Harness(cacheMisses: false);
        h.Record(0, 7);
        h.Flush();
        h.Record(1, 7);
        h.Flush();
        Assert.Equal(2, h.Source.Calls.Count);
        Assert.Equal(0, h.Operator.Counters.CacheHits);
    }

    [Fact]
    public void TheLeastRecentlyUsedKeyIsEvicted()
    {
        var h = Harness(maxEntries: 2);
        h.Source.Store[1] = "a";
        h.Source.Store[2] = "b";
        h.Source.Store[3] = "c";
        h.Record(0, 1);
        h.Record(1, 2);
        h.Flush();
        h.Record(2, 1); // a hit: key 1 is now more recent than key 2
        h.Record(3, 3); // key 3 makes room by evicting key 2
        h.Flush();
        Assert.Equal([[1], [2], [3]], h.Source.Calls);
        h.Record(4, 1);
        h.Flush();
        Assert.Equal(3, h.Source.Calls.Count);
        h.Record(5, 2);
        h.Flush();
        Assert.Equal([2], h.Source.Calls.Last());
        Assert.Equal(2, h.Operator.CachedKeys);
    }

    [Fact]
    public void AFailedRoundTripIsNotCached()
    {
        var h = Harness(cacheMisses: true);
        h.Source.FailingKeys.Add(4);
        h.Record(0, 4);
        h.Flush();
        h.Source.FailingKeys.Clear();
        h.Record(1, 4);
        h.Flush();
        Assert.Equal(2, h.Source.Calls.Count);
        Assert.Equal([EventKind.Failed, EventKind.Miss], h.Output.Results.Select(e => e.Kind));
    }
}
