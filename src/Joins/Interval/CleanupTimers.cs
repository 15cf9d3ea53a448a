namespace Cep.Joins.Interval;

/// <summary>A cleanup timer: when the combined watermark reaches <see cref="Time"/>, the oldest record of one key and side leaves the state.</summary>
/// <param name="Time">The time, in ticks, at which no future record can join the record any more.</param>
/// <param name="Target">The key slot times two, plus 1 for the right side.</param>
internal readonly record struct CleanupTimer(long Time, int Target);

/// <summary>
/// The cleanup timers of an interval join, ordered by time: a first-in-first-out run for timers pushed in time order
/// (the common case: records arrive roughly in timestamp order, and a record's expiry grows with its timestamp), and a
/// binary min-heap for the others. Push and pop cost O(1) in the run and O(log n) in the heap.
/// </summary>
/// <remarks>Equal times pop in a deterministic order that depends only on the sequence of pushes and pops, so a restored
/// queue (same run, same heap layout) pops exactly as the original would have.</remarks>
internal sealed class CleanupTimers
{
    private CleanupTimer[] _run = new CleanupTimer[64];
    private int _runHead;
    private int _runCount;
    private CleanupTimer[] _heap = new CleanupTimer[16];
    private int _heapCount;

    public int Count => _runCount + _heapCount;

    /// <summary>Gets the earliest time; only when <see cref="Count"/> is positive.</summary>
    public long PeekTime
    {
        get
        {
            if (_runCount == 0)
            {
                return _heap[0].Time;
            }

            var run = _run[_runHead].Time;
            return _heapCount > 0 && _heap[0].Time < run ? _heap[0].Time : run;
        }
    }

    /// <summary>Gets the run, oldest first; for snapshots.</summary>
    public CleanupTimer[] RunItems()
    {
        var items = new CleanupTimer[_runCount];
        for (var i = 0; i < _runCount; i++)
        {
            items[i] = _run[(_runHead + i) & (_run.Length - 1)];
        }

        return items;
    }

    /// <summary>Gets the heap in heap order; for snapshots.</summary>
    public CleanupTimer[] HeapItems() => _heap.AsSpan(0, _heapCount).ToArray();

    public void Push(long time, int target)
    {
        if (_runCount == 0 || time >= _run[(_runHead + _runCount - 1) & (_run.Length - 1)].Time)
        {
            if (_runCount == _run.Length)
            {
                GrowRun();
            }

            _run[(_runHead + _runCount) & (_run.Length - 1)] = new CleanupTimer(time, target);
            _runCount++;
            return;
        }

        PushHeap(new CleanupTimer(time, target));
    }

    /// <summary>Removes and returns the earliest timer; the run wins ties, so that restored queues pop alike.</summary>
    public CleanupTimer Pop()
    {
        if (_runCount > 0 && (_heapCount == 0 || _run[_runHead].Time <= _heap[0].Time))
        {
            var timer = _run[_runHead];
            _runHead = (_runHead + 1) & (_run.Length - 1);
            _runCount--;
            return timer;
        }

        return PopHeap();
    }

    /// <summary>Replaces the contents; the heap must be in heap order and the run in time order (see <see cref="FindViolation"/>).</summary>
    public void Load(CleanupTimer[] run, CleanupTimer[] heap)
    {
        var size = 64;
        while (size < run.Length)
        {
            size *= 2;
        }

        _run = new CleanupTimer[size];
        run.CopyTo(_run, 0);
        _runHead = 0;
        _runCount = run.Length;
        _heap = new CleanupTimer[Math.Max(16, heap.Length)];
        heap.CopyTo(_heap, 0);
        _heapCount = heap.Length;
    }

    /// <summary>Describes the first ordering violation of a run and a heap, or returns null if both are well ordered.</summary>
    public static string? FindViolation(CleanupTimer[] run, CleanupTimer[] heap)
    {
        for (var i = 1; i < run.Length; i++)
        {
            if (run[i].Time < run[i - 1].Time)
            {
                return $"the run of timers is not in time order at timer {i}";
            }
        }

        for (var i = 1; i < heap.Length; i++)
        {
            if (heap[i].Time < heap[(i - 1) >> 1].Time)
            {
                return $"the heap of timers is not in heap order at timer {i}";
            }
        }

        return null;
    }

    private void GrowRun()
    {
        var bigger = new CleanupTimer[_run.Length * 2];
        for (var i = 0; i < _runCount; i++)
        {
            bigger[i] = _run[(_runHead + i) & (_run.Length - 1)];
        }

        _run = bigger;
        _runHead = 0;
    }

    private void PushHeap(CleanupTimer timer)
    {
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var i = _heapCount++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_heap[parent].Time <= timer.Time)
            {
                break;
            }

            _heap[i] = _heap[parent];
            i = parent;
        }

        _heap[i] = timer;
    }

    private CleanupTimer PopHeap()
    {
        var top = _heap[0];
        var last = _heap[--_heapCount];
        if (_heapCount > 0)
        {
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= _heapCount)
                {
                    break;
                }

                if (child + 1 < _heapCount && _heap[child + 1].Time < _heap[child].Time)
                {
                    child++;
                }

                if (_heap[child].Time >= last.Time)
                {
                    break;
                }

                _heap[i] = _heap[child];
                i = child;
            }

            _heap[i] = last;
        }

        return top;
    }
}
