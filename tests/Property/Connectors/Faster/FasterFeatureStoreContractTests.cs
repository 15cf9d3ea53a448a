using Cep.Connectors.Faster;
using Cep.Connectors.Features;
using Cep.Tests.Connectors.Features;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Faster;

/// <summary>The store contract on <see cref="FasterFeatureStore"/>, each store in its own temporary directory.</summary>
public sealed class FasterFeatureStoreContractTests : FeatureStoreContract
{
    private readonly FasterTestDirectory _directory = new();

    /// <summary>Each case opens a FASTER store, so the property runs fewer cases than on the in-memory store.</summary>
    protected override int OracleCases => Cep.Tests.Properties.PropertyRunner.Cases(100);

    protected override ValueTask<IFeatureStore> CreateStoreAsync(Duration ttl, FakeClock clock) =>
        new(new FasterFeatureStore(SmallOptions(_directory.NewStoreDirectory(), ttl, clock)));

    protected override ValueTask CleanupAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Options with a small index and memory, so that tests open stores quickly.</summary>
    internal static FasterFeatureStoreOptions SmallOptions(string directory, Duration ttl, IClock clock) => new()
    {
        Directory = directory,
        Ttl = ttl,
        Clock = clock,
        IndexSize = 1L << 14,
        PageSize = 1L << 20,
        MemorySize = 1L << 22,
        SegmentSize = 1L << 22,
    };

    [Fact]
    public async Task DirectoryIsRemovedAfterTheTests()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        await store.WriteAsync([Rec("k", Start, "v")]);
        Assert.True(Directory.Exists(_directory.Root));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(_directory.Root, "*", SearchOption.AllDirectories));
    }
}
