namespace Cep.Nfa;

/// <summary>The progress of one key: its partial matches, matches held back by a skip strategy, and its timers.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class KeyState<TKey>(TKey key, int slot)
{
    public TKey Key { get; private set; } = key;

    /// <summary>The index of the key in the operator's key table.</summary>
    public int Slot { get; private set; } = slot;

    public ComputationState[] Partial = new ComputationState[4];

    public int PartialCount;

    /// <summary>Completed matches held back by a skip strategy, ordered by start id (then completion order).</summary>
    public ComputationState[] Completed = [];

    public int CompletedCount;

    /// <summary>The time (ticks) the key was last advanced to.</summary>
    public long CurrentTime = long.MinValue;

    /// <summary>The time (ticks) of the key's pending timer, or <see cref="long.MaxValue"/> if none.</summary>
    public long TimerAt = long.MaxValue;

    /// <summary>Makes an empty state serve another key, keeping its arrays, so that keys that come and go allocate nothing.</summary>
    public void Reuse(TKey key, int slot)
    {
        Key = key;
        Slot = slot;
        CurrentTime = long.MinValue;
        TimerAt = long.MaxValue;
    }

    public void AddPartial(in ComputationState cs)
    {
        if (PartialCount == Partial.Length)
        {
            Array.Resize(ref Partial, Partial.Length * 2);
        }

        Partial[PartialCount++] = cs;
    }

    /// <summary>Inserts a completed match, keeping the queue ordered by start id and stable for equal ids.</summary>
    public void AddCompleted(in ComputationState cs)
    {
        if (CompletedCount == Completed.Length)
        {
            Array.Resize(ref Completed, Math.Max(4, Completed.Length * 2));
        }

        var i = CompletedCount;
        while (i > 0 && Completed[i - 1].StartId > cs.StartId)
        {
            Completed[i] = Completed[i - 1];
            i--;
        }

        Completed[i] = cs;
        CompletedCount++;
    }

    public void RemoveCompletedAt(int index)
    {
        Array.Copy(Completed, index + 1, Completed, index, CompletedCount - index - 1);
        CompletedCount--;
    }
}
