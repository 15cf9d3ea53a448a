using CtrSession;
using NodaTime;
using Xunit;

namespace Cep.Tests.Samples;

/// <summary>The CTR session sample against an independent computation over the same seeded stream.</summary>
public sealed class CtrSessionTests
{
    [Theory]
    [MemberData(nameof(SampleStreams.Seeds), MemberType = typeof(SampleStreams))]
    public void CountsMatchAnIndependentComputation(int seed)
    {
        var options = SampleStreams.Small(seed);
        var stream = SyntheticAdStream.Generate(options);
        var sink = new CountingSampleSink();

        var report = new CtrSessionJob(options.OutOfOrderness, sink).Run(stream);
        var expected = Expected.Compute(stream, options.OutOfOrderness, CtrSessionJob.AttributionWindow);

        Assert.Equal(stream.Count, report.EventsIn);
        Assert.Equal(expected.Exposures, report.Exposures);
        Assert.Equal(expected.Clicks, report.Clicks);
        Assert.Equal(expected.LateExposures, report.LateExposures);
        Assert.Equal(expected.LateClicks, report.LateClicks);
        Assert.Equal(expected.Positives, report.Positives);
        Assert.Equal(expected.Negatives, report.Negatives);
        Assert.Equal(expected.MatchedClicks, report.MatchedClicks);
        Assert.Equal(expected.UnmatchedClicks, report.UnmatchedClicks);
        Assert.Equal(report.Positives, sink.Positives);
        Assert.Equal(report.Negatives, sink.Negatives);
        Assert.True(report.Balanced, report.Counters);
        Assert.Equal(0, report.Errors);

        // The stream exercises every outcome, including same-millisecond exposure/click pairs that match.
        Assert.True(report.Positives > 0 && report.Negatives > 0 && report.Late > 0 && report.UnmatchedClicks > 0);
        Assert.True(expected.SameMillisecondPositives > 0);
    }

    [Fact]
    public void SameSeedGivesTheSameReport()
    {
        var options = SampleStreams.Small(5);
        var first = new CtrSessionJob(options.OutOfOrderness, new CountingSampleSink()).Run(SyntheticAdStream.Generate(options));
        var second = new CtrSessionJob(options.OutOfOrderness, new CountingSampleSink()).Run(SyntheticAdStream.Generate(options));
        Assert.Equal(first, second);
    }

    /// <summary>
    /// The expected counts, computed without the operator: a record is late when its timestamp is at or below the
    /// largest earlier timestamp minus the bound minus one tick (the bounded-out-of-orderness watermark in force when it
    /// arrives). On-time records of each (user, ad), in timestamp order and then arrival order, are walked once: a
    /// click labels positive every exposure since the previous click that is less than the window older; every other
    /// exposure is negative; a click that labels none is unmatched.
    /// </summary>
    private sealed record Expected(
        long Exposures, long Clicks, long LateExposures, long LateClicks, long Positives, long Negatives,
        long MatchedClicks, long UnmatchedClicks, long SameMillisecondPositives)
    {
        public static Expected Compute(List<AdEvent> arrivals, Duration bound, Duration window)
        {
            long lateExposures = 0, lateClicks = 0;
            var maxTicks = long.MinValue;
            var onTime = new List<(AdEvent Event, int Arrival)>();
            for (var i = 0; i < arrivals.Count; i++)
            {
                var e = arrivals[i];
                var ticks = e.Timestamp.ToUnixTimeTicks();
                var late = maxTicks != long.MinValue && ticks <= maxTicks - bound.BclCompatibleTicks - 1;
                if (late && e.IsExposure)
                {
                    lateExposures++;
                }
                else if (late)
                {
                    lateClicks++;
                }
                else
                {
                    onTime.Add((e, i));
                }

                maxTicks = Math.Max(maxTicks, ticks);
            }

            long positives = 0, negatives = 0, matched = 0, unmatched = 0, sameMs = 0;
            foreach (var group in onTime.GroupBy(r => new SessionKey(r.Event.User, r.Event.Ad)))
            {
                var open = new List<Instant>();
                foreach (var (e, _) in group.OrderBy(r => r.Event.Timestamp).ThenBy(r => r.Arrival))
                {
                    if (e.IsExposure)
                    {
                        open.Add(e.Timestamp);
                        continue;
                    }

                    var labelled = open.Count(t => e.Timestamp - t < window);
                    positives += labelled;
                    sameMs += open.Count(t => t == e.Timestamp);
                    negatives += open.Count - labelled;
                    if (labelled > 0)
                    {
                        matched++;
                    }
                    else
                    {
                        unmatched++;
                    }

                    open.Clear();
                }

                negatives += open.Count;
            }

            return new Expected(
                arrivals.LongCount(e => e.IsExposure), arrivals.LongCount(e => e.IsClick), lateExposures, lateClicks,
                positives, negatives, matched, unmatched, sameMs);
        }
    }
}
