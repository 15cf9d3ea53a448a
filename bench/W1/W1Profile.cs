using System.Diagnostics;
using Cep.Operators;
using Cep.Patterns;
using NodaTime;

namespace Cep.Bench.W1;

/// <summary>
/// <c>dotnet run -c Release --project bench -- w1-profile [--runs N]</c>: a coarse breakdown of where W1's time and
/// allocations go, by running variants of the workload and by timing the record and watermark phases separately.
/// </summary>
public static class W1Profile
{
    private static readonly Duration OneMs = Duration.FromMilliseconds(1);

    public static int Run(string[] args)
    {
        var runs = W1Runner.IntArg(args, "--runs", 3);
        var data = W1Data.Generate();
        var n = data.Count;
        Console.WriteLine($"W1 profile: {n} events, median of {runs} runs after a warm-up each");

        Report("loop only (no operator)", Measure.Repeat("loop only", runs, n, () => new long[1], s =>
        {
            var events = data.Events;
            for (var i = 0; i < events.Length; i++)
            {
                s[0] += events[i].User + data.Timestamps[i].ToUnixTimeTicks();
            }
        }));

        Report("never-matching pattern", Measure.Repeat("never-matching", runs, n,
            () => new CepDriver<AdEvent>(NeverPattern(), e => e.User),
            d => d.Run(data.Events, data.Timestamps)));

        Report("priority queue only", Measure.Repeat("priority queue only", runs, n,
            () => new PriorityQueue<AdEvent, (long, long)>(1024),
            q =>
            {
                for (var i = 0; i < n; i++)
                {
                    q.Enqueue(data.Events[i], (data.Timestamps[i].ToUnixTimeTicks(), i));
                    if ((i + 1) % CepDriver<AdEvent>.DefaultWatermarkEvery == 0)
                    {
                        while (q.Count > 0)
                        {
                            q.Dequeue();
                        }
                    }
                }
            }));

        foreach (var every in new[] { 1, 100, 1_000, 10_000 })
        {
            Report($"full pattern, watermark every {every}", Measure.Repeat($"watermark every {every}", runs, n,
                () => new CepDriver<AdEvent>(W1Data.Pattern(), e => e.User, every),
                d => d.Run(data.Events, data.Timestamps)));
        }

        Report("full pattern, no window", Measure.Repeat("no window", runs, n,
            () => new CepDriver<AdEvent>(NoWindowPattern(), e => e.User),
            d => d.Run(data.Events, data.Timestamps)));

        PhaseSplit(data);
        return 0;
    }

    private static void Report(string label, RunResult[] results) =>
        Console.WriteLine($"= {label,-36} {Measure.Median(results)}");

    /// <summary>Times the OnRecord batches and the OnWatermark calls separately, with bytes for each.</summary>
    private static void PhaseSplit(W1Data data)
    {
        for (var r = 0; r < 3; r++)
        {
            var output = new CountingOutput<AdEvent>();
            var op = new CepOperator<int, AdEvent>(W1Data.Pattern(), e => e.User, output);
            long recordTicks = 0, watermarkTicks = 0, recordBytes = 0, watermarkBytes = 0;
            var events = data.Events;
            var ts = data.Timestamps;
            for (var start = 0; start < events.Length; start += 1_000)
            {
                var b0 = GC.GetAllocatedBytesForCurrentThread();
                var t0 = Stopwatch.GetTimestamp();
                var end = Math.Min(start + 1_000, events.Length);
                for (var i = start; i < end; i++)
                {
                    op.OnRecord(events[i], ts[i]);
                }

                var t1 = Stopwatch.GetTimestamp();
                var b1 = GC.GetAllocatedBytesForCurrentThread();
                op.OnWatermark(ts[end - 1] - OneMs);
                var t2 = Stopwatch.GetTimestamp();
                var b2 = GC.GetAllocatedBytesForCurrentThread();
                recordTicks += t1 - t0;
                watermarkTicks += t2 - t1;
                recordBytes += b1 - b0;
                watermarkBytes += b2 - b1;
                if (r == 0 && end % 400_000 == 0)
                {
                    Console.WriteLine($"  gauges at {end}: {op.Counters}");
                }
            }

            var tf = Stopwatch.GetTimestamp();
            var bf = GC.GetAllocatedBytesForCurrentThread();
            op.OnWatermark(Instant.MaxValue);
            var finalTicks = Stopwatch.GetTimestamp() - tf;
            var finalBytes = GC.GetAllocatedBytesForCurrentThread() - bf;
            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            Console.WriteLine(
                $"= phases run {r + 1}: OnRecord {Ms(recordTicks):F1} ms ({(double)recordBytes / events.Length:F2} B/event), " +
                $"OnWatermark {Ms(watermarkTicks):F1} ms ({(double)watermarkBytes / events.Length:F2} B/event), " +
                $"final watermark {Ms(finalTicks):F1} ms ({finalBytes} B); matches {output.Matches}, " +
                $"timeouts {output.Timeouts}; peak-ish partial matches {op.Counters.PartialMatches}");
        }
    }

    private static Pattern<AdEvent> NeverPattern() =>
        Pattern.Begin<AdEvent>("exposure").Where(e => e.User < 0)
            .FollowedBy("click").Where(e => e.IsClick)
            .Within(W1Data.Window);

    private static Pattern<AdEvent> NoWindowPattern() =>
        Pattern.Begin<AdEvent>("exposure").Where(e => !e.IsClick)
            .FollowedBy("click").Where(e => e.IsClick);
}
