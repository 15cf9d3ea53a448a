using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Window;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Window;

public sealed class WindowJoinObservableTests
{
    public sealed record R(string Key, long Ts, string Id)
    {
        public override string ToString() => Id;
    }

    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static EventStream<R> Stream(IObservable<R> source) =>
        source.WithTimestamps(r => r.Ts < 0 ? throw new InvalidOperationException("no time") : Ms(r.Ts), WatermarkStrategy.BoundedOutOfOrderness(Duration.Zero));

    [Fact]
    public void ArgumentsAreChecked()
    {
        var s = Stream(Observable.Empty<R>());
        var assigner = WindowAssigner.Tumbling(Duration.FromMilliseconds(3));
        Assert.Throws<ArgumentNullException>("left", () => JoinObservable.WindowJoin<string, R, R>(null!, s, r => r.Key, r => r.Key, assigner));
        Assert.Throws<ArgumentNullException>("right", () => s.WindowJoin<string, R, R>(null!, r => r.Key, r => r.Key, assigner));
        Assert.Throws<ArgumentNullException>("leftKeySelector", () => s.CoGroup<string, R, R>(s, null!, r => r.Key, assigner));
        Assert.Throws<ArgumentNullException>("rightKeySelector", () => s.CoGroup<string, R, R>(s, r => r.Key, null!, assigner));
        Assert.Throws<ArgumentNullException>("assigner", () => s.WindowJoin(s, r => r.Key, r => r.Key, null!));
        var processing = Observable.Empty<R>().InProcessingTime(ImmediateScheduler.Instance);
        Assert.Throws<ArgumentException>("right", () => s.WindowJoin(processing, r => r.Key, r => r.Key, assigner));
        var idle = Observable.Empty<R>().WithTimestamps(r => Ms(r.Ts), WatermarkStrategy.Monotonous().WithIdleness(Duration.FromSeconds(1)), ImmediateScheduler.Instance);
        Assert.Throws<ArgumentException>("left", () => idle.WindowJoin(s, r => r.Key, r => r.Key, assigner));
    }

    [Fact]
    public void WindowJoinOverObservablesGivesTheFlinkPairs()
    {
        R[] left = [new("a", 0, "x"), new("a", 1, "y"), new("a", 2, "z"), new("b", 3, "u"), new("b", 5, "w"), new("a", 6, "i"), new("a", 7, "j"), new("a", 8, "k")];
        R[] right = [new("a", 0, "u"), new("a", 1, "w"), new("b", 3, "i"), new("b", 5, "k"), new("a", 6, "x"), new("a", 8, "z")];
        var outputs = Stream(left.ToObservable()).WindowJoin(Stream(right.ToObservable()), r => r.Key, r => r.Key, WindowAssigner.Tumbling(Duration.FromMilliseconds(3)))
            .ToList().Wait();
        Assert.Equal(16, outputs.Count);
        Assert.All(outputs, o => Assert.Equal(WindowJoinOutputKind.Pair, o.Kind));
        Assert.Contains(outputs, o => o.ToString() == $"Pair b {new TimeWindow(Ms(3), Ms(6))}: w + k");
    }

    [Fact]
    public void CoGroupOverSubjectsReportsLateAndFailedRecords()
    {
        var left = new Subject<R>();
        var right = new Subject<R>();
        var outputs = new List<WindowJoinOutput<string, R, R>>();
        var completed = false;
        using var subscription = Stream(left).CoGroup(Stream(right), r => r.Key, r => r.Key, WindowAssigner.Tumbling(Duration.FromMilliseconds(10)))
            .Subscribe(outputs.Add, () => completed = true);
        left.OnNext(new("k", 1, "l1"));
        right.OnNext(new("k", 2, "r2"));
        left.OnNext(new("k", 25, "l25"));
        right.OnNext(new("k", 30, "r30")); // both sides past [0, 10): it fires
        Assert.Equal($"CoGroup k {new TimeWindow(Ms(0), Ms(10))} #1: [l1] [r2]", Assert.Single(outputs).ToString());
        right.OnNext(new("k", 3, "late"));
        left.OnNext(new("k", -1, "no time"));
        Assert.Equal(RejectReason.Late, outputs[1].RightRejected!.Reason);
        Assert.Equal((RejectReason.TimestampSelectorFailed, "no time"), (outputs[2].LeftRejected!.Reason, outputs[2].LeftRejected!.Value.Id));
        left.OnCompleted();
        Assert.False(completed);
        right.OnCompleted();
        Assert.True(completed);
        Assert.Equal(["[l25] []", "[] [r30]"], outputs.Skip(3).Select(o => $"[{string.Join(",", o.LeftGroup)}] [{string.Join(",", o.RightGroup)}]"));
    }
}
