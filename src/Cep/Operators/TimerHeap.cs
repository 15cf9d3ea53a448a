namespace Cep.Operators;

/// <summary>
/// A priority queue of (time, key slot) timers, popped in order of time and then of slot, so that the order in which
/// timers fire does not depend on how they were stored (and a restored queue fires as the original would).
/// </summary>
/// <remarks>
/// Timers are mostly registered in time order (a window's deadline follows the event that opened it), so, as in the
/// record buffer, a timer that sorts at or after the newest one in an in-order run is appended to it for O(1), and only
/// the others go to a binary min-heap. Popping takes the smaller of the two heads.
/// </remarks>
internal sealed class TimerHeap
{
    private (long Time, int Slot)[] _items = new (long, int)[256];
    private int _heapCount;
    private (long Time, int Slot)[] _run = new (long, int)[256];
    private int _runHead;
    private int _runCount;

    /// <summary>Gets the number of timers.</summary>
    public int Count => _heapCount + _runCount;

    /// <summary>Gets the time of the first timer; the queue must not be empty.</summary>
    public long PeekTime
    {
        get
        {
            if (_runCount == 0)
            {
                return _items[0].Time;
            }

            var runTime = _run[_runHead].Time;
            return _heapCount > 0 && _items[0].Time < runTime ? _items[0].Time : runTime;
        }
    }

    /// <summary>Gets every timer, sorted, which is also a valid heap order; for snapshots.</summary>
    public ReadOnlySpan<(long Time, int Slot)> Items
    {
        get
        {
            var all = new (long Time, int Slot)[Count];
            Array.Copy(_items, all, _heapCount);
            for (var i = 0; i < _runCount; i++)
            {
                all[_heapCount + i] = _run[(_runHead + i) & (_run.Length - 1)];
            }

            Array.Sort(all, static (a, b) => Less(a, b) ? -1 : Less(b, a) ? 1 : 0);
            return all;
        }
    }

    /// <summary>Replaces the contents with <paramref name="items"/>, taken to be in heap order already; for restoring snapshots.</summary>
    public void Load(ReadOnlySpan<(long Time, int Slot)> items)
    {
        _items = new (long, int)[Math.Max(256, items.Length)];
        items.CopyTo(_items);
        _heapCount = items.Length;
        _runHead = 0;
        _runCount = 0;
    }

    /// <summary>Gets the index of the first timer of <paramref name="items"/> that sorts before its heap parent, or -1 if they form a heap.</summary>
    public static int FindHeapViolation(ReadOnlySpan<(long Time, int Slot)> items) => BinaryHeap.FindViolation(items, default(Order));

    /// <summary>Adds a timer for <paramref name="slot"/> at <paramref name="time"/>.</summary>
    public void Push(long time, int slot)
    {
        var timer = (time, slot);
        if (_runCount == 0 || !Less(timer, _run[(_runHead + _runCount - 1) & (_run.Length - 1)]))
        {
            if (_runCount == _run.Length)
            {
                BinaryHeap.GrowRing(ref _run, ref _runHead, _runCount);
            }

            _run[(_runHead + _runCount) & (_run.Length - 1)] = timer;
            _runCount++;
            return;
        }

        PushHeap(timer);
    }

    /// <summary>Removes and returns the first timer; the queue must not be empty.</summary>
    public (long Time, int Slot) Pop()
    {
        if (_runCount > 0 && (_heapCount == 0 || !Less(_items[0], _run[_runHead])))
        {
            var timer = _run[_runHead];
            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return timer;
        }

        return PopHeap();
    }

    private static bool Less((long Time, int Slot) a, (long Time, int Slot) b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Slot < b.Slot);

    private void PushHeap((long Time, int Slot) timer) => BinaryHeap.Push(ref _items, ref _heapCount, timer, default(Order));

    private (long Time, int Slot) PopHeap() => BinaryHeap.Pop(_items, ref _heapCount, default(Order));

    /// <summary>Time, then slot.</summary>
    private readonly struct Order : IItemOrder<(long Time, int Slot)>
    {
        public bool Less(in (long Time, int Slot) a, in (long Time, int Slot) b) => TimerHeap.Less(a, b);
    }
}
