using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Cep.Bench.W1;

/// <summary>
/// W1 under BenchmarkDotNet: <c>dotnet run -c Release --project bench -- bdn --filter *W1*</c> (add
/// <c>--profiler EP</c> for an EventPipe CPU profile in speedscope format). Results are per event.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class W1Benchmarks
{
    private W1Data _data = null!;

    [GlobalSetup]
    public void Setup() => _data = W1Data.Generate();

    [Benchmark(OperationsPerInvoke = W1Data.DefaultEvents)]
    public long Cep()
    {
        var driver = new CepDriver<AdEvent>(W1Data.Pattern(), e => e.User);
        driver.Run(_data.Events, _data.Timestamps);
        return driver.Output.Matches;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = W1Data.DefaultEvents)]
    public long NaiveBaseline()
    {
        var baseline = new NaiveBaseline();
        var events = _data.Events;
        for (var i = 0; i < events.Length; i++)
        {
            baseline.OnEvent(events[i], i);
        }

        return baseline.Matches;
    }
}
