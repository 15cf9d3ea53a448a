using System.Runtime.CompilerServices;
using Cep.Nfa;

namespace Cep.Operators;

/// <summary>One entry of the operator's key table: a key's state and how many of its records wait in the event-time buffer.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal struct KeySlot<TKey>
{
    /// <summary>The key's state, or null for a free slot.</summary>
    public KeyState<TKey>? State;

    /// <summary>Records of the key waiting in the event-time buffer, or -1 for a retained key (one that holds nothing).</summary>
    public int Buffered;
}

/// <summary>
/// The operator's key table by slot. A record that leaves the buffer finds its key's state and its buffered count in
/// one entry, so one cache line, where a list of states beside an array of counts costs two.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class KeySlots<TKey>
{
    private KeySlot<TKey>[] _items = new KeySlot<TKey>[256];

    /// <summary>Gets the number of slots, free ones included.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the entry of <paramref name="slot"/>.</summary>
    public ref KeySlot<TKey> this[int slot]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)slot >= (uint)Count)
            {
                ThrowOutOfRange(slot);
            }

            return ref _items[slot];
        }
    }

    /// <summary>Gets the entries as a span, valid until the next <see cref="Add"/>.</summary>
    public Span<KeySlot<TKey>> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>Appends a slot and returns its index.</summary>
    public int Add(KeyState<TKey>? state, int buffered)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        ref var entry = ref _items[Count];
        entry.State = state;
        entry.Buffered = buffered;
        return Count++;
    }

    private static void ThrowOutOfRange(int slot) =>
        throw new ArgumentOutOfRangeException(nameof(slot), slot, "No such key slot.");
}
