using System.Reactive.Concurrency;
using Cep.Joins.Lookup;

namespace Cep.Tests.Joins.Lookup;

/// <summary>
/// A deterministic store for the lookup operator's tests. Keys in <see cref="Store"/> are found, others are misses; a
/// batch holding a key of <see cref="FailingKeys"/> throws. A batch answers after the largest delay of its keys, in the
/// virtual time of the scheduler; with <see cref="Manual"/>, calls wait until the test completes them, in any order.
/// Every call is recorded, with its keys.
/// </summary>
public sealed class FakeLookupSource(IScheduler scheduler) : IAsyncLookupSource<int, string>
{
    private readonly List<Pending> _held = [];

    public Dictionary<int, string> Store { get; } = [];

    public HashSet<int> FailingKeys { get; } = [];

    /// <summary>Gets the delay of each key (default <see cref="DefaultDelay"/>).</summary>
    public Dictionary<int, TimeSpan> Delays { get; } = [];

    public TimeSpan DefaultDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Gets or sets whether calls wait for <see cref="Complete"/> instead of the scheduler.</summary>
    public bool Manual { get; set; }

    /// <summary>Gets or sets whether a cancelled call still answers later (a source that ignores its token).</summary>
    public bool IgnoreCancellation { get; set; }

    /// <summary>Gets or sets whether <see cref="IAsyncLookupSource{TKey, TValue}.LookupAsync"/> throws before returning a task.</summary>
    public bool ThrowSynchronously { get; set; }

    public List<int[]> Calls { get; } = [];

    public List<string> ContractViolations { get; } = [];

    public int Cancelled { get; private set; }

    public int Resolved { get; private set; }

    public int HeldCount => _held.Count;

    public ValueTask<IReadOnlyDictionary<int, string>> LookupAsync(IReadOnlyList<int> keys, CancellationToken cancellationToken)
    {
        var asked = keys.ToArray();
        Calls.Add(asked);
        if (asked.Length == 0 || asked.Distinct().Count() != asked.Length)
        {
            ContractViolations.Add($"call {Calls.Count - 1}: keys [{string.Join(",", asked)}]");
        }

        var fails = asked.Any(FailingKeys.Contains);
        if (ThrowSynchronously && fails)
        {
            throw new InvalidOperationException("store down (synchronously)");
        }

        var answer = (IReadOnlyDictionary<int, string>)asked.Where(Store.ContainsKey).ToDictionary(k => k, k => Store[k]);
        var tcs = new TaskCompletionSource<IReadOnlyDictionary<int, string>>();
        if (!IgnoreCancellation)
        {
            cancellationToken.Register(() =>
            {
                Cancelled++;
                tcs.TrySetCanceled(cancellationToken);
            });
        }

        void Resolve()
        {
            Resolved++;
            if (fails)
            {
                tcs.TrySetException(new InvalidOperationException($"store down for [{string.Join(",", asked)}]"));
            }
            else
            {
                tcs.TrySetResult(answer);
            }
        }

        if (Manual)
        {
            _held.Add(new Pending(Calls.Count - 1, Resolve));
        }
        else
        {
            var delay = asked.Max(k => Delays.TryGetValue(k, out var d) ? d : DefaultDelay);
            scheduler.Schedule(delay, Resolve);
        }

        return new ValueTask<IReadOnlyDictionary<int, string>>(tcs.Task);
    }

    /// <summary>Answers the held call number <paramref name="call"/> (its index in <see cref="Calls"/>).</summary>
    public void Complete(int call)
    {
        var index = _held.FindIndex(p => p.Call == call);
        var pending = _held[index];
        _held.RemoveAt(index);
        pending.Resolve();
    }

    private sealed record Pending(int Call, Action Resolve);
}
