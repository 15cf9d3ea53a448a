using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cep.Nfa;

/// <summary>The progress of one key: its partial matches, matches held back by a skip strategy, and its timers.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// Up to <see cref="InlinePartials"/> partial matches are stored in the object itself, so that a key with few (the
/// usual case) is one object in memory: one cache miss and one page to reach it, not two. More spill to an array from
/// the runtime's <see cref="PartialArrayPool"/>, which goes back to the pool once they fit inline again.
/// </remarks>
internal sealed class KeyState<TKey>(TKey key, int slot)
{
    /// <summary>How many partial matches are stored inline before they spill to an array.</summary>
    public const int InlinePartials = 8;

    private InlineStates _inline;
    private PartialMatch[]? _spilled; // while the partial matches do not fit inline
    private int _capacity = InlinePartials; // of the storage in use, read without touching the spilled array

    public TKey Key { get; private set; } = key;

    /// <summary>The index of the key in the operator's key table.</summary>
    public int Slot { get; private set; } = slot;

    /// <summary>Gets the storage of the partial matches, of which the first <see cref="PartialCount"/> are live; valid until <see cref="EnsurePartialCapacity"/>.</summary>
    public Span<PartialMatch> Partial
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _spilled is { } spilled ? spilled : MemoryMarshal.CreateSpan(ref _inline[0], InlinePartials);
    }

    /// <summary>Gets the array the partial matches spilled to, or null while they are stored inline (for prefetching).</summary>
    public PartialMatch[]? SpilledPartials => _spilled;

    public int PartialCount;

    /// <summary>
    /// The state every live partial match waits in, or -1 when they wait in different states (or this is not known).
    /// With it, an event that every partial match of that state skips is handled without reading them: in the usual
    /// case (many partial matches waiting for the same stage) the lines that hold them are not touched at all.
    /// </summary>
    /// <remarks>Removing partial matches keeps it valid; whoever adds one must update it (see <see cref="AddPartial"/>).</remarks>
    public int UniformState = -1;

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
        _spilled = null; // empty now: back to inline storage
        _capacity = InlinePartials;
        Slot = slot;
        CurrentTime = long.MinValue;
        TimerAt = long.MaxValue;
    }

    public void AddPartial(in PartialMatch cs, PartialArrayPool pool)
    {
        UniformState = PartialCount == 0 || UniformState == cs.State ? cs.State : -1;
        EnsurePartialCapacity(PartialCount + 1, pool);
        Partial[PartialCount++] = cs;
    }

    /// <summary>Makes room for <paramref name="count"/> partial matches, keeping the live ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsurePartialCapacity(int count, PartialArrayPool pool)
    {
        if (count > _capacity)
        {
            Spill(count, pool);
        }
    }

    private void Spill(int count, PartialArrayPool pool)
    {
        var target = pool.Rent(Math.Max(count, 2 * _capacity));
        Partial[..PartialCount].CopyTo(target);
        if (_spilled is { } old)
        {
            pool.Return(old);
        }

        _spilled = target;
        _capacity = target.Length;
    }

    /// <summary>Moves spilled partial matches back inline once they fit, and gives the array back to the pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CompactPartials(PartialArrayPool pool)
    {
        if (_spilled is { } spilled && PartialCount <= InlinePartials)
        {
            spilled.AsSpan(0, PartialCount).CopyTo(MemoryMarshal.CreateSpan(ref _inline[0], InlinePartials));
            _spilled = null;
            _capacity = InlinePartials;
            pool.Return(spilled);
        }
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

    [InlineArray(InlinePartials)]
    private struct InlineStates
    {
        private PartialMatch _first;
    }
}
