using Cep.Connectors.Features;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Features;

public abstract partial class FeatureStoreContract
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task NullOrEmptyKeyIsRejectedEverywhere(string? key)
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(key!).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LookupAsync(["ok", key!], CancellationToken.None).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync([new FeatureRecord(key!, Start, new byte[] { 1 })]).AsTask());
    }

    [Fact]
    public async Task BatchWithOneBadKeyWritesNothing()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => store.WriteAsync([Rec("first", Start, "1"), Rec("", Start, "bad"), Rec("last", Start, "3")]).AsTask());
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.Empty(await Lookup(store, "first", "last"));
    }

    [Fact]
    public async Task NullBatchOrNullRecordIsRejected()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync(null!).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync([Rec("a", Start, "1"), null!]).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LookupAsync(null!, CancellationToken.None).AsTask());
        Assert.Null(await store.GetAsync("a"));
    }

    [Fact]
    public async Task DisposingTwiceIsHarmless()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await store.WriteAsync([Rec("a", Start, "1")]);
        await DisposeNowAsync(store);
        await store.DisposeAsync();
    }

    [Fact]
    public async Task EmptyBatchIsANoOp()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await store.WriteAsync([]);
        Assert.Empty(await Lookup(store, "a"));
    }

    [Fact]
    public async Task TtlAndClockAreHonouredPerStore()
    {
        var clock = new FakeClock(Start);
        var shortLived = await NewStoreAsync(Duration.FromMilliseconds(5), clock);
        await shortLived.WriteAsync([Rec("k", Start, "v")]);
        clock.Advance(Duration.FromMilliseconds(4));
        Assert.NotNull(await shortLived.GetAsync("k"));
        clock.Advance(Duration.FromMilliseconds(1));
        Assert.Null(await shortLived.GetAsync("k"));
    }
}
