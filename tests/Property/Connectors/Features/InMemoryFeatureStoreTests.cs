using Cep.Connectors.Features;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Features;

/// <summary>The store contract on the reference <see cref="InMemoryFeatureStore"/>.</summary>
public sealed class InMemoryFeatureStoreTests : FeatureStoreContract
{
    protected override ValueTask<IFeatureStore> CreateStoreAsync(Duration ttl, FakeClock clock) => new(new InMemoryFeatureStore(ttl, clock));

    [Fact]
    public void ConstructorRejectsNonPositiveTtlAndNullClock()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryFeatureStore(Duration.Zero, new FakeClock(Start)));
        Assert.Equal("ttl", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryFeatureStore(Duration.FromTicks(-1), new FakeClock(Start)));
        Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => new InMemoryFeatureStore(Ttl, null!)).ParamName);
    }

    [Fact]
    public async Task CallsAfterDisposeThrowObjectDisposed()
    {
        var store = new InMemoryFeatureStore(Ttl, new FakeClock(Start));
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("k").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([Rec("k", Start, "v")]).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.LookupAsync(["k"], CancellationToken.None).AsTask());
    }
}
