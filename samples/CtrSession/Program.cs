using System.Diagnostics;
using System.Globalization;
using CtrSession;

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
sw.Stop();

Console.WriteLine($"CTR session job: {options.Events} synthetic events, seed {options.Seed}, " +
                  $"out-of-orderness {options.OutOfOrderness}, window {CtrSessionJob.AttributionWindow}");
report.Print(Console.Out);
const string Ms = "uuuu'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'";
foreach (var s in sink.First)
{
    var click = s.ClickTime?.ToString(Ms, CultureInfo.InvariantCulture) ?? "-";
    Console.WriteLine($"sample           user={s.User} ad={s.Ad} exposure={s.ExposureTime.ToString(Ms, CultureInfo.InvariantCulture)} click={click} label={s.Label}");
}

Console.WriteLine($"took             {sw.Elapsed.TotalMilliseconds:F0} ms");
return report.Balanced ? 0 : 1;
