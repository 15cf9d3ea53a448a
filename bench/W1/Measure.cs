using System.Diagnostics;

namespace Cep.Bench.W1;

/// <summary>One timed run: elapsed time and bytes allocated on this thread.</summary>
public readonly record struct RunResult(double Seconds, long Bytes, long Events)
{
    public double EventsPerSecond => Events / Seconds;

    public double BytesPerEvent => (double)Bytes / Events;

    public override string ToString() =>
        $"{Seconds * 1000,8:F1} ms  {EventsPerSecond / 1e6,6:F2} M events/s  {BytesPerEvent,7:F2} B/event";
}

public static class Measure
{
    /// <summary>When set (<c>--cpu</c>), runs are timed by this thread's CPU time instead of wall time, which is steadier on a shared machine.</summary>
    public static bool UseThreadCpuTime { get; set; }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTimeId = 3;
        _ = ClockGetTime(ClockThreadCpuTimeId, out var t);
        return t.Seconds + (t.Nanoseconds / 1e9);
    }

    /// <summary>Runs <paramref name="setup"/> untimed, then times <paramref name="run"/> on the current thread.</summary>
    public static RunResult Time<TState>(long events, Func<TState> setup, Action<TState> run)
    {
        var state = setup();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = UseThreadCpuTime ? ThreadCpuSeconds() : 0;
        var sw = Stopwatch.StartNew();
        run(state);
        sw.Stop();
        var seconds = UseThreadCpuTime ? ThreadCpuSeconds() - cpu : sw.Elapsed.TotalSeconds;
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new RunResult(seconds, bytes, events);
    }

    /// <summary>One warm-up run, then <paramref name="runs"/> timed runs; returns the timed ones.</summary>
    public static RunResult[] Repeat<TState>(string label, int runs, long events, Func<TState> setup, Action<TState> run)
    {
        var warm = Time(events, setup, run);
        Console.WriteLine($"  {label,-28} warm-up {warm}");
        var results = new RunResult[runs];
        for (var r = 0; r < runs; r++)
        {
            results[r] = Time(events, setup, run);
            Console.WriteLine($"  {label,-28} run {r + 1}   {results[r]}");
        }

        return results;
    }

    /// <summary>The median run by throughput.</summary>
    public static RunResult Median(RunResult[] results)
    {
        var sorted = results.OrderBy(r => r.EventsPerSecond).ToArray();
        return sorted[sorted.Length / 2];
    }
}
