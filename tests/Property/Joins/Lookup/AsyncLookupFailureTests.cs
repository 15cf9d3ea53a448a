using Cep.Joins.Lookup;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupFailureTests
{
    private static LookupHarness Harness(LookupFullMode mode = LookupFullMode.Wait, int capacity = 100) =>
        new(new AsyncLookupOptions { Linger = Duration.Zero, Timeout = Duration.FromMilliseconds(50), Capacity = capacity, FullMode = mode });

    [Fact]
    public void ATimedOutRoundTripFailsItsRecordsWithTimeoutAndIsCancelled()
    {
        var h = Harness();
        h.Source.Store[1] = "one";
        h.Source.Delays[1] = TimeSpan.FromMilliseconds(80);
        h.Record(0, 1);
        h.Advance(49);
        Assert.Empty(h.Output.Events);
        h.Advance(1);
        var failed = Assert.Single(h.Output.Results);
        Assert.Equal((EventKind.Failed, "Timeout"), (failed.Kind, failed.Reason));
        var timeout = Assert.IsType<TimeoutException>(failed.Error);
        Assert.Equal("The lookup round trip did not answer within 0:00:00:00.05.", timeout.Message);
        Assert.Equal(1, h.Source.Cancelled);
        Assert.Equal(1, h.Operator.Counters.TimedOutCalls);
        Assert.True(h.Operator.Counters.Balanced);
    }

    [Fact]
    public void AnAnswerAfterTheTimeoutIsIgnoredAndCounted()
    {
        var h = Harness();
        h.Source.IgnoreCancellation = true;
        h.Source.Store[1] = "one";
        h.Source.Delays[1] = TimeSpan.FromMilliseconds(80);
        h.Record(0, 1);
        h.Advance(100);
        Assert.Equal([EventKind.Failed], h.Output.Results.Select(e => e.Kind));
        Assert.Equal(1, h.Operator.Counters.LateAnswers);
        Assert.Equal((1L, 0L, 1L), (h.Operator.Counters.RecordsIn, h.Operator.Counters.Joined, h.Operator.Counters.Failed));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFailingRoundTripFailsEveryRecordOfItsBatchWithTheSourcesException(bool synchronously)
    {
        var h = new LookupHarness(new AsyncLookupOptions { Linger = Duration.FromMilliseconds(5) });
        h.Source.ThrowSynchronously = synchronously;
        h.Source.Store[2] = "two";
        h.Source.FailingKeys.Add(1);
        h.Record(0, 1);
        h.Record(1, 2);
        h.Record(2, 1);
        h.Flush();
        Assert.Single(h.Source.Calls);
        Assert.All(h.Output.Results, e =>
        {
            Assert.Equal((EventKind.Failed, "SourceFailed"), (e.Kind, e.Reason));
            Assert.IsType<InvalidOperationException>(e.Error);
        });
        Assert.Equal([0, 1, 2], h.Output.Results.Select(e => e.Record!.Id));
        Assert.Equal(3, h.Operator.Counters.Failed);
    }

    [Fact]
    public void AThrowingKeySelectorFailsTheRecordWithoutALookup()
    {
        var h = Harness();
        h.Record(0, -1);
        h.Flush();
        var e = Assert.Single(h.Output.Results);
        Assert.Equal((EventKind.Failed, "KeySelectorFailed"), (e.Kind, e.Reason));
        Assert.Equal("record 0 has no key", e.Error!.Message);
        Assert.Empty(h.Source.Calls);
    }

    [Fact]
    public void RejectModeSendsTheRecordThatFindsTheOperatorFullToTheRejectedOutput()
    {
        var h = Harness(LookupFullMode.Reject, capacity: 2);
        h.Source.Manual = true;
        h.Record(0, 1);
        h.Record(1, 2);
        h.Record(2, 3);
        var rejected = Assert.Single(h.Output.Results);
        Assert.Equal((EventKind.Rejected, 2, "CapacityFull", LookupHarness.Ms(2)), (rejected.Kind, rejected.Record!.Id, rejected.Reason, rejected.Time));
        Assert.Equal(2, h.Source.Calls.Count);
        var c = h.Operator.Counters;
        Assert.Equal((3L, 1L, 2L), (c.RecordsIn, c.Rejected, c.InFlight));
        Assert.True(c.Balanced);

        h.Source.Complete(0);
        h.Record(3, 4); // room again
        Assert.Equal(3, h.Source.Calls.Count);
        Assert.Equal(1, h.Operator.Counters.Rejected);
    }

    [Fact]
    public void WaitModeHoldsTheCallUntilARecordLeaves()
    {
        var h = new LookupHarness(new AsyncLookupOptions { Capacity = 2, Linger = Duration.FromMilliseconds(10) });
        h.Source.Manual = true;
        h.Run(h.Operator.OnRecordAsync(new Rec(0, 1), LookupHarness.Ms(0)));
        h.Run(h.Operator.OnRecordAsync(new Rec(1, 2), LookupHarness.Ms(1)));
        Assert.Empty(h.Source.Calls); // lingering

        var third = h.Operator.OnRecordAsync(new Rec(2, 3), LookupHarness.Ms(2));
        Assert.False(third.IsCompleted);
        Assert.Equal([[1, 2]], h.Source.Calls); // waiting sends the open batch at once
        Assert.Throws<InvalidOperationException>(() => h.Operator.PollAsync());
        Assert.Throws<InvalidOperationException>(() => h.Operator.Snapshot());

        h.Source.Complete(0);
        Assert.True(third.IsCompleted);
        h.Run(third);
        Assert.Equal(2, h.Output.Results.Count());
        var c = h.Operator.Counters;
        Assert.Equal((3L, 1L, 1L), (c.RecordsIn, c.InFlight, c.Waits));
        Assert.True(c.Balanced);
    }

    [Fact]
    public void FlushWaitsUntilNothingIsInFlight()
    {
        var h = Harness();
        h.Source.Manual = true;
        h.Record(0, 1);
        h.Record(1, 2);
        var flush = h.Operator.FlushAsync();
        Assert.False(flush.IsCompleted);
        h.Source.Complete(1);
        Assert.False(flush.IsCompleted);
        h.Source.Complete(0);
        Assert.True(flush.IsCompleted);
        h.Run(flush);
        Assert.Equal(0, h.Operator.Counters.InFlight);
    }
}
