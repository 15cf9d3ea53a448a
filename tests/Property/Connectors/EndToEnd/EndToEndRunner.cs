using System.Text;
using Cep.Connectors.HBase;
using Cep.Joins.Lookup;
using Cep.Joins.Retry;
using Xunit;

namespace Cep.Tests.Connectors.EndToEnd;

/// <summary>Runs a scenario through the real stack and checks it against the oracle.</summary>
public static class EndToEndRunner
{
    /// <summary>Runs <paramref name="scenario"/> on the primary gateway (with its random faults, and any that
    /// <paramref name="addFaults"/> adds once the table is open) and returns the finished pipeline.</summary>
    public static async Task<(EndToEndPipeline Pipeline, string Table)> RunAsync(EndToEndGateways gateways, EndToEndScenario scenario, Action? addFaults = null)
    {
        gateways.Reset();
        // Only cases whose faults are slow need a short timeout; elsewhere a busy machine must not cause failures.
        // Half the faulty cases let the client retry once; the others surface every fault to the operators.
        using var client = gateways.Client(timeout: scenario.Faults.SlowEnoughToTimeOut ? TimeSpan.FromMilliseconds(150) : null, retries: 1 - (scenario.Faults.Seed % 2));
        var (store, table) = await gateways.OpenStoreAsync(client, "e2e");
        gateways.Primary.Faults.SetRandom(scenario.Faults.ToRandom());
        addFaults?.Invoke();
        try
        {
            var pipeline = new EndToEndPipeline(gateways, table, store, scenario.LookupOptions(), scenario.RetryOptions());
            var writes = scenario.Writes
                .SelectMany((times, key) => times.Select(t => (Key: EndToEndScenario.KeyPool[key], Ms: t)))
                .OrderBy(w => w.Ms)
                .ToList();
            var next = 0;
            for (var i = 0; i < scenario.Records.Length; i++)
            {
                var spec = scenario.Records[i];
                for (; next < writes.Count && writes[next].Ms <= spec.Ms; next++)
                {
                    pipeline.Write(writes[next].Key, writes[next].Ms);
                }

                await pipeline.RecordAsync(new Click(i, EndToEndScenario.KeyPool[spec.Key]), EndToEndPipeline.At(spec.Ms));
                if ((i + 1) % scenario.WatermarkEvery == 0)
                {
                    await pipeline.WatermarkAsync(EndToEndPipeline.At(spec.Ms - scenario.WatermarkLag));
                }
                else if (i % 3 == 0)
                {
                    await pipeline.PollAsync();
                }
            }

            // The rest of the writes come after every record, before the end.
            for (; next < writes.Count; next++)
            {
                pipeline.Write(writes[next].Key, writes[next].Ms);
            }

            await pipeline.EndAsync();
            return (pipeline, table);
        }
        finally
        {
            gateways.Reset();
        }
    }

    /// <summary>
    /// Checks conservation and values: each record ends exactly once (joined by the lookup, joined by the retry queue,
    /// or expired with a reason), nothing is pending, both operators' counters balance, and every joined value is the
    /// record's own key's, a version written before it was emitted and not older than the one written before the record
    /// arrived (for the retry queue, exactly the newest written).
    /// </summary>
    public static void Check(EndToEndScenario scenario, EndToEndPipeline pipeline, string table)
    {
        var n = scenario.Records.Length;
        var ids = pipeline.Outcomes.Select(o => o.Record.Id).ToList();
        Assert.Equal(n, ids.Count);
        Assert.Equal(Enumerable.Range(0, n), ids.Order());
        Assert.DoesNotContain(pipeline.Outcomes, o => o.Fate == Fate.Rejected);

        var lookup = pipeline.Lookup.Counters;
        var retry = pipeline.Retry.Counters;
        Assert.True(lookup.Balanced, lookup.ToString());
        Assert.True(retry.Balanced, retry.ToString());
        Assert.Equal(n, lookup.RecordsIn);
        Assert.Equal(0, lookup.InFlight);
        Assert.Equal(0, retry.Pending);
        Assert.True(pipeline.Retry.Ended);
        Assert.Equal(pipeline.Outcomes.Count(o => o.Fate == Fate.LookupJoined), lookup.Joined);
        Assert.Equal(lookup.Missed + lookup.Failed, retry.RecordsIn);
        Assert.Equal(pipeline.Outcomes.Count(o => o.Fate == Fate.RetryJoined), retry.Joined);
        Assert.Equal(pipeline.Outcomes.Count(o => o.Fate == Fate.RetryExpired), retry.Expired);
        Assert.Equal(lookup.Failed, pipeline.LookupFailures.Count);

        foreach (var o in pipeline.Outcomes)
        {
            var key = o.Record.Key;
            var written = scenario.Writes[Array.IndexOf(EndToEndScenario.KeyPool, key)].Length;
            switch (o.Fate)
            {
                case Fate.LookupJoined or Fate.RetryJoined:
                    Assert.NotNull(o.Value);
                    Assert.Equal(key, o.Value!.Key);
                    var text = Encoding.UTF8.GetString(o.Value.Value.Span);
                    var parts = text.Split('|');
                    Assert.True(parts.Length == 3 && parts[0] == table && parts[1] == key, $"record {o.Record.Id} ({key}) joined with '{text}'");
                    var version = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(version, 1, written);
                    Assert.True(version <= o.AppliedAtEmit, $"record {o.Record.Id} joined version {version} before it was written");
                    // A retry round reads the store during the watermark call that emits its records, after every
                    // write before it: the newest version. With PreserveKeyOrder a found record may wait for an earlier
                    // record of its key, so it may leave after later writes.
                    if (o.Fate == Fate.RetryJoined && !scenario.PreserveKeyOrder)
                    {
                        Assert.True(version == o.AppliedAtEmit, $"record {o.Record.Id} ({key}) joined stale version {version} of {o.AppliedAtEmit}");
                    }
                    else
                    {
                        Assert.True(version >= o.AppliedAtGive, $"record {o.Record.Id} ({key}) joined stale version {version}; {o.AppliedAtGive} was written before it arrived");
                    }

                    break;
                case Fate.RetryExpired:
                    Assert.NotNull(o.Reason);
                    Assert.Contains(o.Reason!.Value, new[] { RetryExitReason.AttemptsExhausted, RetryExitReason.EndOfInput, RetryExitReason.TtlExceeded });
                    if (o.Reason == RetryExitReason.TtlExceeded)
                    {
                        Assert.NotNull(scenario.TtlMs);
                    }

                    if (o.Error is not null)
                    {
                        Assert.IsType<HBaseRestException>(o.Error, exactMatch: false);
                    }

                    break;
            }
        }

        foreach (var (record, reason, error) in pipeline.LookupFailures)
        {
            Assert.True(
                (reason == LookupFailureReason.SourceFailed && error is HBaseRestException) || (reason == LookupFailureReason.Timeout && error is TimeoutException),
                $"record {record.Id} failed with {reason}: {error}");
        }

        // Without faults, the last round at the end finds every key written by then: the written keys join (unless their
        // record outlived the TTL first), and no other. The one failure a case without faults can meet is the client's
        // real-time timeout on a machine too busy to answer in time; a record whose last attempt failed so is exempt.
        if (scenario.Faults.Rate == 0)
        {
            Assert.Empty(pipeline.LookupFailures);
            foreach (var o in pipeline.Outcomes)
            {
                var written = scenario.Writes[Array.IndexOf(EndToEndScenario.KeyPool, o.Record.Key)].Length > 0;
                var joined = o.Fate is Fate.LookupJoined or Fate.RetryJoined;
                var timedOut = o.Reason == RetryExitReason.TtlExceeded;
                var busy = o.Error is HBaseRestException { StatusCode: null } e && e.Message.Contains("timed out", StringComparison.Ordinal);
                Assert.True(o.Error is null || busy, $"record {o.Record.Id} ({o.Record.Key}) failed without injected faults: {o.Error}");
                Assert.True(written ? joined || timedOut || busy : !joined, $"record {o.Record.Id} ({o.Record.Key}, written={written}) ended {o.Fate} {o.Reason} {o.Error?.Message}");
            }
        }
    }
}
