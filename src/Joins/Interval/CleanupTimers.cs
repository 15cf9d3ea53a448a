using Cep.Operators;

namespace Cep.Joins.Interval;

/// <summary>A cleanup timer: when the combined watermark reaches <see cref="Time"/>, the oldest record of one key and side leaves the state.</summary>
/// <param name="Time">The time, in ticks, at which no future record can join the record any more.</param>
/// <param name="Target">The key slot times two, plus 1 for the right side.</param>
internal readonly record struct CleanupTimer(long Time, int Target);

/// <summary>
/// The cleanup timers of an interval join, ordered by time: one first-in-first-out run per side for timers pushed in time
/// order on that side (the common case: records of a side arrive roughly in timestamp order, and a record's expiry grows
/// with its timestamp), and a binary min-heap for the others. Push and pop cost O(1) in a run and O(log n) in the heap.
/// </summary>
/// <remarks>Equal times pop in a deterministic order that depends only on the sequence of pushes and pops (left run, then
/// right run, then heap), so a restored queue (same runs, same heap layout) pops exactly as the original would have.</remarks>
internal sealed class CleanupTimers
{
    private readonly TimerRun[] _runs = [new(), new()];
    private readonly TimerHeap _heap = new();

    public int Count => _runs[0].Count + _runs[1].Count + _heap.Count;

    /// <summary>Gets the run of one side (0 left, 1 right), oldest first; for snapshots.</summary>
    public CleanupTimer[] RunItems(int side) => _runs[side].Items();

    /// <summary>Gets the heap in heap order; for snapshots.</summary>
    public CleanupTimer[] HeapItems()
    {
        var items = _heap.Items;
        var result = new CleanupTimer[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            result[i] = new CleanupTimer(items[i].Time, items[i].Slot);
        }

        return result;
    }

    /// <summary>Adds a timer; the side is the low bit of <paramref name="target"/>.</summary>
    public void Push(long time, int target)
    {
        if (!_runs[target & 1].TryAppend(new CleanupTimer(time, target)))
        {
            _heap.Push(time, target);
        }
    }

    /// <summary>Removes the earliest timer if it is due at <paramref name="now"/>; on equal times the left run wins, then the right run, then the heap.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="timer">The timer removed, if any.</param>
    /// <returns>True if a timer at or before <paramref name="now"/> was removed.</returns>
    public bool TryPop(long now, out CleanupTimer timer)
    {
        var best = -1;
        var time = _heap.Count > 0 ? _heap.PeekTime : long.MaxValue;
        var left = _runs[0];
        if (left.Count > 0 && left.HeadTime <= time)
        {
            best = 0;
            time = left.HeadTime;
        }

        var right = _runs[1];
        if (right.Count > 0 && (right.HeadTime < time || (right.HeadTime == time && best < 0)))
        {
            best = 1;
            time = right.HeadTime;
        }

        if (time > now || (best < 0 && _heap.Count == 0))
        {
            timer = default;
            return false;
        }

        if (best >= 0)
        {
            timer = _runs[best].RemoveFirst();
        }
        else
        {
            var (at, target) = _heap.Pop();
            timer = new CleanupTimer(at, target);
        }

        return true;
    }

    /// <summary>Replaces the contents; the heap must be in heap order and the runs in time order (see <see cref="FindViolation"/>).</summary>
    public void Load(CleanupTimer[] leftRun, CleanupTimer[] rightRun, CleanupTimer[] heap)
    {
        _runs[0].Load(leftRun);
        _runs[1].Load(rightRun);
        _heap.Load(heap.Select(t => (t.Time, t.Target)).ToArray());
    }

    /// <summary>Describes the first ordering violation of the runs and the heap, or returns null if all are well ordered.</summary>
    public static string? FindViolation(CleanupTimer[] leftRun, CleanupTimer[] rightRun, CleanupTimer[] heap)
    {
        foreach (var (run, side) in new[] { (leftRun, 0), (rightRun, 1) })
        {
            for (var i = 0; i < run.Length; i++)
            {
                if ((i > 0 && run[i].Time < run[i - 1].Time) || (run[i].Target & 1) != side)
                {
                    return $"the run of timers of side {side} is out of order or holds another side's timer at timer {i}";
                }
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

    /// <summary>A first-in-first-out ring of timers in time order.</summary>
    private sealed class TimerRun
    {
        private CleanupTimer[] _items = new CleanupTimer[64];
        private int _head;

        public int Count { get; private set; }

        public long HeadTime => _items[_head].Time;

        public bool TryAppend(CleanupTimer timer)
        {
            if (Count > 0 && timer.Time < _items[(_head + Count - 1) & (_items.Length - 1)].Time)
            {
                return false;
            }

            if (Count == _items.Length)
            {
                var bigger = new CleanupTimer[_items.Length * 2];
                for (var i = 0; i < Count; i++)
                {
                    bigger[i] = _items[(_head + i) & (_items.Length - 1)];
                }

                _items = bigger;
                _head = 0;
            }

            _items[(_head + Count) & (_items.Length - 1)] = timer;
            Count++;
            return true;
        }

        public CleanupTimer RemoveFirst()
        {
            var timer = _items[_head];
            _head = (_head + 1) & (_items.Length - 1);
            Count--;
            return timer;
        }

        public CleanupTimer[] Items()
        {
            var items = new CleanupTimer[Count];
            for (var i = 0; i < Count; i++)
            {
                items[i] = _items[(_head + i) & (_items.Length - 1)];
            }

            return items;
        }

        public void Load(CleanupTimer[] items)
        {
            var size = 64;
            while (size < items.Length)
            {
                size *= 2;
            }

            _items = new CleanupTimer[size];
            items.CopyTo(_items, 0);
            _head = 0;
            Count = items.Length;
        }
    }
}
