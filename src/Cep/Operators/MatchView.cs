using NodaTime;

namespace Cep.Operators;

/// <summary>
/// A read-only view of a match or timed-out partial match as the operator emits it, valid only during the output
/// call that receives it: the operator reuses it for the next match, so nothing is allocated per match. Call
/// <see cref="ToMatch"/> to keep it.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Not thread-safe; owned by the operator that emits it.</threadsafety>
public sealed class MatchView<T>
{
    private readonly string[] _stageNames;
    private readonly int[] _stageStart;
    private T[] _events = new T[8];
    private long[] _ticks = new long[8];
    private int _count;
    private SharedBuffer.SharedBuffer<T>? _buffer;
    private int _leaf = -1;
    private bool _valid;
    private bool _filled;
    private int _leafStage = -1; // the stage of a virtual leaf after _leaf, or -1
    private T _leafValue = default!;
    private long _leafTicks;

    internal MatchView(string[] stageNames)
    {
        _stageNames = stageNames;
        _stageStart = new int[stageNames.Length + 1];
    }

    /// <summary>Gets the number of stages of the pattern (including stages that took no event here).</summary>
    public int StageCount => _stageNames.Length;

    /// <summary>Gets the total number of events in the match.</summary>
    public int EventCount => Filled()._count;

    /// <summary>Gets the timestamp of the first event.</summary>
    public Instant First
    {
        get
        {
            Filled();
            var min = long.MaxValue;
            for (var i = 0; i < _count; i++)
            {
                min = Math.Min(min, _ticks[i]);
            }

            return Instant.FromUnixTimeTicks(min);
        }
    }

    /// <summary>Gets the name of stage <paramref name="stage"/> (pattern order).</summary>
    /// <param name="stage">The stage index, from 0 to <see cref="StageCount"/> - 1.</param>
    public string StageName(int stage) => _stageNames[stage];

    /// <summary>Gets how many events stage <paramref name="stage"/> took.</summary>
    /// <param name="stage">The stage index, from 0 to <see cref="StageCount"/> - 1.</param>
    public int CountOf(int stage)
    {
        Filled();
        return _stageStart[stage + 1] - _stageStart[stage];
    }

    /// <summary>Gets how many events the stage named <paramref name="stageName"/> took; 0 if it is not a stage of the pattern.</summary>
    /// <param name="stageName">A stage name.</param>
    public int CountOf(string stageName)
    {
        var stage = Array.IndexOf(_stageNames, stageName);
        return stage < 0 ? 0 : CountOf(stage);
    }

    /// <summary>Gets event <paramref name="index"/> of stage <paramref name="stage"/>.</summary>
    /// <param name="stage">The stage index.</param>
    /// <param name="index">The event index within the stage, from 0 to <see cref="CountOf(int)"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public T Get(int stage, int index) => _events[Position(stage, index)];

    /// <summary>Gets the timestamp of event <paramref name="index"/> of stage <paramref name="stage"/>.</summary>
    /// <param name="stage">The stage index.</param>
    /// <param name="index">The event index within the stage.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public Instant TimestampOf(int stage, int index) => Instant.FromUnixTimeTicks(_ticks[Position(stage, index)]);

    /// <summary>Copies the view into an immutable <see cref="Match{T}"/>.</summary>
    public Match<T> ToMatch()
    {
        Filled();
        var stages = new List<KeyValuePair<string, IReadOnlyList<T>>>();
        var times = new List<Instant>(_count);
        for (var s = 0; s < _stageNames.Length; s++)
        {
            var n = CountOf(s);
            if (n == 0)
            {
                continue;
            }

            var events = new T[n];
            Array.Copy(_events, _stageStart[s], events, 0, n);
            stages.Add(new(_stageNames[s], events));
            for (var i = 0; i < n; i++)
            {
                times.Add(Instant.FromUnixTimeTicks(_ticks[_stageStart[s] + i]));
            }
        }

        return new Match<T>(stages, times);
    }

    /// <inheritdoc/>
    public override string ToString() => ToMatch().ToString();

    /// <summary>Points the view at a shared-buffer chain, given by its leaf; it is read only if the output asks.</summary>
    internal void Fill(SharedBuffer.SharedBuffer<T> buffer, int leaf)
    {
        _buffer = buffer;
        _leaf = leaf;
        _leafStage = -1;
        _valid = true;
        _filled = false;
    }

    /// <summary>
    /// Points the view at a chain that ends with an event not stored in the buffer: <paramref name="value"/>, taken
    /// under <paramref name="stage"/> at <paramref name="ticks"/> after the node <paramref name="parent"/> (-1 for none).
    /// </summary>
    internal void Fill(SharedBuffer.SharedBuffer<T> buffer, int parent, int stage, T value, long ticks)
    {
        _buffer = buffer;
        _leaf = parent;
        _leafStage = stage;
        _leafValue = value;
        _leafTicks = ticks;
        _valid = true;
        _filled = false;
    }

    /// <summary>Reads the chain into the view on first use.</summary>
    private MatchView<T> Filled()
    {
        if (_filled)
        {
            return this;
        }

        if (!_valid)
        {
            throw new InvalidOperationException("A MatchView is valid only during the output call that received it; call ToMatch() to keep a match.");
        }

        var buffer = _buffer!;
        var leaf = _leaf;
        Array.Clear(_stageStart);
        var length = 0;
        if (_leafStage >= 0)
        {
            _stageStart[_leafStage + 1]++;
            length++;
        }

        for (var node = leaf; node >= 0; node = buffer.Parent(node))
        {
            _stageStart[buffer.Stage(node) + 1]++;
            length++;
        }

        for (var s = 1; s < _stageStart.Length; s++)
        {
            _stageStart[s] += _stageStart[s - 1];
        }

        if (_events.Length < length)
        {
            _events = new T[Math.Max(length, _events.Length * 2)];
            _ticks = new long[_events.Length];
        }

        // Walk leaf to root and fill each stage's slice from its end, so each slice ends up in taking order.
        Span<int> fill = _stageNames.Length <= 32 ? stackalloc int[_stageNames.Length] : new int[_stageNames.Length];
        for (var s = 0; s < fill.Length; s++)
        {
            fill[s] = _stageStart[s + 1];
        }

        if (_leafStage >= 0)
        {
            var pos = --fill[_leafStage];
            _events[pos] = _leafValue;
            _ticks[pos] = _leafTicks;
        }

        for (var node = leaf; node >= 0; node = buffer.Parent(node))
        {
            var stage = buffer.Stage(node);
            var pos = --fill[stage];
            _events[pos] = buffer.NodeValue(node);
            _ticks[pos] = buffer.NodeTimestamp(node);
        }

        _count = length;
        _filled = true;
        return this;
    }

    /// <summary>Clears references to events so they can be collected.</summary>
    internal void Clear()
    {
        if (_filled)
        {
            Array.Clear(_events, 0, _count);
        }

        _count = 0;
        _leaf = -1;
        _leafStage = -1;
        _leafValue = default!;
        _valid = false;
        _filled = false;
    }

    private int Position(int stage, int index)
    {
        Filled();
        var n = CountOf(stage);
        if ((uint)index >= (uint)n)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Stage '{_stageNames[stage]}' took {n} events in this match.");
        }

        return _stageStart[stage] + index;
    }
}
