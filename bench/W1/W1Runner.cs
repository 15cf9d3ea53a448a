using System.Globalization;

namespace Cep.Bench.W1;

/// <summary>
/// <c>dotnet run -c Release --project bench -- w1 [--runs N] [--events N] [--class] [--cpu] [--cep-only] [--users N]</c>: W1 through the CEP operator
/// and the naive baseline, checked against the oracle, ending with one summary line.
/// </summary>
public static class W1Runner
{
    public static int Run(string[] args)
    {
        var runs = IntArg(args, "--runs", 5);
        var count = IntArg(args, "--events", W1Data.DefaultEvents);
        var withClass = args.Contains("--class");
        Measure.UseThreadCpuTime = args.Contains("--cpu");
        var cepOnly = args.Contains("--cep-only");

        var users = IntArg(args, "--users", W1Data.Users);
        var data = W1Data.Generate(count, users);
        var exposures = data.Events.LongCount(e => !e.IsClick);
        var oracle = W1Checks.OracleCount(data.Events);
        Console.WriteLine($"W1: {count} events, {users} users, {exposures} exposures, oracle matches {oracle}; " +
                          $"watermark every {CepDriver<AdEvent>.DefaultWatermarkEvery} events; {runs} timed runs after one warm-up");

        long cepMatches = -1;
        var ok = true;
        var cep = Measure.Repeat("cep (struct event)", runs, count,
            () => new CepDriver<AdEvent>(W1Data.Pattern(), e => e.User),
            d =>
            {
                d.Run(data.Events, data.Timestamps);
                cepMatches = d.Output.Matches;
                ok &= Check("cep (struct event)", d.Output.Matches, d.Output.Timeouts, d.Counters.Balanced, oracle, exposures);
            });

        if (withClass)
        {
            var objects = data.ToObjects();
            var cls = Measure.Repeat("cep (class event)", runs, count,
                () => new CepDriver<AdEventObject>(W1Data.ObjectPattern(), e => e.User),
                d =>
                {
                    d.Run(objects, data.Timestamps);
                    ok &= Check("cep (class event)", d.Output.Matches, d.Output.Timeouts, d.Counters.Balanced, oracle, exposures);
                });
            Console.WriteLine($"  class event median: {Measure.Median(cls)}");
        }

        long baselineMatches = -1;
        var baseline = Measure.Repeat("naive baseline", cepOnly ? 1 : runs, count,
            () => new NaiveBaseline(),
            b =>
            {
                var events = data.Events;
                for (var i = 0; i < events.Length; i++)
                {
                    b.OnEvent(events[i], i);
                }

                baselineMatches = b.Matches;
            });

        var cepMedian = Measure.Median(cep);
        var baselineMedian = Measure.Median(baseline);
        Console.WriteLine($"  cep median:      {cepMedian}");
        Console.WriteLine($"  baseline median: {baselineMedian}");
        if (baselineMatches != oracle)
        {
            Console.Error.WriteLine($"MISMATCH: baseline matches {baselineMatches} != oracle {oracle}");
            ok = false;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"W1 events={count} matches={cepMatches} cep_events_per_s={cepMedian.EventsPerSecond:F0} " +
            $"baseline_events_per_s={baselineMedian.EventsPerSecond:F0} bytes_per_event={cepMedian.BytesPerEvent:F2}"));
        return ok ? 0 : 1;
    }

    private static bool Check(string label, long matches, long timeouts, bool balanced, long oracle, long exposures)
    {
        var ok = matches == oracle && matches + timeouts == exposures && balanced;
        if (!ok)
        {
            Console.Error.WriteLine($"MISMATCH in {label}: matches {matches} (oracle {oracle}), timeouts {timeouts}, " +
                                    $"matches + timeouts should be {exposures}, counters balanced {balanced}");
        }

        return ok;
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
