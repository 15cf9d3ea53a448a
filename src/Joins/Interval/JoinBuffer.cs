using Cep.Time;
using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>
/// A buffered record of one side of an interval join: the record, its ticks and two bytes (24 bytes for an 8-byte record),
/// so that buffers stay small in the cache.
/// The timestamp is kept as ticks (what the join compares) and the nanoseconds within the tick, so that it is reported
/// exactly as given.
/// </summary>
internal struct JoinEntry<T>
{
    /// <summary>The timestamp in ticks (<see cref="EventTicks.ToTicks"/>), as compared by the join.</summary>
    public long Ticks;

    public T Value;

    /// <summary>The nanoseconds of the timestamp within its tick, 0 to 99.</summary>
    public byte SubTick;

    /// <summary>Whether the record has joined at least one partner.</summary>
    public bool Matched;

    /// <summary>Gets the timestamp as it was given.</summary>
    public readonly Instant Timestamp => SubTick == 0 ? EventTicks.ToInstant(Ticks) : Instant.FromUnixTimeTicks(Ticks).PlusNanoseconds(SubTick);

    /// <summary>Gets the nanoseconds of <paramref name="timestamp"/> within its tick <paramref name="ticks"/> (= <see cref="EventTicks.ToTicks"/> of it).</summary>
    public static byte SubTickOf(Instant timestamp, long ticks) =>
        ticks == long.MaxValue || ticks == long.MinValue ? (byte)0 : (byte)(timestamp - Instant.FromUnixTimeTicks(ticks)).ToInt64Nanoseconds();
}

/// <summary>
/// The buffer of one side of one key: records sorted by timestamp, records with equal timestamps in arrival order, in a
/// ring so that the oldest record leaves in O(1). A record that arrives in order is appended in O(1); one that arrives out
/// of order is inserted after the last record with a timestamp at or below its own.
/// </summary>
/// <remarks>A mutable struct, kept as a field of its key's state (no object of its own, one pointer less to follow per
/// record): use it through the field or a <c>ref</c> local, never a copy.</remarks>
internal struct JoinBuffer<T>
{
    private JoinEntry<T>[] _items;
    private int _head;

    public JoinBuffer()
    {
        _items = new JoinEntry<T>[4];
    }

    public int Count { get; private set; }

    /// <summary>Gets the <paramref name="index"/>-th oldest record.</summary>
    public readonly ref JoinEntry<T> this[int index] => ref _items[(_head + index) & (_items.Length - 1)];

    public void Insert(long ticks, byte subTick, T value, bool matched)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        var mask = _items.Length - 1;
        var i = Count;
        while (i > 0 && _items[(_head + i - 1) & mask].Ticks > ticks)
        {
            _items[(_head + i) & mask] = _items[(_head + i - 1) & mask];
            i--;
        }

        ref var slot = ref _items[(_head + i) & mask];
        slot.Ticks = ticks;
        slot.SubTick = subTick;
        slot.Matched = matched;
        slot.Value = value;
        Count++;
    }

    /// <summary>Removes the oldest record and returns it.</summary>
    public JoinEntry<T> RemoveFirst()
    {
        ref var first = ref _items[_head];
        var entry = first;
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            first = default; // let the garbage collector have the record
        }

        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return entry;
    }

    /// <summary>Gets the index of the first record with a timestamp at or above <paramref name="ticks"/>, or <see cref="Count"/>.</summary>
    public readonly int LowerBound(long ticks)
    {
        int lo = 0, hi = Count;
        var mask = _items.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[(_head + mid) & mask].Ticks < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Grow()
    {
        var bigger = new JoinEntry<T>[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = this[i];
        }

        _items = bigger;
        _head = 0;
    }
}

/// <summary>The live state of one key: its two buffers and its slot, the index that cleanup timers refer to it by.</summary>
internal sealed class IntervalKeyState<TKey, TLeft, TRight>(TKey key, int slot)
{
    public TKey Key { get; set; } = key;

    public int Slot { get; set; } = slot;

    public JoinBuffer<TLeft> Left = new();

    public JoinBuffer<TRight> Right = new();

    public bool IsEmpty => Left.Count == 0 && Right.Count == 0;
}
