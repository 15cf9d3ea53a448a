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
    public void UnderFaultsEveryRecordEndsOnceWithItsOwnValue()
    {
        // Coverage: over the cases, faults must have failed lookups and retry attempts, and the retry queue must have
        // joined records and expired others with the store's exception, or the property proves little.
        var (failedLookups, retryJoins, expiredWithError, retryFailures) = (0, 0, 0, 0L);
        Prop.ForAll(EndToEndScenario.Generator(faults: true).ToArbitrary(), scenario =>
        {
            var (pipeline, table) = Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario)).GetAwaiter().GetResult();
            EndToEndRunner.Check(scenario, pipeline, table);
            failedLookups += pipeline.LookupFailures.Count;
            retryJoins += pipeline.Outcomes.Count(o => o.Fate == Fate.RetryJoined);
            expiredWithError += pipeline.Outcomes.Count(o => o.Error is not null);
            retryFailures += pipeline.Retry.Counters.LookupFailures;
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(EndToEndScenario.Cases()));
        Assert.True(failedLookups > 0 && retryJoins > 0 && retryFailures > 0 && expiredWithError > 0, $"failed={failedLookups} retryJoins={retryJoins} retryFailures={retryFailures} expiredWithError={expiredWithError}");
    }

    [Fact]
    public async Task AnswersSlowerThanTheClientTimeoutFailAndAreRetriedToAJoin()
    {
        // Every multi-get for a while answers after 400 ms; the client gives up after 150 ms.
        var records = Enumerable.Range(0, 12).Select(i => new RecordSpec(i % 4, 10 * i)).ToArray();
        var writes = EndToEndScenario.KeyPool.Select((_, i) => i < 4 ? new long[] { 0 } : []).ToArray();
        var scenario = new EndToEndScenario(records, writes, new FaultSpec(0, 0, [], SlowEnoughToTimeOut: true), true, 4, 2, 0, 4, false, null, 2, 0);
        gateways.Reset();
        var faults = gateways.Primary.Counters.Faults(Cep.HBaseRestServer.Faults.FaultKind.Latency);
        var (pipeline, table) = await Task.Run(() => EndToEndRunner.RunAsync(
            gateways, scenario, () => gateways.Primary.Faults.Add(new Cep.HBaseRestServer.Faults.FaultRule(Cep.HBaseRestServer.Faults.FaultKind.Latency)
            {
                Kinds = [Cep.HBaseRestServer.Faults.RequestKind.MultiGet], Times = 8, Latency = NodaTime.Duration.FromMilliseconds(400),
            })));
        EndToEndRunner.Check(scenario with { Faults = new FaultSpec(1, 0, [], true) }, pipeline, table);
        Assert.Equal(8, gateways.Primary.Counters.Faults(Cep.HBaseRestServer.Faults.FaultKind.Latency) - faults);
        Assert.Contains(pipeline.LookupFailures, f => f.Error is Cep.Connectors.HBase.HBaseRestException { StatusCode: null } e && e.Message.Contains("timed out", StringComparison.Ordinal));
        Assert.All(pipeline.Outcomes, o => Assert.True(o.Fate is Fate.LookupJoined or Fate.RetryJoined, $"record {o.Record.Id} ended {o.Fate} {o.Reason}"));
        Assert.True(pipeline.Retry.Counters.Joined > 0);
    }

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
