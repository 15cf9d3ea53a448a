using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Interval;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

public sealed class IntervalJoinObservableTests
{
    [Fact]
    public void JoinsTwoStreamsReportsUnmatchedAndLateRecordsAndCompletes()
    {
        var left = new Subject<Rec>();
        var right = new Subject<Rec>();
        var outputs = new List<IntervalJoinOutput<int, Rec, Rec>>();
        var completed = false;
        using var subscription = left.WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous())
            .IntervalJoin(right.WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous()), r => r.Key, r => r.Key, JoinBounds.Between(D(0), D(5)), IntervalJoinType.FullOuter)
            .Subscribe(outputs.Add, () => completed = true);

        left.OnNext(L(1, id: 1));
        left.OnNext(L(10, id: 2));
        right.OnNext(R(4, id: 3));
        left.OnNext(L(2, id: 4));
        right.OnNext(R(30, id: 5));
        left.OnCompleted();
        Assert.False(completed);
        right.OnCompleted();

        Assert.True(completed);
        var pair = Assert.Single(outputs, o => o.Kind == IntervalJoinOutputKind.Pair);
        Assert.Equal((1, 3, Ms(1), Ms(4), Ms(4)), (pair.Left!.Id, pair.Right!.Id, pair.LeftTimestamp, pair.RightTimestamp, pair.Timestamp));
        var late = Assert.Single(outputs, o => o.Kind == IntervalJoinOutputKind.LateLeft);
        Assert.Equal((4, Ms(2), Ms(10) - Duration.Epsilon * 100), (late.Left!.Id, late.Timestamp, late.Watermark));
        Assert.Equal([2], outputs.Where(o => o.Kind == IntervalJoinOutputKind.UnmatchedLeft).Select(o => o.Left!.Id));
        Assert.Equal([5], outputs.Where(o => o.Kind == IntervalJoinOutputKind.UnmatchedRight).Select(o => o.Right!.Id));
    }

    [Fact]
    public void ASelectorThatThrowsEndsTheSequenceWithItsError()
    {
        var left = new[] { L(1) }.ToObservable().WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous());
        var right = new[] { R(1) }.ToObservable().WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous());
        var join = left.IntervalJoin<int, Rec, Rec>(right, _ => throw new FormatException("no key"), r => r.Key, JoinBounds.Between(D(0), D(1)));
        Assert.Equal("no key", Assert.Throws<FormatException>(() => join.ToList().Wait()).Message);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var stream = Observable.Empty<Rec>().WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous());
        var bounds = JoinBounds.Between(D(0), D(1));
        Assert.Throws<ArgumentNullException>(() => JoinObservable.IntervalJoin<int, Rec, Rec>(null!, stream, r => r.Key, r => r.Key, bounds));
        Assert.Throws<ArgumentNullException>(() => stream.IntervalJoin<int, Rec, Rec>(null!, r => r.Key, r => r.Key, bounds));
        Assert.Throws<ArgumentNullException>(() => stream.IntervalJoin<int, Rec, Rec>(stream, null!, r => r.Key, bounds));
        Assert.Throws<ArgumentNullException>(() => stream.IntervalJoin<int, Rec, Rec>(stream, r => r.Key, null!, bounds));
        var processing = Observable.Empty<Rec>().InProcessingTime(ImmediateScheduler.Instance);
        Assert.Equal("right", Assert.Throws<ArgumentException>(() => stream.IntervalJoin(processing, r => r.Key, r => r.Key, bounds)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.IntervalJoin(stream, r => r.Key, r => r.Key, bounds, (IntervalJoinType)9));
    }

    [Fact]
    public void EmptyStreamsComplete()
    {
        var stream = Observable.Empty<Rec>().WithTimestamps(r => r.Time, WatermarkStrategy.Monotonous());
        Assert.Empty(stream.IntervalJoin(stream, r => r.Key, r => r.Key, JoinBounds.Between(D(0), D(1))).ToList().Wait());
    }
}
