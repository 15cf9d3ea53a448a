using Cep.Joins.Window;
using NodaTime;

namespace Cep.Joins.MultiStream;

/// <summary>Why a <see cref="JoinedRow{TKey, TEvent}"/> was emitted.</summary>
public enum JoinedRowKind
{
    /// <summary>The window closed (the watermark reached its maximum timestamp) and had not been emitted before.</summary>
    Closed,

    /// <summary>Every required input had a record, so the row was emitted before the window closed
    /// (<see cref="MultiStreamJoinOptions{TKey, TEvent}.EmitWhenComplete"/>).</summary>
    Complete,

    /// <summary>The window closed after a <see cref="Complete"/> row, and records arrived after that row: this row holds
    /// everything the window collected, earlier records included, and supersedes the earlier row.</summary>
    Update,
}

/// <summary>
/// The combined record of one key and window of a multi-stream join: for each input, the records that arrived (possibly
/// none).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TEvent">The record type.</typeparam>
/// <threadsafety>Immutable once emitted (it holds copies of the operator's lists); safe to keep and share if the records are.</threadsafety>
public sealed class JoinedRow<TKey, TEvent>
{
    private readonly TEvent[][] _parts;
    private readonly Instant[][] _timestamps;
    private readonly IReadOnlyList<string> _names;

    internal JoinedRow(TKey key, TimeWindow window, JoinedRowKind kind, IReadOnlyList<string> names, TEvent[][] parts, Instant[][] timestamps)
    {
        Key = key;
        Window = window;
        Kind = kind;
        _names = names;
        _parts = parts;
        _timestamps = timestamps;
    }

    /// <summary>Gets the key.</summary>
    public TKey Key { get; }

    /// <summary>Gets the window; the row's event timestamp is its <see cref="TimeWindow.MaxTimestamp"/>.</summary>
    public TimeWindow Window { get; }

    /// <summary>Gets why the row was emitted.</summary>
    public JoinedRowKind Kind { get; }

    /// <summary>Gets the number of inputs.</summary>
    public int InputCount => _parts.Length;

    /// <summary>Gets the records of one input in arrival order.</summary>
    /// <param name="input">The input index.</param>
    /// <returns>The records; empty if none arrived.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public IReadOnlyList<TEvent> Records(int input) => _parts[Check(input)];

    /// <summary>Gets the records of one input in arrival order.</summary>
    /// <param name="input">The input name.</param>
    /// <returns>The records; empty if none arrived.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not an input name.</exception>
    public IReadOnlyList<TEvent> Records(string input) => _parts[IndexOf(input)];

    /// <summary>Gets the timestamps of one input's records, in the order of <see cref="Records(int)"/>.</summary>
    /// <param name="input">The input index.</param>
    /// <returns>The timestamps.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public IReadOnlyList<Instant> Timestamps(int input) => _timestamps[Check(input)];

    /// <summary>Tells whether an input has at least one record in the row.</summary>
    /// <param name="input">The input index.</param>
    /// <returns>True if the input has a record; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public bool Has(int input) => _parts[Check(input)].Length > 0;

    /// <summary>
    /// Gets the latest record of one input: the one with the greatest timestamp, and among equal timestamps the one that
    /// arrived last.
    /// </summary>
    /// <param name="input">The input index.</param>
    /// <param name="record">The latest record, or the default value if the input has none.</param>
    /// <returns>True if the input has a record; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public bool TryGetLatest(int input, out TEvent record)
    {
        var parts = _parts[Check(input)];
        var times = _timestamps[input];
        var best = -1;
        for (var i = 0; i < parts.Length; i++)
        {
            if (best < 0 || times[i] >= times[best])
            {
                best = i;
            }
        }

        record = best < 0 ? default! : parts[best];
        return best >= 0;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind} {Key} {Window}: " + string.Join(" ", _names.Select((n, i) => $"{n}=[{string.Join(",", _parts[i])}]"));

    private int Check(int input) => (uint)input < (uint)_parts.Length ? input
        : throw new ArgumentOutOfRangeException(nameof(input), input, $"The input must be in the range [0-{_parts.Length - 1}]; it was {input}.");

    private int IndexOf(string input)
    {
        for (var i = 0; i < _names.Count; i++)
        {
            if (_names[i] == input)
            {
                return i;
            }
        }

        throw new ArgumentException($"There is no input named '{input}'; the inputs are {string.Join(", ", _names)}.", nameof(input));
    }
}

/// <summary>Where a <see cref="MultiStreamJoinOperator{TKey, TEvent}"/> sends what it produces. Every record that enters
/// the operator ends in exactly one place: in the state of its window (and from there in the rows it emits), or in
/// <see cref="OnRejected"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TEvent">The record type.</typeparam>
/// <remarks>Called on the thread that drives the operator, from inside its methods. An exception thrown here passes
/// through the operator call that caused it and leaves the operator's state unspecified: restore the operator from a
/// snapshot taken before that call.</remarks>
public interface IMultiStreamJoinOutput<TKey, TEvent>
{
    /// <summary>A combined row of one key and window.</summary>
    /// <param name="row">The row.</param>
    void OnJoined(JoinedRow<TKey, TEvent> row);

    /// <summary>A record went into no window: late (its window had closed), or its key selector failed, or its
    /// timestamp was a sentinel. <see cref="RejectedRecord{TKey, T}.Input"/> is the input index.</summary>
    /// <param name="record">The record, its key and the reason.</param>
    void OnRejected(RejectedRecord<TKey, TEvent> record);
}
