using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Lookup;
using Cep.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Lookup.Reactive.LookupFaceRun;

namespace Cep.Tests.Joins.Lookup.Reactive;

public sealed class AsyncLookupObservableTests
{
    private static readonly WatermarkStrategy Monotonous = WatermarkStrategy.Monotonous();

    /// <summary>A harness whose store holds keys 0..3 and answers only when the test completes a call.</summary>
    private static LookupHarness Manual(bool ordered = true, int capacity = 100, LookupFullMode mode = LookupFullMode.Wait)
    {
        var h = new LookupHarness(new AsyncLookupOptions { Ordered = ordered, Linger = Duration.Zero, Capacity = capacity, FullMode = mode });
        h.Source.Manual = true;
        for (var k = 0; k < 4; k++)
        {
            h.Source.Store[k] = $"v{k}";
        }

        return h;
    }

    private static (Subject<Click> Subject, RecordingObserver<LookupOutput<Click, string>> Observer, IDisposable Subscription) Subscribe(LookupHarness h)
    {
        var subject = new Subject<Click>();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        var subscription = subject.WithTimestamps(TimestampOf, Monotonous).AsyncLookup(h.Source, KeyOf, h.Options).Subscribe(observer);
        return (subject, observer, subscription);
    }

    private static List<string> Seq(RecordingObserver<LookupOutput<Click, string>> o) =>
        [.. o.Values.Select(v => v.Kind == LookupOutputKind.Watermark
            ? (v.Timestamp == Instant.MaxValue ? "Wmax" : $"W{v.Timestamp.ToUnixTimeTicks()}")
            : $"{v.Kind}#{v.Record!.Id}")];

    [Fact]
    public void AnswersAreSentWhenTheyArriveWithoutFurtherInput()
    {
        var h = Manual();
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 10));
        Assert.Equal(2, h.Source.Calls.Count);
        Assert.Empty(observer.Values);

        h.Source.Complete(0);
        Assert.Equal(["Joined#0", "W99999"], Seq(observer));
        Assert.Equal("v0", observer.Values[0].Value);
        h.Source.Complete(1);
        Assert.Equal(["Joined#0", "W99999", "Joined#1"], Seq(observer));
        Assert.False(observer.Terminated);
    }

    [Fact]
    public void ATimeoutIsSentWhenTheSchedulerFiresIt()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.Zero, Timeout = Duration.FromMilliseconds(50) });
        h.Source.Store[1] = "one";
        h.Source.Delays[1] = TimeSpan.FromMilliseconds(80);
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 1, 5));
        h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(49));
        Assert.Empty(observer.Values);
        h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        var failed = Assert.Single(observer.Values, v => v.Kind != LookupOutputKind.Watermark);
        Assert.Equal((LookupOutputKind.Failed, LookupFailureReason.Timeout), (failed.Kind, failed.FailureReason));
        Assert.IsType<TimeoutException>(failed.Error);
    }

    [Fact]
    public void CompletesOnlyAfterEveryLookupInFlightHasAnsweredThenTheFinalWatermark()
    {
        var h = Manual();
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 20));
        subject.OnNext(new Click(2, 2, 30));
        subject.OnCompleted();
        Assert.False(observer.Terminated);

        h.Source.Complete(2);
        h.Source.Complete(0);
        Assert.Equal(["Joined#0", "W99999"], Seq(observer));
        Assert.False(observer.Terminated);
        h.Source.Complete(1);
        Assert.Equal(["Joined#0", "W99999", "Joined#1", "W199999", "Joined#2", "W299999", "Wmax"], Seq(observer));
        Assert.True(observer.Completed);
        Assert.Equal(0, observer.AfterTerminal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SourceKeyAndTimestampFailuresBecomeOutputsWithTheirRecord(bool synchronously)
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.Zero });
        h.Source.ThrowSynchronously = synchronously;
        h.Source.Store[0] = "zero";
        h.Source.FailingKeys.Add(3);
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;

        subject.OnNext(new Click(0, 3, 10));
        subject.OnNext(new Click(1, -1, 11));
        subject.OnNext(new Click(2, 0, -1));
        subject.OnNext(new Click(3, 0, 12));
        subject.OnCompleted();
        h.Run(new ValueTask(observer.Done));

        Assert.True(observer.Completed);
        var byId = observer.Values.Where(v => v.Record is not null).ToDictionary(v => v.Record!.Id);
        Assert.Equal(4, byId.Count);
        Assert.Equal((LookupOutputKind.Failed, LookupFailureReason.SourceFailed), (byId[0].Kind, byId[0].FailureReason));
        Assert.StartsWith("store down", byId[0].Error!.Message);
        Assert.Equal((LookupOutputKind.Failed, LookupFailureReason.KeySelectorFailed), (byId[1].Kind, byId[1].FailureReason));
        Assert.Equal("click 1 has no key", byId[1].Error!.Message);
        Assert.Equal((LookupOutputKind.Error, Instant.MinValue), (byId[2].Kind, byId[2].Timestamp));
        Assert.IsType<FormatException>(byId[2].Error);
        Assert.Equal((LookupOutputKind.Joined, "zero"), (byId[3].Kind, byId[3].Value));
    }

    [Fact]
    public void ARecordArrivingWhenFullInRejectModeIsRejectedAtOnce()
    {
        var h = Manual(capacity: 1, mode: LookupFullMode.Reject);
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 10));
        var rejected = Assert.Single(observer.Values);
        Assert.Equal((LookupOutputKind.Rejected, 1, LookupRejectReason.CapacityFull), (rejected.Kind, rejected.Record!.Id, rejected.RejectReason));
        Assert.Single(h.Source.Calls);
    }

    [Fact]
    public void RecordsArrivingWhenFullInWaitModeAreBufferedAndLookedUpInTurn()
    {
        var h = Manual(capacity: 1);
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 10));
        subject.OnNext(new Click(2, 2, 10));
        Assert.Single(h.Source.Calls);
        h.Source.Complete(0);
        Assert.Equal(2, h.Source.Calls.Count);
        h.Source.Complete(1);
        h.Source.Complete(2);
        Assert.Equal(["Joined#0", "W99999", "Joined#1", "Joined#2"], Seq(observer));
    }

    [Fact]
    public void AnUpstreamErrorIsPassedOnAtOnceAndNothingFollowsIt()
    {
        var h = Manual();
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 20));
        var error = new IOException("input broke");
        subject.OnError(error);
        Assert.Same(error, observer.Error);

        h.Source.Complete(0);
        h.Source.Complete(1);
        h.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Empty(observer.Values);
        Assert.False(observer.Completed);
        Assert.Equal(0, observer.AfterTerminal);
    }

    [Fact]
    public void DisposingStopsLookupsAndNotifications()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.FromMilliseconds(10) });
        h.Source.Store[0] = "zero";
        h.Source.Store[1] = "one";
        var (subject, observer, subscription) = Subscribe(h);
        subject.OnNext(new Click(0, 0, 10));
        h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        Assert.Single(h.Source.Calls); // sent after its linger, not answered yet
        subject.OnNext(new Click(1, 1, 11)); // waits in the open batch

        subscription.Dispose();
        Assert.False(subject.HasObservers);
        h.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Single(h.Source.Calls);
        Assert.Empty(observer.Values);
        Assert.False(observer.Terminated);
    }

    [Fact]
    public void AnObserverThatThrowsEndsTheSequenceWithItsException()
    {
        var h = Manual();
        var (subject, observer, subscription) = Subscribe(h);
        using var _ = subscription;
        observer.OnEach = _ => throw new InvalidDataException("observer broke");
        subject.OnNext(new Click(0, 0, 10));
        subject.OnNext(new Click(1, 1, 10));
        h.Source.Complete(0);
        Assert.IsType<InvalidDataException>(observer.Error);
        h.Source.Complete(1);
        Assert.Single(observer.Values);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void TheWatermarkOfSeveralInputsIsTheirMinimumAndACompletedInputStopsHoldingItBack()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.Zero });
        h.Source.DefaultDelay = TimeSpan.Zero;
        var a = new Subject<Click>();
        var b = new Subject<Click>();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        using var subscription = CepObservable.Union(a.WithTimestamps(TimestampOf, Monotonous), b.WithTimestamps(TimestampOf, Monotonous))
            .AsyncLookup(h.Source, KeyOf, h.Options).Subscribe(observer);
        a.OnNext(new Click(0, 0, 50));
        b.OnNext(new Click(1, 0, 20));
        a.OnNext(new Click(2, 0, 60));
        h.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["Missed#0", "Missed#1", "W199999", "Missed#2"], Seq(observer));
        b.OnCompleted();
        Assert.Equal("W599999", Seq(observer)[^1]);
        a.OnCompleted();
        h.Run(new ValueTask(observer.Done));
        Assert.Equal("Wmax", Seq(observer)[^1]);
        Assert.True(observer.Completed);
    }

    [Fact]
    public void AnEmptyStreamCompletesAfterTheFinalWatermark()
    {
        var h = Manual();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        Observable.Empty<Click>().WithTimestamps(TimestampOf, Monotonous).AsyncLookup(h.Source, KeyOf, h.Options).Subscribe(observer);
        Assert.True(observer.Completed);
        Assert.Equal(["Wmax"], Seq(observer));
    }

    /// <summary>Answers arrive on thread-pool threads while the test thread keeps giving records: the observer is never
    /// entered twice at once, every record ends once, and the sequence completes after the last.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnswersOnOtherThreadsAreSentOneAtATime(bool ordered)
    {
        var source = new ThreadPoolSource();
        var options = new AsyncLookupOptions
        {
            Ordered = ordered, Capacity = 8, Linger = Duration.Zero, Timeout = Duration.FromMinutes(10),
            Scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch), AllowSynchronousContinuations = true,
        };
        var subject = new Subject<Click>();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        using var subscription = subject.WithTimestamps(TimestampOf, Monotonous).AsyncLookup(source, KeyOf, options).Subscribe(observer);
        const int count = 400;
        for (var i = 0; i < count; i++)
        {
            subject.OnNext(new Click(i, i % 13, i));
        }

        subject.OnCompleted();
        await observer.Done.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(observer.Completed);
        Assert.Equal(1, observer.MaxConcurrent);
        Assert.Equal(0, observer.AfterTerminal);
        var results = observer.Values.Where(v => v.Kind != LookupOutputKind.Watermark).ToList();
        Assert.Equal(Enumerable.Range(0, count), results.Select(v => v.Record!.Id).Order());
        Assert.All(results, v => Assert.Equal((LookupOutputKind.Joined, $"v{v.Record!.Key}"), (v.Kind, v.Value)));
        if (ordered)
        {
            Assert.Equal(Enumerable.Range(0, count), results.Select(v => v.Record!.Id));
        }
    }

    /// <summary>An upstream error arrives while answers are being sent from thread-pool threads: it never overlaps a
    /// result, and nothing follows it, however many answers arrive afterwards.</summary>
    [Fact]
    public async Task AnUpstreamErrorRacingAnswersOnOtherThreadsIsTheLastNotification()
    {
        var source = new ThreadPoolSource();
        var options = new AsyncLookupOptions
        {
            Ordered = false, Capacity = 64, FullMode = LookupFullMode.Reject, Linger = Duration.Zero, Timeout = Duration.FromMinutes(10),
            Scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch), AllowSynchronousContinuations = true,
        };
        var subject = new Subject<Click>();
        var observer = new RecordingObserver<LookupOutput<Click, string>>();
        using var subscription = subject.WithTimestamps(TimestampOf, Monotonous).AsyncLookup(source, KeyOf, options).Subscribe(observer);
        for (var i = 0; i < 200; i++)
        {
            subject.OnNext(new Click(i, i % 13, i));
        }

        subject.OnError(new IOException("input broke"));
        await source.AllAnswered().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.IsType<IOException>(observer.Error);
        Assert.Equal(1, observer.MaxConcurrent);
        Assert.Equal(0, observer.AfterTerminal);
        Assert.False(observer.Completed);
    }

    [Fact]
    public void ArgumentsAreCheckedWhenTheLookupIsDeclared()
    {
        var h = Manual();
        var stream = Observable.Empty<Click>().WithTimestamps(TimestampOf, Monotonous);
        Assert.Throws<ArgumentNullException>(() => JoinObservable.AsyncLookup<Click, int, string>(null!, h.Source, KeyOf, h.Options));
        Assert.Throws<ArgumentNullException>(() => stream.AsyncLookup<Click, int, string>(null!, KeyOf, h.Options));
        Assert.Throws<ArgumentNullException>(() => stream.AsyncLookup<Click, int, string>(h.Source, null!, h.Options));
        Assert.Throws<ArgumentNullException>(() => stream.AsyncLookup(h.Source, KeyOf, null!));
        var processing = Observable.Empty<Click>().InProcessingTime(ImmediateScheduler.Instance);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => processing.AsyncLookup(h.Source, KeyOf, h.Options)).ParamName);
        var idle = Observable.Empty<Click>().WithTimestamps(TimestampOf, Monotonous.WithIdleness(Duration.FromSeconds(1)), ImmediateScheduler.Instance);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => idle.AsyncLookup(h.Source, KeyOf, h.Options)).ParamName);
        var invalid = Assert.Throws<ValidationException>(() => stream.AsyncLookup(h.Source, KeyOf, new AsyncLookupOptions { Capacity = 0 }));
        Assert.Contains("Capacity must be at least 1", invalid.Message);
        Assert.Contains("Scheduler is required", invalid.Message);
    }

    /// <summary>Finds every key k as "v{k}", answering on a thread-pool thread.</summary>
    private sealed class ThreadPoolSource : IAsyncLookupSource<int, string>
    {
        private int _pending;
        private int _calls;

        /// <summary>Completes when every call made so far has answered.</summary>
        public async Task AllAnswered()
        {
            while (Volatile.Read(ref _pending) > 0 || Volatile.Read(ref _calls) == 0)
            {
                await Task.Yield();
            }
        }

        public async ValueTask<IReadOnlyDictionary<int, string>> LookupAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Increment(ref _pending);
            try
            {
                var asked = keys.ToArray();
                await Task.Yield();
                return asked.ToDictionary(k => k, k => $"v{k}");
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
