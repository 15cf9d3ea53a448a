using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Cep.Joins;
using Cep.Joins.Retry;
using Cep.Operators;
using Cep.Reactive;
using Cep.Tests.Joins.Lookup.Reactive;
using Cep.Time;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Retry.RetryTestSupport;

namespace Cep.Tests.Joins.Retry.Reactive;

public sealed class RetryQueueObservableTests
{
    private static readonly WatermarkStrategy Monotonous = WatermarkStrategy.Monotonous();

    private static Instant TimeOf(Miss m) => m.Ms >= 0 ? Ms(m.Ms) : throw new FormatException($"miss {m.Id} has no time");

    private static int KeyOf(Miss m) => m.Key >= 0 ? m.Key : throw new ArgumentException($"miss {m.Id} has no key");

    private static (Subject<Miss> Subject, RecordingObserver<RetryOutput<int, Miss, string>> Observer, IDisposable Subscription) Subscribe(
        CountingStore store, RetryQueueOptions<int, Miss, string> options)
    {
        var subject = new Subject<Miss>();
        var observer = new RecordingObserver<RetryOutput<int, Miss, string>>();
        var subscription = subject.WithTimestamps(TimeOf, Monotonous).RetryQueue(store, KeyOf, options).Subscribe(observer);
        return (subject, observer, subscription);
    }

    private static List<string> Seq(RecordingObserver<RetryOutput<int, Miss, string>> o) =>
        [.. o.Values.Select(v => v.Kind switch
        {
            RetryOutputKind.Joined => $"J#{v.Record.Id} L{v.Joined!.Level} A{v.Joined.Attempt} T{v.Joined.TotalAttempts} {v.Joined.Value}",
            RetryOutputKind.Expired => $"X#{v.Record.Id} {v.Expired!.Reason} L{v.Expired.Level} A{v.Expired.Attempt} T{v.Expired.TotalAttempts}",
            _ => $"E#{v.Record.Id}",
        })];

    private static RetryQueueOptions<int, Miss, string> Processing(HistoricalScheduler scheduler)
    {
        var options = Options(Level(10, 2), Level(50, 1));
        options.TimeMode = TimeMode.ProcessingTime;
        options.Scheduler = scheduler;
        return options;
    }

    [Fact]
    public void InProcessingTimeTheQueuesTimersSendResultsWithoutFurtherInput()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var store = new CountingStore(new Dictionary<int, int> { [1] = 2 }, 0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Processing(scheduler));
        using var _ = subscription;
        subject.OnNext(new Miss(0, 1, 0));
        subject.OnNext(new Miss(1, 2, 0));
        Assert.Equal(0, store.CallCount);

        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, store.CallCount);
        Assert.Empty(observer.Values);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        Assert.Equal(["J#0 L1 A2 T2 f1"], Seq(observer));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(50));
        Assert.Equal(["J#0 L1 A2 T2 f1", "X#1 AttemptsExhausted L2 A1 T3"], Seq(observer));
        Assert.False(observer.Terminated);
        subject.OnCompleted();
        Assert.True(observer.Completed);
    }

    [Fact]
    public void AtTheEndEveryPendingRecordIsAttemptedOnceMoreThenTheSequenceCompletes()
    {
        var store = new CountingStore(new Dictionary<int, int> { [1] = 1 }, 0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Options(Level(1_000, 3)));
        using var _ = subscription;
        subject.OnNext(new Miss(0, 1, 5));
        subject.OnNext(new Miss(1, 2, 6));
        Assert.Empty(observer.Values);
        subject.OnCompleted();
        Assert.Equal(["J#0 L1 A1 T1 f1", "X#1 EndOfInput L1 A1 T1"], Seq(observer));
        Assert.True(observer.Completed);
        Assert.Equal(0, observer.AfterTerminal);
    }

    [Fact]
    public async Task WithAnswersOnOtherThreadsTheSequenceCompletesOnlyAfterTheLastRecordLeft()
    {
        var store = new CountingStore(new Dictionary<int, int> { [0] = 1, [1] = 2 }, 0, 0, asynchronous: true);
        var (subject, observer, subscription) = Subscribe(store, Options(Level(1, 2)));
        using var _ = subscription;
        for (var i = 0; i < 300; i++)
        {
            subject.OnNext(new Miss(i, i % 3, i));
        }

        subject.OnCompleted();
        await observer.Done.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(observer.Completed);
        Assert.Equal(1, observer.MaxConcurrent);
        Assert.Equal(Enumerable.Range(0, 300), observer.Values.Select(v => v.Record.Id).Order());
        Assert.All(observer.Values, v => Assert.Equal(v.Record.Key == 2 ? RetryOutputKind.Expired : RetryOutputKind.Joined, v.Kind));
    }

    /// <summary>In processing time on the thread pool, the queue's timers send results on pool threads while the test
    /// thread gives records: the observer is never entered twice at once, every record leaves once, and the sequence
    /// completes after the last.</summary>
    [Fact]
    public async Task TimerResultsOnPoolThreadsAreSentOneAtATime()
    {
        var store = new CountingStore(new Dictionary<int, int> { [0] = 2 }, 0, 0, asynchronous: true);
        var options = Options(Level(1, 3));
        options.TimeMode = TimeMode.ProcessingTime;
        options.Scheduler = TaskPoolScheduler.Default;
        var (subject, observer, subscription) = Subscribe(store, options);
        using var _ = subscription;
        for (var i = 0; i < 300; i++)
        {
            subject.OnNext(new Miss(i, i % 4, i));
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }

        subject.OnCompleted();
        await observer.Done.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(observer.Completed);
        Assert.Equal(1, observer.MaxConcurrent);
        Assert.Equal(0, observer.AfterTerminal);
        Assert.Equal(Enumerable.Range(0, 300), observer.Values.Select(v => v.Record.Id).Order());
    }

    [Fact]
    public void SelectorAndStoreFailuresBecomeOutputsWithTheirRecord()
    {
        var store = new CountingStore(new Dictionary<int, int>(), 1.0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Options(Level(1, 1)));
        using var _ = subscription;
        subject.OnNext(new Miss(0, -1, 1));
        subject.OnNext(new Miss(1, 1, -1));
        subject.OnNext(new Miss(2, 1, 2));
        subject.OnNext(new Miss(3, 1, 10));
        Assert.False(observer.Terminated);

        var byId = observer.Values.ToDictionary(v => v.Record.Id);
        Assert.Equal((RetryOutputKind.Expired, RetryExitReason.KeySelectorFailed), (byId[0].Kind, byId[0].Expired!.Reason));
        Assert.Equal("miss 0 has no key", byId[0].Expired!.LastError!.Message);
        Assert.Equal(RetryOutputKind.Error, byId[1].Kind);
        Assert.Equal("miss 1 has no time", byId[1].Error!.Message);
        Assert.Equal((RetryOutputKind.Expired, RetryExitReason.AttemptsExhausted), (byId[2].Kind, byId[2].Expired!.Reason));
        Assert.IsType<TimeoutException>(byId[2].Expired!.LastError);
        subject.OnCompleted();
        Assert.True(observer.Completed);
    }

    [Fact]
    public void AnUpstreamErrorIsPassedOnAtOnceAndTheQueueMakesNoMoreLookups()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var store = new CountingStore(new Dictionary<int, int> { [1] = 1 }, 0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Processing(scheduler));
        using var _ = subscription;
        subject.OnNext(new Miss(0, 1, 0));
        var error = new IOException("input broke");
        subject.OnError(error);
        Assert.Same(error, observer.Error);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(0, store.CallCount);
        Assert.Empty(observer.Values);
        Assert.Equal(0, observer.AfterTerminal);
    }

    [Fact]
    public void DisposingStopsLookupsAndNotifications()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var store = new CountingStore(new Dictionary<int, int> { [1] = 3 }, 0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Processing(scheduler));
        subject.OnNext(new Miss(0, 1, 0));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, store.CallCount);

        subscription.Dispose();
        Assert.False(subject.HasObservers);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal(1, store.CallCount);
        Assert.Empty(observer.Values);
        Assert.False(observer.Terminated);
    }

    [Fact]
    public void AnObserverThatThrowsEndsTheSequenceWithItsException()
    {
        var store = new CountingStore(new Dictionary<int, int> { [1] = 1 }, 0, 0, asynchronous: false);
        var (subject, observer, subscription) = Subscribe(store, Options(Level(1, 1)));
        using var _ = subscription;
        observer.OnEach = _ => throw new InvalidDataException("observer broke");
        subject.OnNext(new Miss(0, 1, 0));
        subject.OnNext(new Miss(1, 1, 5));
        Assert.IsType<InvalidDataException>(observer.Error);
        Assert.Single(observer.Values);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void ArgumentsAreCheckedWhenTheQueueIsDeclared()
    {
        var store = new CountingStore(new Dictionary<int, int>(), 0, 0, asynchronous: false);
        var options = Options(Level(1, 1));
        var stream = Observable.Empty<Miss>().WithTimestamps(TimeOf, Monotonous);
        Assert.Throws<ArgumentNullException>(() => JoinObservable.RetryQueue<int, Miss, string>(null!, store, KeyOf, options));
        Assert.Throws<ArgumentNullException>(() => stream.RetryQueue<int, Miss, string>(null!, KeyOf, options));
        Assert.Throws<ArgumentNullException>(() => stream.RetryQueue<int, Miss, string>(store, null!, options));
        Assert.Throws<ArgumentNullException>(() => stream.RetryQueue(store, KeyOf, null!));
        var processing = Observable.Empty<Miss>().InProcessingTime(ImmediateScheduler.Instance);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => processing.RetryQueue(store, KeyOf, options)).ParamName);
        var idle = Observable.Empty<Miss>().WithTimestamps(TimeOf, Monotonous.WithIdleness(Duration.FromSeconds(1)), ImmediateScheduler.Instance);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => idle.RetryQueue(store, KeyOf, options)).ParamName);
        var invalid = Assert.Throws<ValidationException>(() => stream.RetryQueue(store, KeyOf, new RetryQueueOptions<int, Miss, string>()));
        Assert.StartsWith("The 'RetryQueueOptions' are invalid.", invalid.Message);
    }

    [Fact]
    public void AnEmptyStreamCompletes()
    {
        var store = new CountingStore(new Dictionary<int, int>(), 0, 0, asynchronous: false);
        var observer = new RecordingObserver<RetryOutput<int, Miss, string>>();
        Observable.Empty<Miss>().WithTimestamps(TimeOf, Monotonous).RetryQueue(store, KeyOf, Options(Level(1, 1))).Subscribe(observer);
        Assert.True(observer.Completed);
        Assert.Empty(observer.Values);
    }
}
