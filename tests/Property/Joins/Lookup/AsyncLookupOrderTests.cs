using Cep.Joins.Lookup;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Lookup;

public sealed class AsyncLookupOrderTests
{
    private static LookupHarness Harness(bool ordered)
    {
        var h = new LookupHarness(new AsyncLookupOptions { Ordered = ordered, Linger = Duration.Zero });
        h.Source.Manual = true;
        for (var k = 0; k < 4; k++)
        {
            h.Source.Store[k] = $"v{k}";
        }

        return h;
    }

    private static List<string> Seq(LookupHarness h) =>
        h.Output.Events.Select(e => e.Kind == EventKind.Watermark ? $"W{e.Time.ToUnixTimeMilliseconds()}" : $"{e.Record!.Id}").ToList();

    [Fact]
    public void OrderedModeEmitsInInputOrderWhateverTheCompletionOrder()
    {
        var h = Harness(ordered: true);
        h.Record(0, 0);
        h.Record(1, 1);
        h.Watermark(100);
        h.Record(2, 2);
        h.Source.Complete(2);
        h.Source.Complete(1);
        h.Advance(0);
        Assert.Empty(h.Output.Events);
        h.Source.Complete(0);
        h.Advance(0);
        Assert.Equal(["0", "1", "W100", "2"], Seq(h));
        Assert.Equal(LookupHarness.Ms(100), h.Operator.Watermark);
    }

    [Fact]
    public void UnorderedModeEmitsAsAnswersArriveButNeverAcrossAWatermark()
    {
        var h = Harness(ordered: false);
        h.Record(0, 0);
        h.Record(1, 1);
        h.Watermark(100);
        h.Record(2, 2);
        h.Record(3, 3);

        h.Source.Complete(3); // after the watermark: waits for it
        h.Source.Complete(1);
        h.Advance(0);
        Assert.Equal(["1"], Seq(h));
        h.Source.Complete(0);
        h.Advance(0);
        Assert.Equal(["1", "0", "W100", "3"], Seq(h));
        h.Source.Complete(2);
        h.Advance(0);
        Assert.Equal(["1", "0", "W100", "3", "2"], Seq(h));
    }

    [Fact]
    public void AWatermarkWithNothingBeforeItLeavesAtOnceAndOneNotAboveTheLastIsIgnored()
    {
        var h = Harness(ordered: false);
        h.Watermark(10);
        h.Watermark(10);
        h.Watermark(5);
        h.Watermark(20);
        Assert.Equal(["W10", "W20"], Seq(h));
    }
}
