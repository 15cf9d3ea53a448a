using Cep.Joins.Lookup;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupBatchingTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(100, 100)]
    [InlineData(250, 100)]
    [InlineData(7, 3)]
    public void DistinctKeysNeedCeilOfNOverMaxBatchSizeCalls(int n, int maxBatchSize)
    {
        var h = new LookupHarness(new AsyncLookupOptions { Capacity = 1000, MaxBatchSize = maxBatchSize, Linger = Duration.FromMilliseconds(10) });
        for (var i = 0; i < n; i++)
        {
            h.Source.Store[i] = $"v{i}";
            h.Record(i, i);
        }

        // Full batches leave at once, the partial one waits for its linger.
        Assert.Equal(n / maxBatchSize, h.Source.Calls.Count);
        h.Flush();
        Assert.Equal((n + maxBatchSize - 1) / maxBatchSize, h.Source.Calls.Count);
        Assert.All(h.Source.Calls.SkipLast(1), c => Assert.Equal(maxBatchSize, c.Length));
        Assert.Equal(Enumerable.Range(0, n), h.Source.Calls.SelectMany(c => c));
        Assert.Equal(n, h.Output.Results.Count(e => e.Kind == EventKind.Joined));
        Assert.Equal(h.Source.Calls.Count, h.Operator.Counters.LookupCalls);
        Assert.Equal(n, h.Operator.Counters.KeysLookedUp);
    }

    [Fact]
    public void LingerSendsAPartialBatchInVirtualTime()
    {
        var h = new LookupHarness(new AsyncLookupOptions { MaxBatchSize = 100, Linger = Duration.FromMilliseconds(10) });
        h.Record(0, 1);
        h.Advance(4);
        h.Record(1, 2);
        h.Record(2, 3);
        h.Advance(5); // 9 ms after the first key
        Assert.Empty(h.Source.Calls);
        h.Advance(1);
        Assert.Equal([[1, 2, 3]], h.Source.Calls);
        h.Record(3, 4); // a new batch, with its own linger
        h.Advance(9);
        Assert.Single(h.Source.Calls);
        h.Advance(1);
        Assert.Equal([1, 2, 3, 4], h.Source.Calls.SelectMany(c => c));
        Assert.Equal(2, h.Source.Calls.Count);
    }

    [Fact]
    public void ABatchOpenedAfterAFullOneWaitsItsOwnWholeLinger()
    {
        // The full batch leaves at once; the next one opens 6 ms later and must wait until 16 ms, not until the
        // full batch's linger (10 ms) would have ended.
        var h = new LookupHarness(new AsyncLookupOptions { MaxBatchSize = 2, Linger = Duration.FromMilliseconds(10) });
        h.Record(0, 1);
        h.Record(1, 2);
        Assert.Equal([[1, 2]], h.Source.Calls);
        h.Advance(6);
        h.Record(2, 3);
        h.Advance(4); // 10 ms
        Assert.Single(h.Source.Calls);
        h.Advance(5); // 15 ms
        Assert.Single(h.Source.Calls);
        h.Advance(1); // 16 ms
        Assert.Equal([[1, 2], [3]], h.Source.Calls);
        h.Advance(50);
        Assert.Equal(2, h.Source.Calls.Count);
    }

    [Fact]
    public void ZeroLingerSendsEachKeyAtOnce()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.Zero });
        h.Record(0, 1);
        h.Record(1, 2);
        Assert.Equal([[1], [2]], h.Source.Calls);
    }

    [Fact]
    public void ADuplicateKeyInOneBatchIsAskedOnceAndAnswersEveryRecord()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.FromMilliseconds(10) });
        h.Source.Store[1] = "one";
        foreach (var (id, key) in new[] { (0, 1), (1, 1), (2, 2), (3, 1) })
        {
            h.Record(id, key);
        }

        h.Flush();
        Assert.Equal([[1, 2]], h.Source.Calls);
        Assert.Equal(
            ["Joined 0 one", "Joined 1 one", "Miss 2 ", "Joined 3 one"],
            h.Output.Results.Select(e => $"{e.Kind} {e.Record!.Id} {e.Value}"));
    }
}
