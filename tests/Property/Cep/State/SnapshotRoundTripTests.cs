using System.Reactive.Concurrency;
using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.State.SnapshotTestSupport;

namespace Cep.Tests.State;

public sealed class SnapshotRoundTripTests
{
    /// <summary>a followed by any b with the same tag, within 100 ms, skip to next: matches wait for earlier partial matches.</summary>
    private static Pattern<Rec> TaggedPairs() =>
        Pattern.Begin<Rec>("a", AfterMatchSkipStrategy.SkipToNext).Where(e => e.Kind == 'a')
            .FollowedByAny("b").Where((e, ctx) => e.Kind == 'b' && ctx.EventsFor("a")[0].Tag == e.Tag)
            .Within(Duration.FromMilliseconds(100));

    private static void FeedPrefix(CepOperator<string, Rec> op)
    {
        op.OnRecord(new Rec("u1", 'a', 1, 1), T(10));
        op.OnRecord(new Rec("u1", 'a', 2, 2), T(20));
        op.OnRecord(new Rec("u1", 'b', 3, 2), T(30));
        op.OnRecord(new Rec("u2", 'a', 4, 1), T(25));
        op.OnWatermark(T(30));
        op.OnRecord(new Rec("u2", 'b', 5, 1), T(60)); // buffered
        op.OnRecord(new Rec("u1", 'x', 6, 0), T(5));  // late
    }

    private static void FeedRest(CepOperator<string, Rec> op)
    {
        op.OnRecord(new Rec("u1", 'b', 7, 1), T(70));
        op.OnRecord(new Rec("u1", 'a', 8, 1), T(80));
        op.OnWatermark(T(90));
        op.OnWatermark(Instant.MaxValue);
    }

    [Fact]
    public void RoundTripWithBufferedRecordsPartialMatchesHeldMatchesAndTimersContinuesLikeTheUninterruptedRun()
    {
        var whole = new CollectingOutput<string, Rec>();
        var uninterrupted = NewOperator(TaggedPairs(), whole);
        FeedPrefix(uninterrupted);
        FeedRest(uninterrupted);

        var before = new CollectingOutput<string, Rec>();
        var first = NewOperator(TaggedPairs(), before);
        FeedPrefix(first);

        // At the cut: a2 b3 is complete but held (a1 started earlier and is alive), u2's b5 is buffered, timers pend.
        Assert.Empty(before.Matches);
        Assert.Single(before.Late);
        Assert.Equal(1, first.Counters.RecordsBuffered);
        Assert.True(first.Counters.PartialMatches >= 2, first.Counters.ToString());
        var bytes = first.Snapshot();

        var after = new CollectingOutput<string, Rec>();
        var second = NewOperator(TaggedPairs(), after);
        second.Restore(bytes);
        Assert.Equal(first.Counters.ToString(), second.Counters.ToString());
        Assert.Equal(first.Watermark, second.Watermark);
        Assert.Equal(bytes, second.Snapshot());

        FeedRest(second);
        Assert.Equal(Describe(whole), Describe(before, after));

        // The held match goes out after the restore, behind the earlier-starting a1 b7 that released it.
        var u1 = after.Matches.Where(m => m.Key == "u1").Select(m => CollectingOutput<string, Rec>.Describe(m.Match)).ToList();
        Assert.Equal(["a:a1 b:b7", "a:a2 b:b3"], u1);
        Assert.Equal(uninterrupted.Counters.ToString(), second.Counters.ToString());
        Assert.True(second.Counters.Balanced, second.Counters.ToString());
        Assert.Equal(0, second.Counters.PartialMatches);
        Assert.Equal(0, second.Counters.SharedBufferEvents);
    }

    [Fact]
    public void FreshOperatorSnapshotRestoresToAnEquivalentFreshOperator()
    {
        var bytes = NewOperator(TaggedPairs(), new CollectingOutput<string, Rec>()).Snapshot();
        var restored = NewOperator(TaggedPairs(), new CollectingOutput<string, Rec>());
        restored.Restore(bytes);
        Assert.Equal(Instant.MinValue, restored.Watermark);
        Assert.Equal(bytes, restored.Snapshot());
    }

    [Fact]
    public void ProcessingTimeRestoreSchedulesThePendingTimerAgain()
    {
        var pattern = Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a').FollowedBy("b").Where(e => e.Kind == 'b').Within(Duration.FromMilliseconds(100));
        var start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var scheduler = new HistoricalScheduler(start);
        var first = new CepOperator<string, Rec>(pattern, r => r.Key, new CollectingOutput<string, Rec>(), new CepOperatorOptions<Rec> { TimeMode = TimeMode.ProcessingTime, Scheduler = scheduler });
        first.OnRecord(new Rec("u1", 'a', 1, 0), default);
        var bytes = first.Snapshot();

        var restoredScheduler = new HistoricalScheduler(start);
        var output = new CollectingOutput<string, Rec>();
        var second = new CepOperator<string, Rec>(pattern, r => r.Key, output, new CepOperatorOptions<Rec> { TimeMode = TimeMode.ProcessingTime, Scheduler = restoredScheduler });
        second.Restore(bytes);
        restoredScheduler.AdvanceBy(TimeSpan.FromMilliseconds(150));

        var timeout = Assert.Single(output.Timeouts);
        Assert.Equal("a:a1", CollectingOutput<string, Rec>.Describe(timeout.Partial));
        Assert.Equal(Instant.FromDateTimeOffset(start) + Duration.FromMilliseconds(100), timeout.TimedOutAt);
    }

    [Fact]
    public void CustomSerializersAreUsedForKeysAndEvents()
    {
        var keys = new CountingSerializer<int>();
        var events = new CountingSerializer<Rec>();
        var options = new Cep.State.SnapshotOptions<int, Rec> { KeySerializer = keys, EventSerializer = events };
        var pattern = Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a').FollowedBy("b").Where(e => e.Kind == 'b');
        var first = new CepOperator<int, Rec>(pattern, r => r.Id % 2, new CollectingOutput<int, Rec>(), null, options);
        first.OnRecord(new Rec("u", 'a', 1, 0), T(10));
        first.OnRecord(new Rec("u", 'a', 2, 0), T(20));
        first.OnWatermark(T(15));
        var bytes = first.Snapshot();
        Assert.Equal(2, keys.Written);
        Assert.Equal(2, events.Written); // a1 held by a partial match, a2 buffered

        var output = new CollectingOutput<int, Rec>();
        var second = new CepOperator<int, Rec>(pattern, r => r.Id % 2, output, null, options);
        second.Restore(bytes);
        Assert.Equal(2, keys.Read);
        Assert.Equal(2, events.Read);
        second.OnRecord(new Rec("u", 'b', 3, 0), T(30));
        second.OnWatermark(T(30));
        Assert.Equal(["a:a1 b:b3"], output.MatchStrings());
    }

    private sealed class CountingSerializer<TValue> : Cep.State.IStateSerializer<TValue>
    {
        private readonly Cep.State.IStateSerializer<TValue> _inner = Cep.State.StateSerializer.Default<TValue>();

        public int Written { get; private set; }

        public int Read { get; private set; }

        public void Write(System.Buffers.IBufferWriter<byte> destination, TValue value)
        {
            Written++;
            _inner.Write(destination, value);
        }

        TValue Cep.State.IStateSerializer<TValue>.Read(ReadOnlySpan<byte> source)
        {
            Read++;
            return _inner.Read(source);
        }
    }
}
