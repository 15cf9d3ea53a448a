using System.Text;
using Cep.Connectors.Features;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Features;

/// <summary>
/// The behaviour every <see cref="IFeatureStore"/> must show. A store project derives a test class and supplies
/// <see cref="CreateStoreAsync"/> (and <see cref="CleanupAsync"/> for anything the stores leave behind).
/// </summary>
/// <remarks>
/// <para><b>Expiry boundary.</b> As in HBase (a cell is expired once its timestamp + TTL is not in the future), a
/// record is visible while <c>now &lt; eventTime + ttl</c>: still visible one tick before <c>eventTime + ttl</c>,
/// gone exactly at it.</para>
/// <para><b>Precision.</b> Stores may keep event times at millisecond precision (HBase cell timestamps), so every event
/// time and TTL used here is a whole number of milliseconds; the clock itself moves in ticks.</para>
/// <para><b>Ties.</b> With equal event times the last write wins (an HBase put to the same cell and timestamp
/// replaces it); a batch is applied in order.</para>
/// <para><b>Bad keys.</b> A null or empty key is an <see cref="ArgumentException"/> (or a subclass), checked for the
/// whole batch before any record of it is written.</para>
/// <para>Every store created through <see cref="NewStoreAsync"/> is disposed after the test; disposing must be
/// idempotent.</para>
/// </remarks>
public abstract partial class FeatureStoreContract : IAsyncLifetime
{
    /// <summary>A millisecond-aligned instant the tests start their clocks at.</summary>
    protected static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 9, 0);

    /// <summary>The TTL of most tests.</summary>
    protected static readonly Duration Ttl = Duration.FromMinutes(10);

    private readonly List<IFeatureStore> _stores = [];

    /// <summary>Creates an empty store with <paramref name="ttl"/> that reads time from <paramref name="clock"/>.</summary>
    protected abstract ValueTask<IFeatureStore> CreateStoreAsync(Duration ttl, FakeClock clock);

    /// <summary>Removes whatever the stores left behind (directories, tables); runs after every store is disposed.</summary>
    protected virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    /// <summary>Gets the number of generated cases of the oracle property.</summary>
    protected virtual int OracleCases => Cep.Tests.Properties.PropertyRunner.Cases(200);

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        IFeatureStore[] stores;
        lock (_stores)
        {
            stores = [.. _stores];
            _stores.Clear();
        }

        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>Creates a store through <see cref="CreateStoreAsync"/> and disposes it after the test.</summary>
    protected async Task<IFeatureStore> NewStoreAsync(Duration ttl, FakeClock clock)
    {
        var store = await CreateStoreAsync(ttl, clock);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>Disposes <paramref name="store"/> now and forgets it.</summary>
    protected async Task DisposeNowAsync(IFeatureStore store)
    {
        lock (_stores)
        {
            _stores.Remove(store);
        }

        await store.DisposeAsync();
    }

    protected static FeatureRecord Rec(string key, Instant eventTime, string value) => new(key, eventTime, Encoding.UTF8.GetBytes(value));

    protected static string Text(FeatureRecord record) => Encoding.UTF8.GetString(record.Value.Span);

    protected static void AssertRecord(FeatureRecord expected, FeatureRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.EventTime, actual.EventTime);
        Assert.Equal(expected.Value.ToArray(), actual.Value.ToArray());
    }

    protected static Task<IReadOnlyDictionary<string, FeatureRecord>> Lookup(IFeatureStore store, params string[] keys) =>
        store.LookupAsync(keys, CancellationToken.None).AsTask();

    [Fact]
    public async Task ReportsItsTtl()
    {
        var store = await NewStoreAsync(Duration.FromSeconds(90), new FakeClock(Start));
        Assert.Equal(Duration.FromSeconds(90), store.Ttl);
    }

    [Fact]
    public async Task WrittenRecordIsReadBackByGetAndLookup()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var record = Rec("req-1", Start - Duration.FromSeconds(5), "features of req-1");
        await store.WriteAsync([record]);

        AssertRecord(record, await store.GetAsync("req-1"));
        var found = await Lookup(store, "req-1");
        Assert.Equal(["req-1"], found.Keys);
        AssertRecord(record, found["req-1"]);
    }

    [Fact]
    public async Task EmptyValuesLargeValuesAndUnicodeKeysRoundTrip()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var big = new byte[100_000];
        new Random(7).NextBytes(big);
        FeatureRecord[] records =
        [
            new("empty", Start, ReadOnlyMemory<byte>.Empty),
            new("big", Start, big),
            Rec("ключ-🔑", Start, "unicode"),
            Rec(new string('k', 2000), Start, "long key"),
        ];
        await store.WriteAsync(records);

        foreach (var record in records)
        {
            AssertRecord(record, await store.GetAsync(record.Key));
        }

        Assert.Equal(4, (await Lookup(store, [.. records.Select(r => r.Key)])).Count);
    }

    [Fact]
    public async Task WriterMayReuseItsBufferAfterTheWrite()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var buffer = Encoding.UTF8.GetBytes("original");
        await store.WriteAsync([new FeatureRecord("k", Start, buffer)]);
        Encoding.UTF8.GetBytes("CHANGED!").CopyTo(buffer, 0);
        Assert.Equal("original", Text((await store.GetAsync("k"))!));
    }

    [Fact]
    public async Task MissingKeyIsNullAndAbsentFromLookup()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        Assert.Null(await store.GetAsync("never-written"));
        Assert.Empty(await Lookup(store, "never-written", "also-not"));
        Assert.Empty(await Lookup(store));
    }

    [Fact]
    public async Task LookupReturnsOnlyFoundKeysAndNeverKeysNotAskedFor()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await store.WriteAsync([Rec("a", Start, "A"), Rec("ab", Start, "AB"), Rec("abc", Start, "ABC"), Rec("b", Start, "B")]);

        var found = await Lookup(store, "ab", "abcd", "x", "b");
        Assert.Equal(["ab", "b"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("AB", Text(found["ab"]));
        Assert.Equal("B", Text(found["b"]));
        Assert.All(found, kv => Assert.Equal(kv.Key, kv.Value.Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewestEventTimeWinsWhateverTheWriteOrder(bool newerFirst)
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var older = Rec("k", Start - Duration.FromSeconds(30), "older");
        var newer = Rec("k", Start - Duration.FromSeconds(10), "newer");
        if (newerFirst)
        {
            await store.WriteAsync([newer]);
            await store.WriteAsync([older]);
        }
        else
        {
            await store.WriteAsync([older]);
            await store.WriteAsync([newer]);
        }

        AssertRecord(newer, await store.GetAsync("k"));
        AssertRecord(newer, (await Lookup(store, "k"))["k"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NewestEventTimeWinsWithinOneBatch(bool newerFirst)
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var older = Rec("k", Start - Duration.FromMilliseconds(2), "older");
        var newer = Rec("k", Start - Duration.FromMilliseconds(1), "newer");
        await store.WriteAsync(newerFirst ? [newer, older] : [older, newer]);
        AssertRecord(newer, await store.GetAsync("k"));
    }

    [Fact]
    public async Task EqualEventTimesLastWriteWins()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await store.WriteAsync([Rec("k", Start, "first")]);
        await store.WriteAsync([Rec("k", Start, "second")]);
        Assert.Equal("second", Text((await store.GetAsync("k"))!));
        await store.WriteAsync([Rec("k", Start, "third"), Rec("k", Start, "fourth")]);
        Assert.Equal("fourth", Text((await store.GetAsync("k"))!));
    }

    [Fact]
    public async Task VisibleOneTickBeforeEventPlusTtlAndExpiredExactlyAtIt()
    {
        var clock = new FakeClock(Start);
        var store = await NewStoreAsync(Ttl, clock);
        var record = Rec("k", Start, "v");
        await store.WriteAsync([record]);

        clock.Reset(Start + Ttl - Duration.FromTicks(1)); // one tick before expiry
        AssertRecord(record, await store.GetAsync("k"));
        Assert.Single(await Lookup(store, "k"));

        clock.AdvanceTicks(1); // exactly event time + TTL
        Assert.Null(await store.GetAsync("k"));
        Assert.Empty(await Lookup(store, "k"));

        clock.Advance(Duration.FromDays(1));
        Assert.Null(await store.GetAsync("k"));
    }

    [Fact]
    public async Task ExpiredReadsLikeMissingAndANewerWriteRevivesTheKey()
    {
        var clock = new FakeClock(Start);
        var store = await NewStoreAsync(Ttl, clock);
        await store.WriteAsync([Rec("k", Start - Ttl, "already expired"), Rec("live", Start, "live")]);
        Assert.Null(await store.GetAsync("k"));
        Assert.Equal(["live"], (await Lookup(store, "k", "live")).Keys);

        var fresh = Rec("k", Start, "fresh");
        await store.WriteAsync([fresh]);
        AssertRecord(fresh, await store.GetAsync("k"));

        // An older, still unexpired record does not hide the newer one either.
        await store.WriteAsync([Rec("k", Start - Duration.FromMinutes(1), "older")]);
        AssertRecord(fresh, await store.GetAsync("k"));
    }

    [Fact]
    public async Task BatchOfManyKeysIsAllReadable()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var records = Enumerable.Range(0, 5000).Select(i => Rec($"req-{i}", Start - Duration.FromMilliseconds(i), $"value-{i}")).ToArray();
        await store.WriteAsync(records);

        foreach (var chunk in records.Chunk(700))
        {
            var asked = chunk.Select(r => r.Key).Append("req-missing").ToArray();
            var found = await Lookup(store, asked);
            Assert.Equal(chunk.Length, found.Count);
            foreach (var record in chunk)
            {
                AssertRecord(record, found[record.Key]);
            }
        }

        AssertRecord(records[4321], await store.GetAsync("req-4321"));
    }
}
