namespace Cep.Operators;

/// <summary>A record waiting in the event-time buffer.</summary>
internal struct BufferedRecord<T>
{
    public long Ticks;
    public long Seq;
    public int Slot;
    public T Value;
}

/// <summary>
/// A binary min-heap of buffered records ordered by timestamp, then by an optional user comparer, then by arrival
/// sequence, so records with equal timestamps keep arrival order unless the comparer says otherwise.
/// </summary>
internal sealed class RecordHeap<T>(IComparer<T>? comparer)
{
    private BufferedRecord<T>[] _items = new BufferedRecord<T>[256];

    public int Count { get; private set; }

    public ref readonly BufferedRecord<T> Peek() => ref _items[0];

    public void Push(in BufferedRecord<T> record)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(record, _items[parent]))
            {
                break;
            }

            _items[i] = _items[parent];
            i = parent;
        }

        _items[i] = record;
    }

    public BufferedRecord<T> Pop()
    {
        var top = _items[0];
        var last = _items[--Count];
        _items[Count] = default;
        if (Count > 0)
        {
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= Count)
                {
                    break;
                }

                if (child + 1 < Count && Less(_items[child + 1], _items[child]))
                {
                    child++;
                }

                if (!Less(_items[child], last))
                {
                    break;
                }

                _items[i] = _items[child];
                i = child;
            }

            _items[i] = last;
        }

        return top;
    }

    /// <summary>Enumerates the records in heap order (not sorted); for snapshots.</summary>
    public ReadOnlySpan<BufferedRecord<T>> Items => _items.AsSpan(0, Count);

    /// <summary>Replaces the contents with <paramref name="items"/>, taken to be in heap order already; for restoring snapshots.</summary>
    public void Load(ReadOnlySpan<BufferedRecord<T>> items)
    {
        _items = new BufferedRecord<T>[Math.Max(256, items.Length)];
        items.CopyTo(_items);
        Count = items.Length;
    }

    /// <summary>Gets the index of the first record of <paramref name="items"/> that sorts before its heap parent, or -1 if they form a heap.</summary>
    public int FindHeapViolation(ReadOnlySpan<BufferedRecord<T>> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (Less(items[i], items[(i - 1) >> 1]))
            {
                return i;
            }
        }

        return -1;
    }

    private bool Less(in BufferedRecord<T> a, in BufferedRecord<T> b)
    {
        if (a.Ticks != b.Ticks)
        {
            return a.Ticks < b.Ticks;
        }

        if (comparer is not null)
        {
            var c = comparer.Compare(a.Value, b.Value);
            if (c != 0)
            {
                return c < 0;
            }
        }

        return a.Seq < b.Seq;
    }
}

/// <summary>A min-heap of (time, key slot) timers.</summary>
internal sealed class TimerHeap
{
    private (long Time, int Slot)[] _items = new (long, int)[256];

    public int Count { get; private set; }

    public long PeekTime => _items[0].Time;

    /// <summary>Gets the timers in heap order (not sorted), stale ones included; for snapshots.</summary>
    public ReadOnlySpan<(long Time, int Slot)> Items => _items.AsSpan(0, Count);

    /// <summary>Replaces the contents with <paramref name="items"/>, taken to be in heap order already; for restoring snapshots.</summary>
    public void Load(ReadOnlySpan<(long Time, int Slot)> items)
    {
        _items = new (long, int)[Math.Max(256, items.Length)];
        items.CopyTo(_items);
        Count = items.Length;
    }

    /// <summary>Gets the index of the first timer of <paramref name="items"/> earlier than its heap parent, or -1 if they form a heap.</summary>
    public static int FindHeapViolation(ReadOnlySpan<(long Time, int Slot)> items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (items[i].Time < items[(i - 1) >> 1].Time)
            {
                return i;
            }
        }

        return -1;
    }

    public void Push(long time, int slot)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_items[parent].Time <= time)
            {
                break;
            }

            _items[i] = _items[parent];
            i = parent;
        }

        _items[i] = (time, slot);
    }

    public (long Time, int Slot) Pop()
    {
        var top = _items[0];
        var last = _items[--Count];
        if (Count > 0)
        {
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= Count)
                {
                    break;
                }

                if (child + 1 < Count && _items[child + 1].Time < _items[child].Time)
                {
                    child++;
                }

                if (_items[child].Time >= last.Time)
                {
                    break;
                }

                _items[i] = _items[child];
                i = child;
            }

            _items[i] = last;
        }

        return top;
    }
}
