using Cep.Operators;
using Cep.Patterns;
using Cep.Time;
using NodaTime;

namespace CtrSession;

/// <summary>What a run of the job produced, with the checks that every record and every exposure is accounted for.</summary>
public sealed record CtrSessionReport
{
    public long EventsIn { get; init; }

    public long Exposures { get; init; }

    public long Clicks { get; init; }

    public long Positives { get; init; }

    public long Negatives { get; init; }

    public long LateExposures { get; init; }

    public long LateClicks { get; init; }

    public long MatchedClicks { get; init; }

    /// <summary>On-time clicks that completed no match (no open exposure of their user and ad within 5 minutes); discarded.</summary>
    public long UnmatchedClicks { get; init; }

    public long Errors { get; init; }

    public required string Counters { get; init; }

    /// <summary>The operator's balance: in = processed + late + failed + buffered.</summary>
    public bool CountersBalanced { get; init; }

    public long Late => LateExposures + LateClicks;

    /// <summary>Exposure-level click-through rate within the 5-minute window.</summary>
    public double Ctr => Positives + Negatives == 0 ? 0 : (double)Positives / (Positives + Negatives);

    /// <summary>Every exposure ends as a positive, a negative or late.</summary>
    public bool ExposuresBalanced => Exposures == Positives + Negatives + LateExposures;

    /// <summary>Every click is late, matched or unmatched.</summary>
    public bool ClicksBalanced => Clicks == LateClicks + MatchedClicks + UnmatchedClicks;

    public bool Balanced => CountersBalanced && ExposuresBalanced && ClicksBalanced && Errors == 0;

    public void Print(TextWriter w)
    {
        w.WriteLine($"events in        {EventsIn,10}   ({Exposures} exposures, {Clicks} clicks)");
        w.WriteLine($"positives        {Positives,10}   (exposure clicked within 5 min)");
        w.WriteLine($"negatives        {Negatives,10}   (timed out without a click)");
        w.WriteLine($"late             {Late,10}   ({LateExposures} exposures, {LateClicks} clicks)");
        w.WriteLine($"unmatched clicks {UnmatchedClicks,10}   (discarded; {MatchedClicks} clicks matched)");
        w.WriteLine($"CTR              {Ctr,10:P2}");
        w.WriteLine($"operator         {Counters}");
        w.WriteLine($"balance          in = processed + late + failed + buffered: {Ok(CountersBalanced)}; " +
                    $"exposures = positives + negatives + late: {Ok(ExposuresBalanced)}; " +
                    $"clicks = late + matched + unmatched: {Ok(ClicksBalanced)}");
    }

    private static string Ok(bool ok) => ok ? "ok" : "BROKEN";
}

/// <summary>
/// The CTR session job: exposure → click within 5 minutes per (user, ad), in event time. A match is a positive
/// sample, a timed-out exposure a negative one; late records are counted; clicks that match nothing are counted and
/// discarded. <see cref="FeatureJoinJob"/> joins the samples with the features logged at request time.
/// </summary>
public sealed class CtrSessionJob
{
    public static readonly Duration AttributionWindow = Duration.FromMinutes(5);

    private readonly Duration _outOfOrderness;
    private readonly ISampleSink _sink;

    public CtrSessionJob(Duration outOfOrderness, ISampleSink sink)
    {
        _outOfOrderness = outOfOrderness;
        _sink = sink;
    }

    /// <summary>The pattern: an exposure, then (not necessarily next) a click, within 5 minutes.</summary>
    public static Pattern<AdEvent> SessionPattern() =>
        Pattern.Begin<AdEvent>("exposure").Where(e => e.IsExposure)
            .FollowedBy("click").Where(e => e.IsClick)
            .Within(AttributionWindow);

    /// <summary>Runs the job over a bounded stream given in arrival order, then flushes with a final watermark.</summary>
    public CtrSessionReport Run(IEnumerable<AdEvent> stream) => RunAsync(stream, null).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Runs the job over a bounded stream given in arrival order, then flushes with a final watermark. After every
    /// watermark the operator has processed (the samples it released are already in the sink), <paramref name="onWatermark"/>
    /// is awaited: the next stage advances its own event time with it. The final watermark is <see cref="Instant.MaxValue"/>.
    /// </summary>
    public async ValueTask<CtrSessionReport> RunAsync(IEnumerable<AdEvent> stream, Func<Instant, ValueTask>? onWatermark)
    {
        var output = new Output(_sink);
        var op = new CepOperator<SessionKey, AdEvent>(SessionPattern(), e => new SessionKey(e.User, e.Ad), output);
        var watermarks = WatermarkStrategy.BoundedOutOfOrderness(_outOfOrderness).CreateGenerator();
        long exposures = 0, clicks = 0;
        foreach (var e in stream)
        {
            if (e.IsExposure)
            {
                exposures++;
            }
            else
            {
                clicks++;
            }

            op.OnRecord(e, e.Timestamp);
            if (watermarks.OnEvent(e.Timestamp))
            {
                op.OnWatermark(watermarks.CurrentWatermark);
                if (onWatermark is not null)
                {
                    await onWatermark(watermarks.CurrentWatermark).ConfigureAwait(false);
                }
            }
        }

        op.OnWatermark(Instant.MaxValue); // end of the bounded input: every open exposure times out
        if (onWatermark is not null)
        {
            await onWatermark(Instant.MaxValue).ConfigureAwait(false);
        }

        var c = op.Counters;
        return new CtrSessionReport
        {
            EventsIn = c.RecordsIn,
            Exposures = exposures,
            Clicks = clicks,
            Positives = output.Positives,
            Negatives = output.Negatives,
            LateExposures = output.LateExposures,
            LateClicks = output.LateClicks,
            MatchedClicks = output.MatchedClicks,
            UnmatchedClicks = clicks - output.LateClicks - output.MatchedClicks,
            Errors = output.Errors,
            Counters = c.ToString(),
            CountersBalanced = c.Balanced,
        };
    }

    private sealed class Output(ISampleSink sink) : ICepOutput<SessionKey, AdEvent>
    {
        private long _lastMatchedClick = -1;

        public long Positives;
        public long Negatives;
        public long LateExposures;
        public long LateClicks;
        public long MatchedClicks;
        public long Errors;

        public void OnMatch(SessionKey key, MatchView<AdEvent> match)
        {
            var exposure = match.Get(0, 0);
            var click = match.Get(1, 0);
            Positives++;

            // One click completes every open exposure of its key at once, in consecutive calls.
            if (click.Id != _lastMatchedClick)
            {
                _lastMatchedClick = click.Id;
                MatchedClicks++;
            }

            sink.OnSample(new TrainingSample(key.User, key.Ad, exposure.Timestamp, click.Timestamp, exposure.Id, click.Timestamp));
        }

        public void OnTimeout(SessionKey key, MatchView<AdEvent> partialMatch, Instant timedOutAt)
        {
            Negatives++;
            var exposure = partialMatch.Get(0, 0);
            sink.OnSample(new TrainingSample(key.User, key.Ad, exposure.Timestamp, null, exposure.Id, exposure.Timestamp + AttributionWindow));
        }

        public void OnLate(SessionKey key, AdEvent value, Instant timestamp, Instant watermark)
        {
            if (value.IsExposure)
            {
                LateExposures++;
            }
            else
            {
                LateClicks++;
            }
        }

        public void OnError(SessionKey key, AdEvent value, Instant timestamp, Exception error) => Errors++;
    }
}
