using System.Net;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer.Faults;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>
/// Bad answers and bad keys end in the operators' failed and expired outputs with the store's exception as the reason;
/// nothing is thrown out of the operators' calls and nothing is lost.
/// </summary>
public sealed class BadInputTests(EndToEndGateways gateways) : IClassFixture<EndToEndGateways>
{
    public static TheoryData<FaultKind> BadAnswers => new() { FaultKind.MalformedBody, FaultKind.TruncatedBody, FaultKind.Unavailable, FaultKind.ConnectionReset };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task EveryBadAnswerEndsAsAFailureNamingTheTable(FaultKind fault)
    {
        var (pipeline, table, _) = await Task.Run(() => RunAsync(["k0", "a/b", "é2"], fault, writeAll: true));

        Assert.Equal(12, pipeline.Outcomes.Count);
        Assert.Equal(Enumerable.Range(0, 12), pipeline.Outcomes.Select(o => o.Record.Id).Order());
        Assert.All(pipeline.Outcomes, o => Assert.Equal(Fate.RetryExpired, o.Fate));
        Assert.True(pipeline.Lookup.Counters.Balanced && pipeline.Retry.Counters.Balanced);
        Assert.Equal(12, pipeline.Lookup.Counters.Failed);
        Assert.Equal(0, pipeline.Retry.Counters.Pending);
        Assert.All(pipeline.LookupFailures, f =>
        {
            Assert.Equal(LookupFailureReason.SourceFailed, f.Reason);
            CheckError(f.Error, table, fault);
        });
        Assert.All(pipeline.Outcomes, o =>
        {
            Assert.Contains(o.Reason!.Value, new[] { RetryExitReason.AttemptsExhausted, RetryExitReason.EndOfInput });
            CheckError(o.Error, table, fault);
        });
        Assert.True(pipeline.Retry.Counters.LookupFailures > 0);
        Assert.Equal(0, pipeline.Retry.Counters.Joined);
    }

    [Fact]
    public async Task AKeyThatCannotBeEncodedIsRejectedBeforeAnyRequestAndStillEnds()
    {
        var (pipeline, _, requests) = await Task.Run(() => RunAsync(["\uD800", "a\uDC00b"], null, writeAll: false));

        Assert.Equal(0, requests);
        Assert.Equal(8, pipeline.Outcomes.Count);
        Assert.Equal(Enumerable.Range(0, 8), pipeline.Outcomes.Select(o => o.Record.Id).Order());
        Assert.True(pipeline.Lookup.Counters.Balanced && pipeline.Retry.Counters.Balanced);
        Assert.All(pipeline.LookupFailures, f =>
        {
            Assert.Equal(LookupFailureReason.SourceFailed, f.Reason);
            var error = Assert.IsType<ArgumentException>(f.Error, exactMatch: false);
            Assert.Contains("keys[0]", error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(8, pipeline.LookupFailures.Count);
        Assert.All(pipeline.Outcomes, o =>
        {
            Assert.Equal(Fate.RetryExpired, o.Fate);
            Assert.IsType<ArgumentException>(o.Error, exactMatch: false);
        });
    }

    [Fact]
    public async Task AnUnexpectedStatusEndsAsAFailureWithTheStatusAndTheTable()
    {
        // A gateway that demands credentials; the client sends them while the table is opened, then stops (401).
        await using var locked = await Cep.HBaseRestServer.HBaseRestGateway.StartAsync(new Cep.HBaseRestServer.HBaseRestGatewayOptions
        {
            Clock = gateways.Clock, Store = gateways.Store, RequiredAuthValue = "Basic dXNlcjpwYXNz",
        });
        var authorized = true;
        using var client = new HBaseRestClient(new HBaseRestClientOptions
        {
            Endpoints = [locked.BaseAddress],
            MaxRetryAttempts = 1,
            RetryDelay = TimeSpan.Zero,
            Timeout = TimeSpan.FromSeconds(5),
            AuthorizationProvider = _ => ValueTask.FromResult(authorized ? new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz") : null),
        });
        var table = gateways.NextTable("locked");
        var store = await HBaseFeatureStore.OpenAsync(client, new HBaseFeatureStoreOptions { Table = table });
        authorized = false;
        var pipeline = new EndToEndPipeline(
            gateways, table, store, new AsyncLookupOptions { MaxBatchSize = 1, Linger = Duration.Zero },
            new RetryQueueOptions<string, Click, Cep.Connectors.Features.FeatureRecord> { Levels = [new RetryLevelOptions { Delay = Duration.FromMilliseconds(10), MaxAttempts = 1 }] });
        pipeline.Write("k0", 0);
        await Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await pipeline.RecordAsync(new Click(i, "k0"), EndToEndPipeline.At(i));
            }

            await pipeline.EndAsync();
        });

        Assert.Equal(Enumerable.Range(0, 5), pipeline.Outcomes.Select(o => o.Record.Id).Order());
        Assert.True(pipeline.Lookup.Counters.Balanced && pipeline.Retry.Counters.Balanced);
        Assert.All(pipeline.LookupFailures.Select(f => f.Error).Concat(pipeline.Outcomes.Select(o => o.Error)), e =>
        {
            var rest = Assert.IsType<HBaseRestException>(e, exactMatch: false);
            Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
            Assert.Equal(table, rest.Table);
            Assert.False(rest.IsTransient);
        });
        Assert.Equal(5, pipeline.LookupFailures.Count);
        Assert.All(pipeline.Outcomes, o => Assert.Equal(Fate.RetryExpired, o.Fate));
        Assert.True(locked.Counters.Unauthorized >= 6, $"only {locked.Counters.Unauthorized} requests were refused");
    }

    [Fact]
    public async Task ADeletedTableEndsAsFailuresNamingItNotAsMisses()
    {
        using var client = gateways.Client();
        var (store, table) = await gateways.OpenStoreAsync(client, "deleted");
        var pipeline = new EndToEndPipeline(
            gateways, table, store, new AsyncLookupOptions { MaxBatchSize = 2, Linger = Duration.Zero },
            new RetryQueueOptions<string, Click, Cep.Connectors.Features.FeatureRecord> { Levels = [new RetryLevelOptions { Delay = Duration.FromMilliseconds(10), MaxAttempts = 1 }] });
        pipeline.Write("k0", 0);
        Assert.True(await client.DeleteTableAsync(table));
        await Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await pipeline.RecordAsync(new Click(i, i % 2 == 0 ? "k0" : "k1"), EndToEndPipeline.At(i));
            }

            await pipeline.EndAsync();
        });

        Assert.Equal(Enumerable.Range(0, 5), pipeline.Outcomes.Select(o => o.Record.Id).Order());
        Assert.True(pipeline.Lookup.Counters.Balanced && pipeline.Retry.Counters.Balanced);
        Assert.Equal(0, pipeline.Lookup.Counters.Missed);
        Assert.Equal(5, pipeline.LookupFailures.Count);
        Assert.All(pipeline.LookupFailures.Select(f => f.Error).Concat(pipeline.Outcomes.Select(o => o.Error)), e =>
        {
            var rest = Assert.IsType<HBaseRestException>(e, exactMatch: false);
            Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
            Assert.Equal(table, rest.Table);
            Assert.Contains("does not exist", rest.Message, StringComparison.Ordinal);
            Assert.False(rest.IsTransient);
        });
        Assert.All(pipeline.Outcomes, o => Assert.Equal(Fate.RetryExpired, o.Fate));
    }

    private static void CheckError(Exception? error, string table, FaultKind fault)
    {
        var rest = Assert.IsType<HBaseRestException>(error, exactMatch: false);
        Assert.Equal(table, rest.Table);
        Assert.Contains(table, rest.Message, StringComparison.Ordinal);
        Assert.NotNull(rest.Endpoint);
        if (fault == FaultKind.Unavailable)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
            Assert.True(rest.IsTransient);
        }
        else if (fault == FaultKind.MalformedBody)
        {
            Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        }
    }

    /// <summary>Four records per key, one per batch, every multi-get answered with <paramref name="fault"/>.</summary>
    private async Task<(EndToEndPipeline Pipeline, string Table, long Requests)> RunAsync(string[] keys, FaultKind? fault, bool writeAll)
    {
        gateways.Reset();
        using var client = gateways.Client();
        var (store, table) = await gateways.OpenStoreAsync(client, "bad");
        try
        {
            var pipeline = new EndToEndPipeline(
                gateways, table, store, new AsyncLookupOptions { MaxBatchSize = 1, Linger = Duration.Zero, Capacity = 4 },
                new RetryQueueOptions<string, Click, Cep.Connectors.Features.FeatureRecord>
                {
                    Levels = [new RetryLevelOptions { Delay = Duration.FromMilliseconds(10), MaxAttempts = 2 }],
                });
            if (writeAll)
            {
                foreach (var key in keys)
                {
                    pipeline.Write(key, 0);
                }
            }

            if (fault is { } f)
            {
                gateways.Primary.Faults.Add(new FaultRule(f) { Kinds = [RequestKind.MultiGet], Times = null });
            }

            var before = gateways.Primary.Counters.TotalRequests;
            for (var i = 0; i < keys.Length * 4; i++)
            {
                await pipeline.RecordAsync(new Click(i, keys[i % keys.Length]), EndToEndPipeline.At(10 * i));
                await pipeline.WatermarkAsync(EndToEndPipeline.At(10 * i));
            }

            await pipeline.EndAsync();
            return (pipeline, table, gateways.Primary.Counters.TotalRequests - before);
        }
        finally
        {
            gateways.Reset();
        }
    }
}
