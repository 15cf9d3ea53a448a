using Cep.HBaseRestServer.Faults;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>
/// Failover between two gateways over one store, and the order guarantees of both operators under faults.
/// </summary>
public sealed class FailoverAndOrderTests(EndToEndGateways gateways) : IClassFixture<EndToEndGateways>
{
    [Fact]
    public async Task AGatewayGoingDownMidRunLosesNoRecordAndTrafficMovesToTheOther()
    {
        gateways.Reset();
        using var client = gateways.Client(both: true, timeout: TimeSpan.FromSeconds(5));
        var (store, table) = await gateways.OpenStoreAsync(client, "failover");
        try
        {
            var pipeline = new EndToEndPipeline(
                gateways, table, store, new AsyncLookupOptions { MaxBatchSize = 2, Linger = Duration.FromMilliseconds(1), Capacity = 6 },
                new RetryQueueOptions<string, Click, Cep.Connectors.Features.FeatureRecord>
                {
                    Levels = [new RetryLevelOptions { Delay = Duration.FromMilliseconds(10), MaxAttempts = 3 }],
                });
            foreach (var key in EndToEndScenario.KeyPool)
            {
                pipeline.Write(key, 0);
            }

            long primaryAtDown = 0;
            long secondaryAtDown = 0;
            const int Count = 40;
            await Task.Run(async () =>
            {
                for (var i = 0; i < Count; i++)
                {
                    if (i == 15)
                    {
                        await pipeline.Lookup.FlushAsync();
                        gateways.Primary.Faults.IsDown = true;
                        primaryAtDown = gateways.Primary.Counters.Handled(RequestKind.MultiGet);
                        secondaryAtDown = gateways.Secondary.Counters.Handled(RequestKind.MultiGet);
                    }

                    await pipeline.RecordAsync(new Click(i, EndToEndScenario.KeyPool[i % EndToEndScenario.KeyPool.Length]), EndToEndPipeline.At(5 * i));
                    if (i % 4 == 3)
                    {
                        await pipeline.WatermarkAsync(EndToEndPipeline.At(5 * i));
                    }
                }

                await pipeline.EndAsync();
            });

            Assert.Equal(Enumerable.Range(0, Count), pipeline.Outcomes.Select(o => o.Record.Id).Order());
            Assert.All(pipeline.Outcomes, o => Assert.True(o.Fate is Fate.LookupJoined or Fate.RetryJoined, $"record {o.Record.Id} ended {o.Fate} {o.Reason} {o.Error?.Message}"));
            Assert.All(pipeline.Outcomes, o => Assert.Equal(EndToEndPipeline.ValueText(table, o.Record.Key, 1), System.Text.Encoding.UTF8.GetString(o.Value!.Value.Span)));
            Assert.True(pipeline.Lookup.Counters.Balanced && pipeline.Retry.Counters.Balanced);
            Assert.True(primaryAtDown > 0, "the primary served nothing before it went down");
            Assert.Equal(primaryAtDown, gateways.Primary.Counters.Handled(RequestKind.MultiGet));
            Assert.True(gateways.Secondary.Counters.Handled(RequestKind.MultiGet) > secondaryAtDown, "the secondary took no traffic");
        }
        finally
        {
            gateways.Reset();
        }
    }

    [Fact]
    public void OrderedLookupEmitsInInputOrderUnderFaults() =>
        Prop.ForAll(EndToEndScenario.Generator(faults: true).Select(s => s with { Ordered = true }).ToArbitrary(), scenario =>
        {
            var (pipeline, table) = Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario)).GetAwaiter().GetResult();
            EndToEndRunner.Check(scenario, pipeline, table);
            Assert.Equal(Enumerable.Range(0, scenario.Records.Length), pipeline.LookupOrder);
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(EndToEndScenario.Cases(15)));

    [Fact]
    public void RetryQueueKeepsEachKeysArrivalOrderUnderFaults() =>
        Prop.ForAll(EndToEndScenario.Generator(faults: true).Select(s => s with { PreserveKeyOrder = true }).ToArbitrary(), scenario =>
        {
            var (pipeline, table) = Task.Run(() => EndToEndRunner.RunAsync(gateways, scenario)).GetAwaiter().GetResult();
            EndToEndRunner.Check(scenario, pipeline, table);
            Assert.Equal(pipeline.RetryArrivals.Order(), pipeline.RetryOrder.Order());
            foreach (var key in EndToEndScenario.KeyPool)
            {
                var arrived = pipeline.RetryArrivals.Where(id => KeyOf(scenario, id) == key).ToList();
                var left = pipeline.RetryOrder.Where(id => KeyOf(scenario, id) == key).ToList();
                Assert.Equal(arrived, left);
            }
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(EndToEndScenario.Cases(15)));

    private static string KeyOf(EndToEndScenario scenario, int id) => EndToEndScenario.KeyPool[scenario.Records[id].Key];
}
