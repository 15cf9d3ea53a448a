using System.Net;
using System.Text;
using Cep.Connectors.Features;
using Cep.Connectors.HBase;
using Cep.HBaseRestServer.Faults;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using NodaTime;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>The gateway answers a multi-get 404 both when no row is found and when the table does not exist; the client
/// tells them apart through the table's schema, and remembers a table it found for a while.</summary>
public sealed class MultiGetMissingTableTests
{
    public static TheoryData<HBaseRestFormat> Formats => new() { HBaseRestFormat.Protobuf, HBaseRestFormat.Json };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AMultiGetOfATableThatDoesNotExistThrowsNamingTheTableAnd404(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(format);
        var never = await Assert.ThrowsAsync<HBaseRestException>(() => client.MultiGetAsync("never", ["a", "b"]));
        CheckMissing(never, "never");

        // A table deleted after it was read from, once the confirmation of its existence has lapsed (zero here).
        var eager = h.Client(format, configure: o => o.TableExistenceTtl = TimeSpan.Zero);
        await using var store = await HBaseFeatureStore.OpenAsync(eager, new HBaseFeatureStoreOptions { Table = "features" });
        await store.WriteAsync([new FeatureRecord("k", GatewayHarness.Start, Encoding.UTF8.GetBytes("v"))]);
        Assert.Single(await store.LookupAsync(["k", "gone"], CancellationToken.None));
        Assert.Empty(await store.LookupAsync(["gone"], CancellationToken.None));
        Assert.True(await eager.DeleteTableAsync("features"));
        CheckMissing(await Assert.ThrowsAsync<HBaseRestException>(async () => await store.LookupAsync(["k", "gone"], CancellationToken.None)), "features");
        CheckMissing(await Assert.ThrowsAsync<HBaseRestException>(async () => await store.GetAsync("k")), "features");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ASingleRowGetTellsAMissingTableFromAMissingRow(HBaseRestFormat format)
    {
        await using var h = await GatewayHarness.StartAsync();
        var missing = await Assert.ThrowsAsync<HBaseRestException>(() => h.Client(format).GetRowAsync("never", "a"));
        CheckMissing(missing, "never");
        Assert.Equal("a", missing.Row);

        var client = await h.ClientWithTableAsync(format);
        var schemaBefore = h.Gateway.Counters.Requests(RequestKind.Schema);
        Assert.Null(await client.GetRowAsync("t", "absent-1"));
        Assert.Null(await client.GetCellAsync("t", "absent-2", "f:q"));
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Schema) - schemaBefore); // the second 404 trusts the first check
    }

    [Fact]
    public async Task ConcurrentAllMissBatchesShareOneSchemaRead()
    {
        await using var h = await GatewayHarness.StartAsync();
        var client = await h.ClientWithTableAsync(HBaseRestFormat.Protobuf);
        var schemaBefore = h.Gateway.Counters.Requests(RequestKind.Schema);
        var batches = Enumerable.Range(0, 16).Select(i => Task.Run(() => client.MultiGetAsync("t", [$"a{i}", $"b{i}"]))).ToList();
        foreach (var batch in batches)
        {
            Assert.Empty(await batch);
        }

        Assert.Equal(16, h.Gateway.Counters.Requests(RequestKind.MultiGet));
        Assert.Equal(1, h.Gateway.Counters.Requests(RequestKind.Schema) - schemaBefore);
    }

    /// <summary>Batches of an existing table, some all-miss, at generated times: every miss reads as a miss, every hit as
    /// a hit, and the schema is read exactly when an all-miss answer meets no confirmation younger than the TTL (the
    /// oracle replays that rule).</summary>
    [Fact]
    public async Task AllMissBatchesOfAnExistingTableAreMissesAndReadTheSchemaOncePerTtl()
    {
        var ttl = TimeSpan.FromSeconds(5);
        var batch =
            from ms in Gen.Choose(0, 4000)
            from keys in Gen.Choose(1, 5)
            from withHit in Gen.Elements(true, false, false)
            select (Advance: TimeSpan.FromMilliseconds(ms), Keys: keys, WithHit: withHit);
        var cases = Gen.ListOf(batch).Select(b => b.Take(15).ToList());
        await using var h = await GatewayHarness.StartAsync();
        var client = h.Client(HBaseRestFormat.Protobuf);
        var tables = 0;
        Prop.ForAll(cases.ToArbitrary(), batches =>
        {
            Task.Run(async () =>
            {
                var table = $"t{tables++}";
                Assert.True(await client.CreateTableAsync(new HBaseTableSchema(table, [new HBaseColumnFamilySchema("f")])));
                await client.PutRowsAsync(table, [new HBaseRow("hit", [new HBaseCell("f:q", new byte[] { 7 })])]);
                var time = new SteppedTimeProvider();
                var timed = h.Client(HBaseRestFormat.Protobuf, configure: o => { o.TimeProvider = time; o.TableExistenceTtl = ttl; });
                var schemaBefore = h.Gateway.Counters.Requests(RequestKind.Schema);
                TimeSpan? confirmed = null;
                var expectedReads = 0;
                foreach (var (advance, keys, withHit) in batches)
                {
                    time.Advance(advance);
                    var asked = Enumerable.Range(0, keys).Select(i => $"miss-{i}").ToList();
                    if (withHit)
                    {
                        asked.Add("hit");
                    }

                    var found = await timed.MultiGetAsync(table, asked);
                    Assert.Equal(withHit ? ["hit"] : [], found.Select(r => r.Key));
                    if (!withHit && (confirmed is not { } at || time.Now - at >= ttl))
                    {
                        expectedReads++;
                        confirmed = time.Now;
                    }
                }

                Assert.Equal(expectedReads, h.Gateway.Counters.Requests(RequestKind.Schema) - schemaBefore);
            }).GetAwaiter().GetResult();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases(100)));
    }

    [Fact]
    public async Task AStubGatewayThatKnowsTheTableGivesMissesAndOneThatDoesNotGivesTheError()
    {
        foreach (var exists in new[] { true, false })
        {
            var stub = new StubHandler(request => request.RequestUri!.AbsolutePath.EndsWith("/schema", StringComparison.Ordinal) && exists
                ? StubHandler.Answer(HttpStatusCode.OK, new Cep.Connectors.HBase.Protobuf.TableSchema { Name = "t" }.ToByteArray())
                : StubHandler.Answer(HttpStatusCode.NotFound, Encoding.UTF8.GetBytes("No rows found.")));
            using var client = StubHandler.Client(stub);
            for (var i = 0; i < 3; i++)
            {
                if (exists)
                {
                    Assert.Empty(await client.MultiGetAsync("t", ["r1", "r2"]));
                }
                else
                {
                    CheckMissing(await Assert.ThrowsAsync<HBaseRestException>(() => client.MultiGetAsync("t", ["r1", "r2"])), "t");
                }
            }

            // A found table is remembered (default TTL); a missing one is asked again each time.
            Assert.Equal(exists ? ["/t/schema"] : ["/t/schema", "/t/schema", "/t/schema"], stub.Paths.Where(p => p.EndsWith("/schema", StringComparison.Ordinal)));
        }
    }

    private static void CheckMissing(HBaseRestException error, string table)
    {
        Assert.Equal(table, error.Table);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains($"table '{table}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP status 404", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    /// <summary>Timestamps that move only when the test says; timers stay real (the client's timeouts).</summary>
    private sealed class SteppedTimeProvider : TimeProvider
    {
        private long _ticks;

        public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
