using System.Collections.Concurrent;
using NodaTime;
using NodaTime.Testing;
using Xunit;

namespace Cep.Tests.Connectors.Features;

public abstract partial class FeatureStoreContract
{
    /// <summary>
    /// Four writers write overlapping keys with interleaved event times while four readers read them. Every value read
    /// must be one that was written for that key and event time (no torn or mixed records), each reader must see a
    /// key's event time never go back, and at the end each key holds its newest event time.
    /// </summary>
    [Fact]
    public async Task ConcurrentWritersAndReadersSeeOnlyWrittenRecordsAndEndWithTheNewest()
    {
        var store = await NewStoreAsync(Ttl, new FakeClock(Start));
        const int Writers = 4, Keys = 40, Rounds = 60;
        var keys = Enumerable.Range(0, Keys).Select(k => $"key-{k}").ToArray();
        static Instant EventTime(int round, int writer) => Start - Duration.FromMinutes(5) + Duration.FromMilliseconds((round * Writers) + writer);
        using var done = new CancellationTokenSource();
        var violations = new ConcurrentQueue<string>();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                // Each writer writes its rounds in a shuffled key order, some rounds out of event-time order.
                var r = (round % 7 == 3) ? round + 1 : (round % 7 == 4) ? round - 1 : round;
                var batch = keys.Where((_, i) => (i + w + round) % 3 != 0)
                    .Select(k => Rec(k, EventTime(r, w), $"{k}|{EventTime(r, w).ToUnixTimeTicks()}|{w}")).ToArray();
                await store.WriteAsync(batch);
            }
        })).ToArray();

        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            var seen = new Dictionary<string, Instant>();
            var reads = 0;
            while (!done.IsCancellationRequested || reads < 5)
            {
                reads++;
                var asked = keys.Where((_, i) => (i + reads + reader) % 2 == 0).ToArray();
                var found = await store.LookupAsync(asked, CancellationToken.None);
                foreach (var (key, record) in found)
                {
                    Check(key, record, seen);
                }

                var single = keys[(reads * 7 + reader) % Keys];
                if (await store.GetAsync(single) is { } one)
                {
                    Check(single, one, seen);
                }
            }

            void Check(string key, Cep.Connectors.Features.FeatureRecord record, Dictionary<string, Instant> seen)
            {
                var parts = Text(record).Split('|');
                if (record.Key != key || parts[0] != key || parts[1] != record.EventTime.ToUnixTimeTicks().ToString())
                {
                    violations.Enqueue($"torn or foreign record for {key}: {record.Key} {record.EventTime} '{Text(record)}'");
                }

                if (seen.TryGetValue(key, out var before) && record.EventTime < before)
                {
                    violations.Enqueue($"{key} went back from {before} to {record.EventTime}");
                }

                seen[key] = record.EventTime;
            }
        })).ToArray();

        await Task.WhenAll(writers);
        done.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(violations);
        var final = await store.LookupAsync(keys, CancellationToken.None);
        Assert.Equal(Keys, final.Count);
        foreach (var key in keys)
        {
            var index = Array.IndexOf(keys, key);
            var newest = Enumerable.Range(0, Writers)
                .SelectMany(w => Enumerable.Range(0, Rounds)
                    .Where(round => (index + w + round) % 3 != 0)
                    .Select(round => EventTime((round % 7 == 3) ? round + 1 : (round % 7 == 4) ? round - 1 : round, w)))
                .Max();
            Assert.Equal(newest, final[key].EventTime);
        }
    }
}
