using Cep.Joins.AdAnalytics;
using Cep.Joins.CoProcess;
using Cep.Time;
using NodaTime;

namespace CtrSession;

/// <summary>What the valid-click part produced, with the checks that every click is accounted for.</summary>
public sealed record ValidClickReport
{
    public long Clicks { get; init; }

    public long Heartbeats { get; init; }

    public long Valid { get; init; }

    public long NotValid { get; init; }

    public long LateClicks { get; init; }

    public long LateHeartbeats { get; init; }

    public long Errors { get; init; }

    public required string Counters { get; init; }

    /// <summary>The operator's balance: in = processed + late + failed.</summary>
    public bool CountersBalanced { get; init; }

    /// <summary>No key, state value or timer left after the final watermark.</summary>
    public bool StateEmpty { get; init; }

    /// <summary>Every click is valid, not valid or late.</summary>
    public bool ClicksBalanced => Clicks == Valid + NotValid + LateClicks;

    public bool Balanced => CountersBalanced && ClicksBalanced && StateEmpty && Errors == 0;

    public void Print(TextWriter w)
    {
        w.WriteLine($"valid clicks     {Valid,10}   (watched >= 6 min within 3 h; {Clicks} clicks, {Heartbeats} heartbeats)");
        w.WriteLine($"not valid        {NotValid,10}   (expired after 3 h with less watching)");
        w.WriteLine($"late             {LateClicks + LateHeartbeats,10}   ({LateClicks} clicks, {LateHeartbeats} heartbeats)");
        w.WriteLine($"co-process       {Counters}");
        w.WriteLine($"balance          in = processed + late + failed: {Ok(CountersBalanced)}; " +
                    $"clicks = valid + not valid + late: {Ok(ClicksBalanced)}; state empty at the end: {Ok(StateEmpty)}");
    }

    private static string Ok(bool ok) => ok ? "ok" : "BROKEN";
}

/// <summary>
/// The valid-click part of the job: clicks (input 1) and play heartbeats (input 2), keyed by (user, title), through
/// <see cref="ValidClickFunction"/> with the default parameters; each input has its own bounded-out-of-orderness watermark.
/// </summary>
public sealed class ValidClickJob(Duration outOfOrderness)
{
    public List<ClickVerdict> Verdicts { get; } = [];

    public ValidClickReport Run(IEnumerable<WatchRecord> records)
    {
        var output = new Output(Verdicts);
        var op = ValidClickFunction.CreateOperator(output);
        var clickWatermarks = WatermarkStrategy.BoundedOutOfOrderness(outOfOrderness).CreateGenerator();
        var beatWatermarks = WatermarkStrategy.BoundedOutOfOrderness(outOfOrderness).CreateGenerator();
        long clicks = 0, beats = 0;
        foreach (var r in records)
        {
            if (r.Click is { } click)
            {
                clicks++;
                op.OnInput1(click, click.Timestamp);
                if (clickWatermarks.OnEvent(click.Timestamp))
                {
                    op.OnWatermark1(clickWatermarks.CurrentWatermark);
                }
            }
            else if (r.Heartbeat is { } beat)
            {
                beats++;
                op.OnInput2(beat, beat.Timestamp);
                if (beatWatermarks.OnEvent(beat.Timestamp))
                {
                    op.OnWatermark2(beatWatermarks.CurrentWatermark);
                }
            }
        }

        op.OnWatermark1(Instant.MaxValue); // end of the bounded input: every waiting click expires
        op.OnWatermark2(Instant.MaxValue);
        var c = op.Counters;
        return new ValidClickReport
        {
            Clicks = clicks,
            Heartbeats = beats,
            Valid = output.Valid,
            NotValid = output.NotValid,
            LateClicks = output.LateClicks,
            LateHeartbeats = output.LateHeartbeats,
            Errors = output.Errors,
            Counters = c.ToString(),
            CountersBalanced = c.Balanced,
            StateEmpty = c.Keys == 0 && c.PendingEventTimers == 0 && op.CountStateValues() == 0,
        };
    }

    private sealed class Output(List<ClickVerdict> verdicts) : ICoProcessOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict>
    {
        public long Valid;
        public long NotValid;
        public long LateClicks;
        public long LateHeartbeats;
        public long Errors;

        public void OnOutput(WatchKey key, ClickVerdict value, Instant timestamp)
        {
            verdicts.Add(value);
            if (value.IsValid)
            {
                Valid++;
            }
            else
            {
                NotValid++;
            }
        }

        public void OnSideOutput(string tag, WatchKey key, ClickVerdict value, Instant timestamp)
        {
        }

        public void OnLate1(WatchKey key, Click value, Instant timestamp, Instant watermark) => LateClicks++;

        public void OnLate2(WatchKey key, PlayHeartbeat value, Instant timestamp, Instant watermark) => LateHeartbeats++;

        public void OnError1(WatchKey key, Click value, Instant timestamp, Exception error) => Errors++;

        public void OnError2(WatchKey key, PlayHeartbeat value, Instant timestamp, Exception error) => Errors++;

        public void OnTimerError(WatchKey key, Instant time, TimeDomain domain, Exception error) => Errors++;
    }
}
