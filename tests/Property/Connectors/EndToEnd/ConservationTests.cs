using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>
/// Records flow through the async lookup operator over an HBase feature store on a real gateway, and misses and failures
/// through the retry queue, under generated faults: none is lost or duplicated, counters balance, and values are the
/// ones written.
/// </summary>
public sealed class ConservationTests(EndToEndGateways gateways) : IClassFixture<EndToEndGateways>
{
    [Fact]
    public void WithoutFaultsEveryWrittenKeyJoinsAndEveryOtherExpires() =>
        Prop.ForAll(EndToEndScenario.Generator(faults: false).ToArbitrary(), scenario =>
        {
            var (pipeline, table) = Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario)).GetAwaiter().GetResult();
            EndToEndRunner.Check(scenario, pipeline, table);
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(EndToEndScenario.Cases(15)));

    [Fact]
    public void UnderFaultsEveryRecordEndsOnceWithItsOwnValue() =>
        Prop.ForAll(EndToEndScenario.Generator(faults: true).ToArbitrary(), scenario =>
        {
            var (pipeline, table) = Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario)).GetAwaiter().GetResult();
            EndToEndRunner.Check(scenario, pipeline, table);
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(EndToEndScenario.Cases()));

    [Fact]
    public async Task HalfOfAllMultiGetsFailingStillLosesNothing()
    {
        // A fixed, hard schedule: every fault kind at 50%, against keys that are all written early.
        var records = Enumerable.Range(0, 30).Select(i => new RecordSpec(i % EndToEndScenario.KeyPool.Length, 100 + (i * 7))).ToArray();
        var writes = EndToEndScenario.KeyPool.Select((_, i) => i % 4 == 3 ? Array.Empty<long>() : [10L * i]).ToArray();
        var faults = new FaultSpec(0.5, 1234, [Cep.HBaseRestServer.Faults.FaultKind.Unavailable, Cep.HBaseRestServer.Faults.FaultKind.ConnectionReset,
            Cep.HBaseRestServer.Faults.FaultKind.TruncatedBody, Cep.HBaseRestServer.Faults.FaultKind.MalformedBody], false);
        var scenario = new EndToEndScenario(records, writes, faults, true, 8, 3, 2, 2, true, null, 3, 10);
        var (pipeline, table) = await Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario));
        EndToEndRunner.Check(scenario, pipeline, table);
        Assert.True(gateways.Primary.Counters.TotalFaults > 0, "the schedule injected no fault");
        Assert.NotEmpty(pipeline.LookupFailures);
    }
}
