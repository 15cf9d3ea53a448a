using System.Globalization;
using Cep.Bench.W1;

namespace Cep.Bench.W2;

/// <summary>
/// <c>dotnet run -c Release --project bench -- w2 [--runs N] [--events N]</c>: the interval join exposures ⋈ clicks over the
/// W1 events, and the naive baseline, both checked against an independent pair count, ending with one summary line.
/// </summary>
public static class W2Runner
{
    public static int Run(string[] args)
    {
        var runs = W1Runner.IntArg(args, "--runs", 5);
        var count = W1Runner.IntArg(args, "--events", W1Data.DefaultEvents);
        var data = W1Data.Generate(count);
        var clicks = data.Events.LongCount(e => e.IsClick);
        var oracle = W2Checks.OraclePairs(data.Events);
        Console.WriteLine($"W2: {count} events ({count - clicks} exposures, {clicks} clicks), {W1Data.Users} users, click in [exposure, exposure + 5 min]; " +
                          $"oracle pairs {oracle}; watermark every {CepDriver<AdEvent>.DefaultWatermarkEvery} events; {runs} timed runs after one warm-up");

        long pairs = -1;
        var ok = true;
        var join = Measure.Repeat("interval join", runs, count,
            () => new W2Driver(),
            d =>
            {
                d.Run(data.Events, data.Timestamps);
                pairs = d.Output.Pairs;
                var c = d.Operator.Counters;
                var good = d.Output.Pairs == oracle && c.Pairs == oracle && d.Output.Late == 0 && c.Balanced
                    && c.Keys == 0 && c.PendingTimers == 0 && c.LeftBuffered == 0 && c.RightBuffered == 0;
                if (!good)
                {
                    Console.Error.WriteLine($"MISMATCH in the interval join: pairs {d.Output.Pairs} (oracle {oracle}), late {d.Output.Late}, counters {c}");
                }

                ok &= good;
            });

        long baselinePairs = -1;
        var baseline = Measure.Repeat("naive baseline", runs, count,
            () => new NaiveJoinBaseline(),
            b =>
            {
                var events = data.Events;
                for (var i = 0; i < events.Length; i++)
                {
                    b.OnEvent(events[i], i);
                }

                baselinePairs = b.Pairs;
            });

        if (baselinePairs != oracle)
        {
            Console.Error.WriteLine($"MISMATCH: baseline pairs {baselinePairs} != oracle {oracle}");
            ok = false;
        }

        var joinMedian = Measure.Median(join);
        var baselineMedian = Measure.Median(baseline);
        Console.WriteLine($"  join median:     {joinMedian}");
        Console.WriteLine($"  baseline median: {baselineMedian}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"W2 events={count} pairs={pairs} join_events_per_s={joinMedian.EventsPerSecond:F0} " +
            $"baseline_events_per_s={baselineMedian.EventsPerSecond:F0} bytes_per_event={joinMedian.BytesPerEvent:F2}"));
        return ok ? 0 : 1;
    }
}
