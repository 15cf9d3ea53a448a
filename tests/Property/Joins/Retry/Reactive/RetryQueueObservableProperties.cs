using Cep.Joins.Retry;
using Cep.Tests.Properties;
using Xunit;

namespace Cep.Tests.Joins.Retry.Reactive;

/// <summary>The observable face of the retry queue against the queue driven directly.</summary>
public sealed class RetryQueueObservableProperties
{
    /// <summary>
    /// For generated levels, TTLs, exit predicates, batch sizes, key order, stores (keys found from some lookup on or
    /// never, round trips failing synchronously or asynchronously, answers on the caller's thread or the thread pool) and
    /// inputs (with records whose key or timestamp selector throws), the face sends exactly the outputs, in exactly the
    /// order, of a queue driven directly with the calls it promises; the store sees the same calls; every record leaves
    /// exactly once (nothing stays pending after the end); the notifications never overlap; the sequence completes last.
    /// </summary>
    [Fact]
    public void TheFaceSendsWhatTheQueueDrivenDirectlyEmits() =>
        PropertyRunner.Check(RetryGenerators.Cases(), c =>
        {
            var faceStore = RetryFaceRun.Store(c);
            var face = RetryFaceRun.Face(c, faceStore);
            var directStore = RetryFaceRun.Store(c);
            var (direct, counters) = RetryFaceRun.DirectAsync(c, directStore).GetAwaiter().GetResult();

            Assert.True(face.Completed, face.Error?.ToString());
            Assert.Equal(0, face.AfterTerminal);
            Assert.Equal(1, face.MaxConcurrent);
            Assert.Equal(RetryFaceRun.Describe(direct), RetryFaceRun.Describe(face.Values));
            Assert.Equal(directStore.Calls.Select(k => string.Join(",", k)), faceStore.Calls.Select(k => string.Join(",", k)));
            Assert.Equal(c.Records.Select(r => r.Id).Order(), face.Values.Select(o => o.Record.Id).Order());
            Assert.Equal(0, counters.Pending);
            Assert.True(counters.Balanced, counters.ToString());
            Assert.All(face.Values, o => Assert.True(
                o.Kind switch
                {
                    RetryOutputKind.Joined => o.Joined is not null && o.Expired is null && o.Error is null,
                    RetryOutputKind.Expired => o.Expired is not null && o.Joined is null && o.Error is null,
                    _ => o.Error is not null && o.Joined is null && o.Expired is null,
                },
                o.ToString()));
        }, 200);
}
