using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Operators;
using Cep.Patterns;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Reactive;

public sealed class CepObservableTests
{
    private sealed record Ad(string User, char Kind, int Id, long Ms)
    {
        public Instant Time => Instant.FromUnixTimeMilliseconds(Ms);

        public override string ToString() => $"{Kind}{Id}";
    }

    private static readonly Pattern<Ad> ClickAfterExposure = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == 'e')
        .FollowedBy("click").Where(e => e.Kind == 'c')
        .Within(Duration.FromMinutes(5));

    [Fact]
    public void ArgumentChecking()
    {
        var source = Observable.Empty<Ad>();
        Assert.Throws<ArgumentNullException>(() => CepObservable.WithTimestamps<Ad>(null!, e => e.Time, WatermarkStrategy.Monotonous()));
        Assert.Throws<ArgumentNullException>(() => source.WithTimestamps(null!, WatermarkStrategy.Monotonous()));
        Assert.Throws<ArgumentNullException>(() => source.WithTimestamps(e => e.Time, null!));
        Assert.Throws<ArgumentNullException>(() => source.InProcessingTime(null!));
        var stream = source.WithTimestamps(e => e.Time, WatermarkStrategy.Monotonous());
        Assert.Throws<ArgumentNullException>(() => stream.KeyBy<string, Ad>(null!));
        Assert.Throws<ArgumentNullException>(() => stream.KeyBy(e => e.User).Match(null!));
        var bad = Pattern.Begin<Ad>("a").FollowedBy("a");
        var error = Assert.Throws<PatternException>(() => stream.KeyBy(e => e.User).Match(bad));
        Assert.Equal("a", error.StageName);
    }

    [Fact]
    public void MatchesTimeoutsAndLateRecordsArriveAsOutputsAndCompletionFlushes()
    {
        var events = new[]
        {
            new Ad("u1", 'e', 1, 1_000),
            new Ad("u2", 'e', 2, 1_500),
            new Ad("u1", 'c', 3, 2_000),
            new Ad("u1", 'c', 4, 100), // late: the watermark is 2_000 - 1 s - 1 tick by now
        };
        var outputs = events.ToObservable()
            .WithTimestamps(e => e.Time, WatermarkStrategy.BoundedOutOfOrderness(Duration.FromSeconds(1)))
            .KeyBy(e => e.User)
            .Match(ClickAfterExposure)
            .ToList().Wait();

        var match = Assert.Single(outputs, o => o.Kind == PatternOutputKind.Match);
        Assert.Equal("u1", match.Key);
        Assert.Equal([1, 3], match.Match!.Values.SelectMany(v => v).Select(e => e.Id));
        Assert.Equal(Instant.FromUnixTimeMilliseconds(2_000), match.Timestamp);

        var timeout = Assert.Single(outputs, o => o.Kind == PatternOutputKind.Timeout);
        Assert.Equal("u2", timeout.Key);
        Assert.Equal(Instant.FromUnixTimeMilliseconds(1_500) + Duration.FromMinutes(5), timeout.Timestamp);

        var late = Assert.Single(outputs, o => o.Kind == PatternOutputKind.Late);
        Assert.Equal(4, late.Record!.Id);
        Assert.True(late.Watermark >= late.Timestamp);
    }

    [Fact]
    public void ConditionExceptionsBecomeErrorOutputsAndNeverEscapeOnNext()
    {
        var pattern = Pattern.Begin<Ad>("exposure").Where(e => e.Id == 13 ? throw new FormatException("bad record") : e.Kind == 'e')
            .FollowedBy("click").Where(e => e.Kind == 'c');
        var subject = new Subject<Ad>();
        var received = new List<PatternOutput<string, Ad>>();
        Exception? terminal = null;
        using var subscription = subject
            .WithTimestamps(e => e.Time, WatermarkStrategy.Monotonous())
            .KeyBy(e => e.User)
            .Match(pattern)
            .Subscribe(received.Add, e => terminal = e);

        subject.OnNext(new Ad("u1", 'e', 1, 10));
        subject.OnNext(new Ad("u1", 'e', 13, 20));
        subject.OnNext(new Ad("u1", 'c', 3, 30));
        subject.OnCompleted();

        Assert.Null(terminal);
        var error = Assert.Single(received, o => o.Kind == PatternOutputKind.Error);
        Assert.Equal(13, error.Record!.Id);
        Assert.IsType<FormatException>(error.Error);
        var match = Assert.Single(received, o => o.Kind == PatternOutputKind.Match);
        Assert.Equal([1, 3], match.Match!.Values.SelectMany(v => v).Select(e => e.Id));
    }

    [Fact]
    public void ThrowOnErrorTurnsTheFirstErrorIntoOnError()
    {
        var outputs = new[] { new Ad("u1", 'e', 1, 10) }.ToObservable()
            .WithTimestamps(e => e.Id == 1 ? throw new InvalidCastException("no time") : e.Time, WatermarkStrategy.Monotonous())
            .KeyBy(e => e.User)
            .Match(ClickAfterExposure)
            .ThrowOnError();

        var error = Assert.Throws<InvalidOperationException>(() => outputs.ToList().Wait());
        Assert.IsType<InvalidCastException>(error.InnerException);
    }

    [Fact]
    public void ProcessingTimeWindowsAreMeasuredByTheScheduler()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var subject = new Subject<Ad>();
        var timeouts = new List<(string Key, Match<Ad> Partial, Instant TimedOutAt)>();
        var matches = new List<(string Key, Match<Ad> Match)>();
        var outputs = subject.InProcessingTime(scheduler).KeyBy(e => e.User).Match(ClickAfterExposure).Publish();
        using var t = outputs.Timeouts().Subscribe(timeouts.Add);
        using var m = outputs.Matches().Subscribe(matches.Add);
        using var connection = outputs.Connect();

        scheduler.AdvanceTo(DateTimeOffset.UnixEpoch.AddSeconds(10));
        subject.OnNext(new Ad("u1", 'e', 1, 0));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1));
        subject.OnNext(new Ad("u1", 'c', 2, 0));
        subject.OnNext(new Ad("u2", 'e', 3, 0));
        Assert.Single(matches);
        Assert.Empty(timeouts);

        scheduler.AdvanceBy(TimeSpan.FromMinutes(5));
        var timeout = Assert.Single(timeouts);
        Assert.Equal("u2", timeout.Key);
        Assert.Equal(Instant.FromUnixTimeSeconds(70) + Duration.FromMinutes(5), timeout.TimedOutAt);
    }
}
