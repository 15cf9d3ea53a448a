using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Text;
using Cep.Bench.W1;
using Cep.Connectors.Features;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer;
using Cep.HBaseRestServer.Store;
using Cep.Joins.Lookup;
using NodaTime;

namespace Cep.Bench.W3;

/// <summary>
/// <c>dotnet run -c Release --project bench -- w3 [--lookups N] [--unbatched N] [--in-flight N] [--windows] [--alloc-types] [--scattered-keys]</c>: feature lookups through the
/// async lookup operator and the HBase feature store, against the in-repo HBase REST gateway on loopback (same process).
/// 1,000,000 feature rows of 100 bytes are preloaded into the gateway's store; then the same 1,000,000 keys, in a seeded
/// random order, are looked up three ways: batched (100 keys per multi-get), unbatched (one key per request), and through
/// a warm lookup cache. Both uncached modes keep the same number of round trips in flight. Ends with one line
/// <c>W3 lookups=… batched_per_s=… unbatched_per_s=… cached_per_s=…</c>.
/// </summary>
public static class W3Runner
{
    private const string Table = "features";
    private const int ValueBytes = 100;
    private const int MaxWarmupRounds = 6;

    /// <summary>Whether each timed pass prints its monotonic-clock window (<c>--windows</c>), to cut a profile to it.</summary>
    private static bool ShowWindows { get; set; }

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var lookups = W1Runner.IntArg(args, "--lookups", 1_000_000);
        var unbatchedLookups = Math.Min(lookups, W1Runner.IntArg(args, "--unbatched", 1_000_000));
        var roundTrips = W1Runner.IntArg(args, "--in-flight", 8);
        ShowWindows = args.Contains("--windows");
        const int batch = 100;

        await using var gateway = await HBaseRestGateway.StartAsync();
        using var client = new HBaseRestClient(new HBaseRestClientOptions { Endpoints = { gateway.BaseAddress } });
        await using var store = await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions { Table = Table, Ttl = Duration.FromDays(7) });

        var keys = new string[lookups];
        var rng = new Random(42);
        var value = new byte[ValueBytes];
        var nowMs = SystemClock.Instance.GetCurrentInstant().ToUnixTimeMilliseconds();
        for (var i = 0; i < lookups; i++)
        {
            keys[i] = "req-" + i.ToString("D8", CultureInfo.InvariantCulture);
            rng.NextBytes(value);
            gateway.Store.Put(Table, Encoding.UTF8.GetBytes(keys[i]), "f:v", nowMs, (byte[])value.Clone());
        }

        rng.Shuffle(keys);
        if (!args.Contains("--scattered-keys"))
        {
            // The records of a stream arrive with keys just read, next to each other in memory. Shuffled, the strings made
            // while preloading lie all over the heap, and every lookup began with a cache miss on its key that belongs to
            // no part of the lookup path. The same keys, in the same order, are made afresh in the order they are used.
            for (var i = 0; i < lookups; i++)
            {
                keys[i] = new string(keys[i].AsSpan());
            }
        }

        Console.WriteLine($"W3: {lookups} feature rows of {ValueBytes} bytes preloaded into the in-repo gateway at {gateway.BaseAddress} " +
                          $"(same process, loopback, protobuf); lookups through AsyncLookupOperator + HBaseFeatureStore, unordered, " +
                          $"{roundTrips} round trips in flight; {Environment.ProcessorCount} cores");

        // Warm-up: the same three passes on a slice of the keys, so that the timed passes run optimized code. One round
        // is not enough for that: tiered compilation keeps recompiling hot methods for seconds after it, which a 5-second
        // timed pass would pay for and a 60-second one would not. Rounds repeat until the JIT has settled (it spent
        // under a tenth of the round compiling), at most MaxWarmupRounds.
        var warmup = Math.Min(lookups, 100_000);
        Console.WriteLine($"  warm-up: {warmup} lookups each way per round, until the JIT settles (untimed)");
        using (new QuietScope())
        {
            for (var round = 1; round <= MaxWarmupRounds; round++)
            {
                var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
                var methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
                var elapsed = Stopwatch.StartNew();
                await Pass("warm-up batched", store, keys, warmup, Options(batch, roundTrips, cache: null));
                await Pass("warm-up unbatched", store, keys, Math.Min(warmup, 20_000), Options(1, roundTrips, cache: null));
                await Pass("warm-up cached", store, keys, warmup, Options(batch, roundTrips, new LookupCacheOptions { MaxEntries = warmup, Ttl = Duration.FromHours(1) }), warm: true);
                var jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    round {round}: {System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore} methods compiled, {jit.TotalMilliseconds:F0} ms compiling in {elapsed.Elapsed.TotalMilliseconds:F0} ms"));
                if (jit < elapsed.Elapsed / 10)
                {
                    break;
                }
            }
        }

        var ok = true;
        using var sampler = args.Contains("--alloc-types") ? new AllocationSampler() : null;
        sampler?.Start();
        var batched = await Pass("batched (100 keys/multi-get)", store, keys, lookups, Options(batch, roundTrips, cache: null));
        sampler?.Stop();
        foreach (var line in sampler?.Report(30) ?? [])
        {
            Console.WriteLine($"    allocated: {line}");
        }

        ok &= batched.Check(lookups);
        var unbatched = await Pass("unbatched (1 key/request)", store, keys, unbatchedLookups, Options(1, roundTrips, cache: null));
        ok &= unbatched.Check(unbatchedLookups);

        // Warm cache: one pass fills it, the timed pass is answered from it.
        var cacheOptions = new LookupCacheOptions { MaxEntries = lookups, Ttl = Duration.FromHours(1) };
        var cachedOptions = Options(batch, roundTrips, cacheOptions);
        var cached = await Pass("cached (warm)", store, keys, lookups, cachedOptions, warm: true);
        ok &= cached.Check(lookups) && cached.SourceCalls == 0;

        Console.WriteLine($"  batched/unbatched: {batched.PerSecond / unbatched.PerSecond:F1}x; gateway served {gateway.Counters.TotalRequests} requests");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"W3 lookups={lookups} batched_per_s={batched.PerSecond:F0} unbatched_per_s={unbatched.PerSecond:F0} cached_per_s={cached.PerSecond:F0}"));
        return ok ? 0 : 1;
    }

    private static AsyncLookupOptions Options(int batch, int roundTrips, LookupCacheOptions? cache) => new()
    {
        Ordered = false,
        Capacity = batch * roundTrips,
        FullMode = LookupFullMode.Wait,
        MaxBatchSize = batch,
        Linger = Duration.FromMilliseconds(1),
        Timeout = Duration.FromSeconds(30),
        Cache = cache,
        Scheduler = TaskPoolScheduler.Default,
    };

    private static async Task<PassResult> Pass(string label, IFeatureStore store, string[] keys, int count, AsyncLookupOptions options, bool warm = false)
    {
        var source = new CountingSource(store);
        var output = new CountingOutput();
        var op = new AsyncLookupOperator<string, string, FeatureRecord>(source, static k => k, output, options);
        var ts = Instant.FromUnixTimeMilliseconds(0);
        if (warm)
        {
            for (var i = 0; i < count; i++)
            {
                await op.OnRecordAsync(keys[i], ts);
            }

            await op.FlushAsync();
            output.Reset();
            source.Calls = 0;
        }

        GC.Collect();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var faults = MinorFaults();
        var switches = ContextSwitches();
        var gcs = GC.CollectionCount(0);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await op.OnRecordAsync(keys[i], ts);
        }

        await op.FlushAsync();
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        faults = MinorFaults() - faults;
        switches = ContextSwitches() - switches;
        gcs = GC.CollectionCount(0) - gcs;
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        var result = new PassResult(label, count, sw.Elapsed.TotalSeconds, cpu.TotalSeconds, output.Joined, output.Other, source.Calls, (double)bytes / count)
        {
            FaultsPerLookup = (double)faults / count,
            SwitchesPerLookup = (double)switches / count,
            Collections = gcs,
        };
        if (!QuietScope.Active)
        {
            Console.WriteLine($"  {result}");
            if (ShowWindows)
            {
                // On Linux the stopwatch reads CLOCK_MONOTONIC, as `perf record -k monotonic` does: `perf report --time a,b`.
                var end = Stopwatch.GetTimestamp();
                var start = end - (long)(sw.Elapsed.TotalSeconds * Stopwatch.Frequency);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    window: {(double)start / Stopwatch.Frequency:F6},{(double)end / Stopwatch.Frequency:F6}"));
            }
        }

        return result;
    }

    /// <summary>The process's minor page faults so far (Linux), or 0: fresh memory the GC hands out costs one each 4 KB.</summary>
    private static long MinorFaults()
    {
        try
        {
            // /proc/self/stat: the 10th field; the command (2nd) is in parentheses and may hold spaces.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>The context switches of the process's threads so far (Linux), or 0: each is a thread put to sleep or woken.</summary>
    private static long ContextSwitches()
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        return total;
    }

    private sealed record PassResult(string Label, int Lookups, double Seconds, double CpuSeconds, long Joined, long Other, long SourceCalls, double BytesPerLookup)
    {
        public double FaultsPerLookup { get; init; }

        public double SwitchesPerLookup { get; init; }

        public int Collections { get; init; }

        public double PerSecond => Lookups / Seconds;

        /// <summary>Lookups per second of CPU time of the whole process (client, operator and the in-process gateway).</summary>
        public double PerCpuSecond => Lookups / CpuSeconds;

        public bool Check(int expected)
        {
            var good = Joined == expected && Other == 0;
            if (!good)
            {
                Console.Error.WriteLine($"MISMATCH in {Label}: joined {Joined} of {expected}, other outcomes {Other}");
            }

            return good;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Label,-30} {Lookups,9} lookups {Seconds * 1000,9:F0} ms {PerSecond,12:F0} lookups/s {PerCpuSecond,12:F0} per CPU-s  {SourceCalls,8} store calls  {BytesPerLookup,8:F0} B/lookup (all threads)  {FaultsPerLookup,6:F3} page faults/lookup  {SwitchesPerLookup,6:F3} context switches/lookup  {Collections} gen0 GCs");
    }

    /// <summary>Silences per-pass lines during warm-up.</summary>
    private sealed class QuietScope : IDisposable
    {
        public QuietScope() => Active = true;

        public static bool Active { get; private set; }

        public void Dispose() => Active = false;
    }

    /// <summary>Counts round trips to the store.</summary>
    private sealed class CountingSource(IFeatureStore store) : IAsyncLookupSource<string, FeatureRecord>
    {
        public long Calls;

        public ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return store.LookupAsync(keys, cancellationToken);
        }
    }

    /// <summary>Counts outcomes; every lookup of a preloaded key must join.</summary>
    private sealed class CountingOutput : ILookupOutput<string, FeatureRecord>
    {
        public long Joined;
        public long Other;

        public void Reset() => Joined = Other = 0;

        public void OnJoined(string record, Instant timestamp, FeatureRecord value)
        {
            if (value.Value.Length == ValueBytes && value.Key == record)
            {
                Joined++;
            }
            else
            {
                Other++;
            }
        }

        public void OnMiss(string record, Instant timestamp) => Other++;

        public void OnFailed(string record, Instant timestamp, LookupFailureReason reason, Exception error)
        {
            Other++;
            Console.Error.WriteLine($"lookup of {record} failed: {reason}: {error.Message}");
        }

        public void OnRejected(string record, Instant timestamp, LookupRejectReason reason) => Other++;

        public void OnWatermark(Instant watermark)
        {
        }
    }
}
