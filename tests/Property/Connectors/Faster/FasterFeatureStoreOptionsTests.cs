using Cep.Connectors.Faster;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Faster;

public sealed class FasterFeatureStoreOptionsTests
{
    private static readonly FasterFeatureStoreOptions Valid = new()
    {
        Directory = "store",
        Ttl = Duration.FromHours(3),
        Clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0)),
    };

    [Fact]
    public void DefaultsAreSmallAndValid()
    {
        Valid.Validate();
        Assert.Equal((1L << 22, 1L << 25, 1L << 20, 1L << 26), (Valid.IndexSize, Valid.MemorySize, Valid.PageSize, Valid.SegmentSize));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void MissingDirectoryIsRejected(string? directory)
    {
        var error = Assert.Throws<ArgumentException>(() => (Valid with { Directory = directory! }).Validate());
        Assert.Equal("Directory", error.ParamName);
    }

    [Fact]
    public void NonPositiveTtlAndNullClockAreRejected()
    {
        Assert.Equal("Ttl", Assert.Throws<ArgumentOutOfRangeException>(() => (Valid with { Ttl = Duration.Zero }).Validate()).ParamName);
        Assert.Equal("Clock", Assert.Throws<ArgumentNullException>(() => (Valid with { Clock = null! }).Validate()).ParamName);
        Assert.Throws<ArgumentNullException>(() => new FasterFeatureStore(null!));
    }

    [Theory]
    [InlineData("IndexSize", 3000L)]
    [InlineData("IndexSize", 1L << 11)]
    [InlineData("PageSize", 1L << 11)]
    [InlineData("PageSize", 1L << 29)]
    [InlineData("PageSize", 5000L)]
    [InlineData("MemorySize", 1L << 20)]
    [InlineData("MemorySize", (1L << 25) + 1)]
    [InlineData("SegmentSize", 1L << 19)]
    public void SizeOutsideItsRangeOrNotAPowerOfTwoIsRejectedByName(string name, long value)
    {
        var options = name switch
        {
            "IndexSize" => Valid with { IndexSize = value },
            "PageSize" => Valid with { PageSize = value },
            "MemorySize" => Valid with { MemorySize = value },
            _ => Valid with { SegmentSize = value },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(name, error.ParamName);
        Assert.Contains(value.ToString(), error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FasterFeatureStore(options));
    }
}
