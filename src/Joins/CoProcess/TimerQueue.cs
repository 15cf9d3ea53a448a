namespace Cep.Joins.CoProcess;

/// <summary>One pending timer: its time, its registration number (which orders timers of equal time) and its key.</summary>
internal sealed record CoTimer<TKey>(long Time, long Seq, TKey Key);

/// <summary>
/// The timers of one domain: at most one per (key, time), fired in time order and, within a time, in registration
/// order (so the order is deterministic and survives snapshots).
/// </summary>
internal sealed class TimerQueue<TKey>
    where TKey : notnull
{
    private static readonly Comparer<CoTimer<TKey>> Order = Comparer<CoTimer<TKey>>.Create(static (a, b) =>
        a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Seq.CompareTo(b.Seq));

    private readonly SortedSet<CoTimer<TKey>> _queue = new(Order);
    private readonly Dictionary<(TKey Key, long Time), CoTimer<TKey>> _index = [];

    public int Count => _queue.Count;

    public long PeekTime => _queue.Min!.Time;

    public IEnumerable<CoTimer<TKey>> Items => _queue;

    /// <summary>Adds a timer unless (key, time) has one; returns whether it was added.</summary>
    public bool Add(TKey key, long time, long seq)
    {
        if (_index.ContainsKey((key, time)))
        {
            return false;
        }

        var timer = new CoTimer<TKey>(time, seq, key);
        _index.Add((key, time), timer);
        _queue.Add(timer);
        return true;
    }

    /// <summary>Removes the timer of (key, time) if there is one; returns whether there was.</summary>
    public bool Remove(TKey key, long time)
    {
        if (!_index.Remove((key, time), out var timer))
        {
            return false;
        }

        _queue.Remove(timer);
        return true;
    }

    public CoTimer<TKey> Pop()
    {
        var timer = _queue.Min!;
        _queue.Remove(timer);
        _index.Remove((timer.Key, timer.Time));
        return timer;
    }
}

/// <summary>The state of one key: a cell per declared state (null until first written) and its number of pending timers.</summary>
internal sealed class KeyEntry<TKey>(TKey key, int states)
{
    public TKey Key { get; } = key;

    public IStateCell?[] Cells { get; } = new IStateCell?[states];

    public int Timers;

    public bool IsEmpty
    {
        get
        {
            if (Timers > 0)
            {
                return false;
            }

            foreach (var cell in Cells)
            {
                if (cell is { Count: > 0 })
                {
                    return false;
                }
            }

            return true;
        }
    }
}
