using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using Cep.Joins.Lookup;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupOptionsTests
{
    private static readonly string Nl = Environment.NewLine;

    [Fact]
    public void ArgumentChecking()
    {
        var scheduler = new HistoricalScheduler();
        var source = new FakeLookupSource(scheduler);
        var output = new LookupCollector();
        var options = new AsyncLookupOptions { Scheduler = scheduler };
        Assert.Throws<ArgumentNullException>("source", () => new AsyncLookupOperator<Rec, int, string>(null!, r => r.Key, output, options));
        Assert.Throws<ArgumentNullException>("keySelector", () => new AsyncLookupOperator<Rec, int, string>(source, null!, output, options));
        Assert.Throws<ArgumentNullException>("output", () => new AsyncLookupOperator<Rec, int, string>(source, r => r.Key, null!, options));
        Assert.Throws<ArgumentNullException>("options", () => new AsyncLookupOperator<Rec, int, string>(source, r => r.Key, output, null!));
    }

    [Fact]
    public void DefaultsAreDocumentedValues()
    {
        var o = new AsyncLookupOptions();
        Assert.True(o.Ordered);
        Assert.Equal(100, o.Capacity);
        Assert.Equal(LookupFullMode.Wait, o.FullMode);
        Assert.Equal(Duration.FromSeconds(30), o.Timeout);
        Assert.Equal(100, o.MaxBatchSize);
        Assert.Equal(Duration.FromMilliseconds(5), o.Linger);
        Assert.Null(o.Cache);
        Assert.Null(o.Scheduler);
        Assert.False(o.AllowSynchronousContinuations);
        var c = new LookupCacheOptions();
        Assert.Equal((10_000, Duration.FromMinutes(10), false, Duration.FromSeconds(10)), (c.MaxEntries, c.Ttl, c.CacheMisses, c.MissTtl));
    }

    [Fact]
    public void EveryViolationIsListedInOneException()
    {
        var options = new AsyncLookupOptions
        {
            Capacity = 0,
            FullMode = (LookupFullMode)7,
            Timeout = Duration.Zero,
            MaxBatchSize = 0,
            Linger = Duration.FromMilliseconds(-1),
            Cache = new LookupCacheOptions { MaxEntries = 0, Ttl = Duration.Zero, MissTtl = Duration.FromSeconds(-1) },
        };
        var error = Assert.Throws<ValidationException>(() => Build(options));
        Assert.Equal(
            $"The 'AsyncLookupOptions' are invalid.{Nl}{Nl}Validation Errors:{Nl}" +
            $"Capacity must be at least 1; it is 0.{Nl}" +
            $"FullMode must be Wait or Reject; it is 7.{Nl}" +
            $"Timeout must be positive; it is 0:00:00:00.{Nl}" +
            $"MaxBatchSize must be at least 1; it is 0.{Nl}" +
            $"Linger must not be negative; it is -0:00:00:00.001.{Nl}" +
            $"Cache.MaxEntries must be at least 1; it is 0.{Nl}" +
            $"Cache.Ttl must be positive; it is 0:00:00:00.{Nl}" +
            $"Cache.MissTtl must be positive; it is -0:00:00:01.{Nl}" +
            "Scheduler is required: processing time (linger, timeout, cache age) comes from it.",
            error.Message);
    }

    [Fact]
    public void OptionsThatContradictEachOtherAreReported()
    {
        var options = new AsyncLookupOptions
        {
            Scheduler = new HistoricalScheduler(),
            Timeout = Duration.FromMilliseconds(10),
            Linger = Duration.FromMilliseconds(10),
            Cache = new LookupCacheOptions { Ttl = Duration.FromSeconds(1), MissTtl = Duration.FromSeconds(2) },
        };
        var error = Assert.Throws<ValidationException>(() => Build(options));
        Assert.Equal(
            $"The 'AsyncLookupOptions' are invalid.{Nl}{Nl}Validation Errors:{Nl}" +
            $"Linger (0:00:00:00.01) must be less than Timeout (0:00:00:00.01).{Nl}" +
            "Cache.MissTtl (0:00:00:02) must be at most Cache.Ttl (0:00:00:01).",
            error.Message);
    }

    [Fact]
    public void ValidOptionsBuild()
    {
        var op = Build(new AsyncLookupOptions { Scheduler = new HistoricalScheduler(), Cache = new LookupCacheOptions() });
        Assert.Equal(0, op.CachedKeys);
        Assert.Equal(Instant.MinValue, op.Watermark);
    }

    private static AsyncLookupOperator<Rec, int, string> Build(AsyncLookupOptions options) =>
        new(new FakeLookupSource(new HistoricalScheduler()), r => r.Key, new LookupCollector(), options);
}
