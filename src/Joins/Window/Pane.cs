namespace Cep.Joins.Window;

/// <summary>The state of one key's window in a window join: both sides' records and when the window next needs attention.</summary>
/// <remarks>
/// Each entry carries a group: 0 until the window fires with it in, then the id of that firing. Two entries with the
/// same non-zero group were paired already, which lets an inner join emit only new pairs when the window fires again,
/// also after session windows that each fired were merged.
/// </remarks>
internal sealed class Pane<TKey, TLeft, TRight>(KeyPanes<TKey, TLeft, TRight> owner, long start, long end, long seq)
{
    public KeyPanes<TKey, TLeft, TRight> Owner { get; } = owner;

    public long Start { get; set; } = start;

    public long End { get; set; } = end;

    /// <summary>The creation number: orders panes that are due at the same time, so firing order is deterministic.</summary>
    public long Seq { get; set; } = seq;

    public int Firings { get; set; }

    /// <summary>Whether entries were added since the last firing (or the pane never fired).</summary>
    public bool Dirty { get; set; }

    public bool Removed { get; set; }

    /// <summary>When the pane's timer is due: its maximum timestamp until it fired, then the end of its lateness.</summary>
    public long TimerAt { get; set; } = long.MinValue;

    public List<TLeft> Lefts { get; } = [];

    public List<long> LeftGroups { get; } = [];

    public List<TRight> Rights { get; } = [];

    public List<long> RightGroups { get; } = [];

    public int EntryCount => Lefts.Count + Rights.Count;

    public long MaxTicks => End - 1;

    public TickWindow Window => new(Start, End);
}

/// <summary>The live windows of one key.</summary>
internal sealed class KeyPanes<TKey, TLeft, TRight>(TKey key)
{
    public TKey Key { get; } = key;

    public List<Pane<TKey, TLeft, TRight>> Panes { get; } = [];
}
