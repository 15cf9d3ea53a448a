using System.Diagnostics;
using System.Globalization;
using CtrSession;
using NodaTime;

// Usage: dotnet run --project samples/CtrSession [-- --events N] [--seed S]
var options = new SyntheticAdStreamOptions();
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
        default:
            Console.Error.WriteLine("usage: CtrSession [--events N] [--seed S]");
            return 2;
    }
}

var stream = SyntheticAdStream.Generate(options);
var sink = new CountingSampleSink();
var job = new CtrSessionJob(options.OutOfOrderness, sink);
var sw = Stopwatch.StartNew();
var report = job.Run(stream);
var ctrTook = sw.Elapsed;

Console.WriteLine($"CTR session job: {options.Events} synthetic events, seed {options.Seed}, " +
                  $"out-of-orderness {options.OutOfOrderness}, window {CtrSessionJob.AttributionWindow}");
report.Print(Console.Out);
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

Console.WriteLine($"took             {ctrTook.TotalMilliseconds:F0} ms (CTR sessions) + {(sw.Elapsed - ctrTook).TotalMilliseconds:F0} ms (valid clicks)");
return report.Balanced && validClicks.Balanced ? 0 : 1;
