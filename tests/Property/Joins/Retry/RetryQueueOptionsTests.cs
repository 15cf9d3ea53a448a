using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using Cep.Joins.Retry;
using Cep.Operators;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry;

public sealed class RetryQueueOptionsTests
{
    private static readonly FakeFeatureStore Store = new(new Dictionary<int, long>(), 0, 0, () => 0);

    [Fact]
    public void ArgumentChecking()
    {
        var options = Options(Level(10, 1));
        var output = new RetryCollector();
        Assert.Throws<ArgumentNullException>(() => new RetryQueueOperator<int, Miss, string>(null!, Store, output, options));
        Assert.Throws<ArgumentNullException>(() => new RetryQueueOperator<int, Miss, string>(m => m.Key, null!, output, options));
        Assert.Throws<ArgumentNullException>(() => new RetryQueueOperator<int, Miss, string>(m => m.Key, Store, null!, options));
        Assert.Throws<ArgumentNullException>(() => new RetryQueueOperator<int, Miss, string>(m => m.Key, Store, output, null!));
        Assert.Throws<ArgumentNullException>(() => RetryQueueMetrics.Track(null!, "x"));
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var level = new RetryLevelOptions();
        Assert.Equal(Duration.FromSeconds(10), level.Delay);
        Assert.Equal(3, level.MaxAttempts);
        Assert.Equal(RetryBackoffType.Constant, level.BackoffType);
        Assert.False(level.UseJitter);
        Assert.Null(level.MaxDelay);
        var options = new RetryQueueOptions<int, Miss, string>();
        Assert.Empty(options.Levels);
        Assert.Equal(TimeMode.EventTime, options.TimeMode);
        Assert.Null(options.Scheduler);
        Assert.Null(options.Ttl);
        Assert.Null(options.ShouldExit);
        Assert.Equal(100, options.MaxBatchSize);
        Assert.False(options.PreserveKeyOrder);
        var r = options.Randomizer();
        Assert.InRange(r, 0.0, 1.0);
    }

    [Fact]
    public void EmptyLevelsAreRejected()
    {
        var error = Assert.Throws<ValidationException>(() => new RetryQueueOperator<int, Miss, string>(m => m.Key, Store, new RetryCollector(), new RetryQueueOptions<int, Miss, string>()));
        Assert.Equal("The 'RetryQueueOptions' are invalid.\n\nValidation errors:\nLevels must hold at least one level.", error.Message);
    }

    [Fact]
    public void EveryViolationIsReportedTogetherInOneMessage()
    {
        var options = Options(
            new RetryLevelOptions { Delay = Duration.FromMilliseconds(-1), MaxAttempts = 0, BackoffType = (RetryBackoffType)7, MaxDelay = Duration.FromMilliseconds(-5) },
            Level(10, 2),
            null!);
        options.TimeMode = TimeMode.ProcessingTime;
        options.Ttl = Duration.Zero;
        options.MaxBatchSize = 0;
        options.Randomizer = null!;
        options.KeySerializer = null!;

        var error = Assert.Throws<ValidationException>(() => new RetryQueueOperator<int, Miss, string>(m => m.Key, Store, new RetryCollector(), options));
        Assert.Equal(
            "The 'RetryQueueOptions' are invalid.\n\nValidation errors:\n"
            + "The field MaxBatchSize must be between 1 and 2147483647.\n"
            + "The Randomizer field is required.\n"
            + "The KeySerializer field is required.\n"
            + "Levels[0]: The field MaxAttempts must be between 1 and 2147483647.\n"
            + "Levels[0].Delay must not be negative; it was -0:00:00:00.001.\n"
            + "Levels[0].BackoffType must be Constant, Linear or Exponential; it was 7.\n"
            + "Levels[0].MaxDelay must not be negative; it was -0:00:00:00.005.\n"
            + "Levels[2] is null.\n"
            + "Scheduler is required in processing time.\n"
            + "Ttl must be positive; it was 0:00:00:00.",
            error.Message);
    }

    [Fact]
    public void ValidOptionsBuildAQueue()
    {
        var options = Options(Level(0, 1), Level(10, 2, RetryBackoffType.Exponential, 100, jitter: true));
        options.TimeMode = TimeMode.ProcessingTime;
        options.Scheduler = new HistoricalScheduler();
        options.Ttl = Duration.FromDays(7);
        var queue = new RetryQueueOperator<int, Miss, string>(m => m.Key, Store, new RetryCollector(), options);
        Assert.Equal(2, queue.Counters.Levels.Count);
        Assert.True(queue.Counters.Balanced);
    }
}
