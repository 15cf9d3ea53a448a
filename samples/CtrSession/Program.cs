using System.Diagnostics;
using System.Globalization;
using CtrSession;
using NodaTime;
using NodaTime.Text;

// Usage: dotnet run --project samples/CtrSession [-- --events N] [--seed S] [--hbase URL] [--start INSTANT]
// The feature store is FASTER in a temporary directory (deleted at the end) unless --hbase (or the environment
// variable CEP_HBASE_REST_URL) names an HBase REST gateway. HBase expires cells by its own wall clock, so with HBase
// the synthetic stream starts at the current hour unless --start says otherwise (e.g. 2025-01-06T09:00:00Z).
// Inside the job, time is event time only: the feature store's TTL clock is a WatermarkClock that returns the
// stage's current watermark tick (see FeatureJoinJob), and processing time is a virtual scheduler moved with it.
var options = new SyntheticAdStreamOptions();
var hbaseUrl = Environment.GetEnvironmentVariable("CEP_HBASE_REST_URL");
Instant? start = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events" when i + 1 < args.Length:
            options = options with { Events = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--seed" when i + 1 < args.Length:
            options = options with { Seed = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--hbase" when i + 1 < args.Length:
            hbaseUrl = args[++i];
            break;
        case "--start" when i + 1 < args.Length:
            start = InstantPattern.ExtendedIso.Parse(args[++i]).GetValueOrThrow();
            break;
        default:
            Console.Error.WriteLine("usage: CtrSession [--events N] [--seed S] [--hbase URL] [--start INSTANT]");
            return 2;
    }
}

if (string.IsNullOrEmpty(hbaseUrl))
{
    hbaseUrl = null;
}
else if (start is null)
{
    // The composition root is the one place that looks at the wall clock: a real HBase's TTL runs on it.
    var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
    start = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 3600 * 3600);
}

if (start is { } s0)
{
    options = options with { Start = s0 };
}

var stream = SyntheticAdStream.Generate(options);
var features = FeatureStream.Generate(stream, options.OutOfOrderness, new FeatureStreamOptions { Seed = options.Seed + 1 });
var sink = new CountingSampleSink();
var sw = Stopwatch.StartNew();
var run = await FeatureStores.RunAsync(hbaseUrl, options, stream, features, new FeatureJoinOptions(), sink);
var ctrTook = sw.Elapsed;
var report = run.Sessions;

Console.WriteLine($"CTR session job: {options.Events} synthetic events, seed {options.Seed}, " +
                  $"out-of-orderness {options.OutOfOrderness}, window {CtrSessionJob.AttributionWindow}");
report.Print(Console.Out);
Console.WriteLine($"feature join ({run.Store}): features logged at request time, key req-<exposure id>, TTL 7 days; " +
                  "retries at 10 s / 1 min / 10 min, 3 attempts each, in event time");
run.Features.Print(Console.Out);
const string Ms = "uuuu'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'";
foreach (var s in sink.First)
{
    var click = s.ClickTime?.ToString(Ms, CultureInfo.InvariantCulture) ?? "-";
    Console.WriteLine($"sample           user={s.User} ad={s.Ad} exposure={s.ExposureTime.ToString(Ms, CultureInfo.InvariantCulture)} click={click} label={s.Label}");
}

var watchOptions = new HeartbeatStreamOptions { OutOfOrderness = options.OutOfOrderness };
var watchRecords = HeartbeatStream.Generate(stream, watchOptions);
var validClickJob = new ValidClickJob(watchOptions.OutOfOrderness);
var validClicks = validClickJob.Run(watchRecords);
Console.WriteLine($"valid-click part: clicks and play heartbeats (every {watchOptions.Interval.TotalSeconds} s) for {watchOptions.WatchProbability:P0} of the clicks");
validClicks.Print(Console.Out);
foreach (var v in validClickJob.Verdicts.Where(v => v.IsValid).Take(1).Concat(validClickJob.Verdicts.Where(v => !v.IsValid && v.Watched > Duration.Zero).Take(1)))
{
    Console.WriteLine($"verdict          {v.Click.ClickId} user={v.Click.UserId} title={v.Click.TitleId} valid={v.IsValid} watched={v.Watched.ToString("m':'ss", CultureInfo.InvariantCulture)}");
}

Console.WriteLine($"took             {ctrTook.TotalMilliseconds:F0} ms (CTR sessions and feature join) + {(sw.Elapsed - ctrTook).TotalMilliseconds:F0} ms (valid clicks)");
return report.Balanced && run.Features.Balanced && run.Features.Samples == report.Positives + report.Negatives && validClicks.Balanced ? 0 : 1;
