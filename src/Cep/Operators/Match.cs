using System.Collections;
using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Cep.Operators;

/// <summary>
/// A match (or a timed-out partial match) materialized: an ordered map from stage name to the events the stage took,
/// in pattern order, each list in the order the events were taken. Only stages that took events appear.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class Match<T> : IReadOnlyDictionary<string, IReadOnlyList<T>>
{
    private readonly KeyValuePair<string, IReadOnlyList<T>>[] _stages;

    /// <summary>Creates a match from stages given in pattern order.</summary>
    /// <param name="stages">The stages that took events, in pattern order.</param>
    /// <param name="timestamps">The timestamps of the events, in the same order as the events of <paramref name="stages"/> flattened.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The number of timestamps differs from the number of events.</exception>
    public Match(IEnumerable<KeyValuePair<string, IReadOnlyList<T>>> stages, IReadOnlyList<Instant> timestamps)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(timestamps);
        _stages = stages.ToArray();
        Timestamps = timestamps;
        if (_stages.Sum(s => s.Value.Count) != timestamps.Count)
        {
            throw new ArgumentException($"There are {timestamps.Count} timestamps for {_stages.Sum(s => s.Value.Count)} events.", nameof(timestamps));
        }
    }

    /// <summary>Gets the timestamps of all events, stage by stage in pattern order.</summary>
    public IReadOnlyList<Instant> Timestamps { get; }

    /// <summary>Gets the timestamp of the earliest event.</summary>
    public Instant First => Timestamps.Min();

    /// <summary>Gets the timestamp of the latest event.</summary>
    public Instant Last => Timestamps.Max();

    /// <inheritdoc/>
    public int Count => _stages.Length;

    /// <summary>Gets the stage names that took events, in pattern order.</summary>
    public IEnumerable<string> Keys => _stages.Select(s => s.Key);

    /// <summary>Gets the event lists, in pattern order.</summary>
    public IEnumerable<IReadOnlyList<T>> Values => _stages.Select(s => s.Value);

    /// <summary>Gets the events stage <paramref name="stageName"/> took.</summary>
    /// <exception cref="KeyNotFoundException">The stage took no event in this match.</exception>
    public IReadOnlyList<T> this[string stageName] =>
        TryGetValue(stageName, out var events) ? events : throw new KeyNotFoundException($"Stage '{stageName}' took no event in this match; it has {string.Join(", ", Keys)}.");

    /// <inheritdoc/>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<T> value)
    {
        foreach (var stage in _stages)
        {
            if (stage.Key == key)
            {
                value = stage.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<T>>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, IReadOnlyList<T>>>)_stages).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(", ", _stages.Select(s => $"{s.Key}: [{string.Join(", ", s.Value)}]")) + "}";
}
