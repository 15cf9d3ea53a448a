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
/// The event-time buffer: records ordered by timestamp, then by an optional user comparer, then by arrival sequence,
/// so records with equal timestamps keep arrival order unless the comparer says otherwise.
/// </summary>
/// <remarks>
/// Records that arrive in order (the common case) go to a first-in-first-out run and cost O(1); a record that sorts
/// before the newest one in the run goes to a binary min-heap. Popping takes the smaller of the two heads.
/// </remarks>
internal sealed class RecordHeap<T>(IComparer<T>? comparer)
{
    private BufferedRecord<T>[] _items = new BufferedRecord<T>[256];
    private int _heapCount;
    private BufferedRecord<T>[] _run = new BufferedRecord<T>[256];
    private int _runHead;
    private int _runCount;

    public int Count => _heapCount + _runCount;

    public ref readonly BufferedRecord<T> Peek()
    {
        if (_runCount == 0)
        {
            return ref _items[0];
        }

        ref var runHead = ref _run[_runHead];
        return ref _heapCount > 0 && Less(_items[0], runHead) ? ref _items[0] : ref runHead;
    }

    /// <summary>
    /// Gets the key slot of the record <paramref name="ahead"/> places behind the head of the in-order run, which is
    /// usually the record popped that many pops later; a hint for prefetching, false when the run is shorter.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryPeekRunSlot(int ahead, out int slot)
    {
        if (ahead >= _runCount)
        {
            slot = -1;
            return false;
        }

        slot = _run[(_runHead + ahead) & (_run.Length - 1)].Slot;
        return true;
    }

    /// <summary>
    /// Adds a record, given by its fields: written in place, field by field, because a record built on the stack and
    /// copied is read back with one wide load that waits for the narrow stores that built it to land.
    /// </summary>
    public void Push(long ticks, long seq, int slot, T value)
    {
        if (_runCount == 0 || !Less(ticks, seq, value, _run[(_runHead + _runCount - 1) & (_run.Length - 1)]))
        {
            if (_runCount == _run.Length)
            {
                BinaryHeap.GrowRing(ref _run, ref _runHead, _runCount);
            }

            ref var entry = ref _run[(_runHead + _runCount) & (_run.Length - 1)];
            entry.Ticks = ticks;
            entry.Seq = seq;
            entry.Slot = slot;
            entry.Value = value;
            _runCount++;
        }
        else
        {
            PushHeap(new BufferedRecord<T> { Ticks = ticks, Seq = seq, Slot = slot, Value = value });
        }
    }

    /// <summary>
    /// Pops the first record if its timestamp is at or below <paramref name="ticks"/>: <see cref="Peek"/> and
    /// <see cref="Pop"/> in one, with a short path for the usual case of records that arrived in order.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryPopAtOrBefore(long ticks, out BufferedRecord<T> record)
    {
        if (_heapCount == 0 && _runCount > 0)
        {
            ref var head = ref _run[_runHead];
            if (head.Ticks > ticks)
            {
                record = default;
                return false;
            }

            record = head;
            if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                head = default; // let the collector have the value
            }

            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return true;
        }

        if (Count > 0 && Peek().Ticks <= ticks)
        {
            record = Pop();
            return true;
        }

        record = default;
        return false;
    }

    public BufferedRecord<T> Pop()
    {
        if (_runCount > 0 && (_heapCount == 0 || !Less(_items[0], _run[_runHead])))
        {
            var record = _run[_runHead];
            _run[_runHead] = default;
            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return record;
        }

        return PopHeap();
    }

    /// <summary>Gets every record in sorted order, which is also a valid heap order; for snapshots.</summary>
    public ReadOnlySpan<BufferedRecord<T>> Items
    {
        get
        {
            var all = new BufferedRecord<T>[Count];
            for (var i = 0; i < _runCount; i++)
            {
                all[i] = _run[(_runHead + i) & (_run.Length - 1)];
            }

            Array.Copy(_items, 0, all, _runCount, _heapCount);
            Array.Sort(all, (a, b) => Less(a, b) ? -1 : Less(b, a) ? 1 : 0);
            return all;
        }
    }

    /// <summary>Replaces the contents with <paramref name="items"/>, taken to be in heap order already; for restoring snapshots.</summary>
    public void Load(ReadOnlySpan<BufferedRecord<T>> items)
    {
        _items = new BufferedRecord<T>[Math.Max(256, items.Length)];
        items.CopyTo(_items);
        _heapCount = items.Length;
        _runHead = 0;
        _runCount = 0;
    }

    /// <summary>Gets the index of the first record of <paramref name="items"/> that sorts before its heap parent, or -1 if they form a heap.</summary>
    public int FindHeapViolation(ReadOnlySpan<BufferedRecord<T>> items) => BinaryHeap.FindViolation(items, new Order(comparer));

    private void PushHeap(in BufferedRecord<T> record) => BinaryHeap.Push(ref _items, ref _heapCount, record, new Order(comparer));

    private BufferedRecord<T> PopHeap() => BinaryHeap.Pop(_items, ref _heapCount, new Order(comparer));

    private bool Less(in BufferedRecord<T> a, in BufferedRecord<T> b) => Less(a.Ticks, a.Seq, a.Value, b, comparer);

    private bool Less(long ticks, long seq, T value, in BufferedRecord<T> b) => Less(ticks, seq, value, b, comparer);

    private static bool Less(long ticks, long seq, T value, in BufferedRecord<T> b, IComparer<T>? comparer)
    {
        if (ticks != b.Ticks)
        {
            return ticks < b.Ticks;
        }

        if (comparer is not null)
        {
            var c = comparer.Compare(value, b.Value);
            if (c != 0)
            {
                return c < 0;
            }
        }

        return seq < b.Seq;
    }

    /// <summary>Timestamp, then the user's comparer, then arrival.</summary>
    private readonly struct Order(IComparer<T>? comparer) : IItemOrder<BufferedRecord<T>>
    {
        public bool Less(in BufferedRecord<T> a, in BufferedRecord<T> b) => RecordHeap<T>.Less(a.Ticks, a.Seq, a.Value, b, comparer);
    }
}
