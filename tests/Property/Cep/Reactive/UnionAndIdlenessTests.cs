using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using Cep.Patterns;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Reactive;

public sealed class UnionAndIdlenessTests
{
    private sealed record Ad(string User, char Kind, int Id, long Ms)
    {
        public Instant Time => Instant.FromUnixTimeMilliseconds(Ms);
    }

    private static readonly Pattern<Ad> ClickAfterExposure = Pattern.Begin<Ad>("exposure").Where(e => e.Kind == 'e')
        .FollowedBy("click").Where(e => e.Kind == 'c');

    [Fact]
    public void UnionArgumentChecking()
    {
        var a = new Subject<Ad>().WithTimestamps(e => e.Time, WatermarkStrategy.Monotonous());
        var p = new Subject<Ad>().InProcessingTime(new HistoricalScheduler());
        Assert.Throws<ArgumentNullException>(() => CepObservable.Union<Ad>(null!));
        Assert.Throws<ArgumentException>(() => CepObservable.Union(a));
        Assert.Throws<ArgumentException>(() => CepObservable.Union(a, p));
        var idle = WatermarkStrategy.Monotonous().WithIdleness(Duration.FromSeconds(1));
        var error = Assert.Throws<ArgumentException>(() => new Subject<Ad>().WithTimestamps(e => e.Time, idle));
        Assert.Equal("idleScheduler", error.ParamName);
    }

    [Fact]
    public void TheWatermarkIsTheMinimumOverInputsSoASilentInputHoldsMatchesBack()
    {
        var left = new Subject<Ad>();
        var right = new Subject<Ad>();
        var outputs = new List<PatternOutput<string, Ad>>();
        using var _ = CepObservable.Union(
                left.WithTimestamps(e => e.Time, WatermarkStrategy.Monotonous()),
                right.WithTimestamps(e => e.Time, WatermarkStrategy.Monotonous()))
            .KeyBy(e => e.User).Match(ClickAfterExposure).Subscribe(outputs.Add);

        left.OnNext(new Ad("u", 'e', 1, 1_000));
        left.OnNext(new Ad("u", 'c', 2, 2_000));
        left.OnNext(new Ad("u", 'x', 3, 3_000));
        Assert.Empty(outputs); // the right input has no watermark yet

        right.OnNext(new Ad("v", 'x', 4, 2_500));
        var match = Assert.Single(outputs);
        Assert.Equal(PatternOutputKind.Match, match.Kind);

        right.OnCompleted();
        left.OnNext(new Ad("u", 'x', 5, 2_600)); // right no longer holds back: 2_600 < left's watermark
        Assert.Equal(PatternOutputKind.Late, outputs[^1].Kind);
    }

    [Fact]
    public void AnIdleInputStopsHoldingTheWatermarkBackUntilItSpeaksAgain()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var strategy = WatermarkStrategy.Monotonous().WithIdleness(Duration.FromSeconds(10));
        var left = new Subject<Ad>();
        var right = new Subject<Ad>();
        var outputs = new List<PatternOutput<string, Ad>>();
        using var _ = CepObservable.Union(
                left.WithTimestamps(e => e.Time, strategy, scheduler),
                right.WithTimestamps(e => e.Time, strategy, scheduler))
            .KeyBy(e => e.User).Match(ClickAfterExposure).Subscribe(outputs.Add);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        left.OnNext(new Ad("u", 'e', 1, 1_000));
        left.OnNext(new Ad("u", 'c', 2, 2_000));
        left.OnNext(new Ad("u", 'x', 3, 3_000));
        Assert.Empty(outputs);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(6)); // right has been silent for 11 s: idle
        var match = Assert.Single(outputs);
        Assert.Equal(PatternOutputKind.Match, match.Kind);

        right.OnNext(new Ad("v", 'e', 4, 10_000)); // active again, ahead of left
        left.OnNext(new Ad("u", 'e', 5, 4_000));
        right.OnNext(new Ad("v", 'c', 6, 11_000));
        Assert.Single(outputs); // left (at 4 s) holds the watermark below v's click again
        left.OnNext(new Ad("u", 'x', 7, 12_000));
        Assert.Single(outputs); // right's own watermark (11 s - 1 tick) does not cover its click yet
        right.OnNext(new Ad("v", 'x', 8, 12_000));
        Assert.Equal(2, outputs.Count(o => o.Kind == PatternOutputKind.Match));
        Assert.Equal("v", outputs[^1].Key);
    }
}
