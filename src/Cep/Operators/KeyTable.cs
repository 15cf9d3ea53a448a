using System.Runtime.CompilerServices;
using Cep.Nfa;

namespace Cep.Operators;

/// <summary>One entry of the operator's key table: a key, its state, and how many of its records wait in the event-time buffer.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal struct KeySlot<TKey>
{
    /// <summary>The key's state, or null for a free slot.</summary>
    public KeyState<TKey>? State;

    /// <summary>The key; meaningless in a free slot.</summary>
    public TKey Key;

    /// <summary>Records of the key waiting in the event-time buffer, or -1 for a retained key (one that holds nothing).</summary>
    public int Buffered;

    /// <summary>The key's hash code, as the table's comparer gives it.</summary>
    internal int HashCode;

    /// <summary>The next slot in the same bucket, or -1.</summary>
    internal int Next;
}

/// <summary>
/// The operator's keys: a hash table whose entries are the key slots themselves. Finding a record's key on arrival
/// reads one bucket and the key's own entry, where the buffered count is kept; a record that leaves the buffer finds
/// the key's state and count in that same entry by slot. With a dictionary from key to slot beside a slot array, each
/// arrival and each departure costs one more cache line, which with many keys is one more cache miss.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// Slots are chosen by the caller (the operator reuses freed slots in a set order, which snapshots record), and keep
/// their number for as long as the key stays. Chaining, with a power-of-two bucket count and Fibonacci hashing of
/// the comparer's hash codes. Not thread-safe.
/// </remarks>
internal sealed class KeyTable<TKey>
    where TKey : notnull
{
    private readonly IEqualityComparer<TKey> _comparer = EqualityComparer<TKey>.Default;
    private KeySlot<TKey>[] _slots = new KeySlot<TKey>[256];
    private int[] _buckets = NewBuckets(256); // the first slot of each bucket, or -1
    private int _shift = 32 - 8;

    /// <summary>Gets the number of slots, free ones included.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of keys.</summary>
    public int KeyCount { get; private set; }

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

            return ref _slots[slot];
        }
    }

    /// <summary>Gets the entries as a span, valid until the next <see cref="Add"/>.</summary>
    public Span<KeySlot<TKey>> AsSpan() => _slots.AsSpan(0, Count);

    /// <summary>Asks for the entry of <paramref name="slot"/> to be brought into the cache ahead of its use; an unknown slot is ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if ((uint)slot < (uint)Count)
        {
            CacheHints.Element(_slots, slot);
        }
    }

    /// <summary>Gets the slot of <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(TKey key)
    {
        var hash = _comparer.GetHashCode(key);
        var slots = _slots;
        for (var slot = _buckets[Bucket(hash)]; slot >= 0; slot = slots[slot].Next)
        {
            ref var entry = ref slots[slot];
            if (entry.HashCode == hash && _comparer.Equals(entry.Key, key))
            {
                return slot;
            }
        }

        return -1;
    }

    /// <summary>
    /// Enters <paramref name="key"/>, which must be absent, at <paramref name="slot"/>, which must be free or the next
    /// new one (<see cref="Count"/>).
    /// </summary>
    public void Add(TKey key, int slot, KeyState<TKey> state, int buffered)
    {
        if (slot == Count)
        {
            AddFree();
        }

        if ((KeyCount + 1) * 4L > _buckets.Length * 3L)
        {
            Rehash(_buckets.Length * 2);
        }

        ref var entry = ref this[slot];
        var hash = _comparer.GetHashCode(key);
        ref var bucket = ref _buckets[Bucket(hash)];
        entry.State = state;
        entry.Key = key;
        entry.Buffered = buffered;
        entry.HashCode = hash;
        entry.Next = bucket;
        bucket = slot;
        KeyCount++;
    }

    /// <summary>Appends a free slot (for restoring a snapshot with gaps).</summary>
    public void AddFree()
    {
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        _slots[Count++] = new KeySlot<TKey> { Next = -1 };
    }

    /// <summary>Removes the key at <paramref name="slot"/>, leaving the slot free.</summary>
    public void Remove(int slot)
    {
        ref var entry = ref this[slot];
        ref var link = ref _buckets[Bucket(entry.HashCode)];
        while (link != slot)
        {
            link = ref _slots[link].Next;
        }

        link = entry.Next;
        entry = new KeySlot<TKey> { Next = -1 };
        KeyCount--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bucket(int hash) => (int)((uint)hash * 0x9E3779B9u >> _shift);

    private void Rehash(int bucketCount)
    {
        _buckets = NewBuckets(bucketCount);
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)bucketCount);
        for (var slot = 0; slot < Count; slot++)
        {
            ref var entry = ref _slots[slot];
            if (entry.State is not null)
            {
                ref var bucket = ref _buckets[Bucket(entry.HashCode)];
                entry.Next = bucket;
                bucket = slot;
            }
        }
    }

    private static int[] NewBuckets(int count)
    {
        var buckets = new int[count];
        Array.Fill(buckets, -1);
        return buckets;
    }

    private static void ThrowOutOfRange(int slot) =>
        throw new ArgumentOutOfRangeException(nameof(slot), slot, "No such key slot.");
}
