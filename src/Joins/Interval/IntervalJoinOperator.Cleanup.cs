using NodaTime;

namespace Cep.Joins.Interval;

/// <content>Cleanup: firing timers, releasing records, and acquiring and releasing key states.</content>
public sealed partial class IntervalJoinOperator<TKey, TLeft, TRight>
{
    /// <summary>
    /// Fires the due cleanup timers in time order. A timer of a key and side at time T always finds that side's oldest
    /// record expiring at T: records expire in timestamp order and every buffered record has exactly one timer.
    /// </summary>
    /// <remarks>
    /// Due timers are taken in batches, and each batch first reads the key states and then the oldest entries it will
    /// release before releasing any: these reads do not depend on each other, so the processor overlaps their cache misses
    /// instead of waiting for one after the other. Releasing pushes no timer and adds no key, so the batch stays valid.
    /// </remarks>
    private void FireTimers(long now)
    {
        var timers = _timers;
        var batch = _batch;
        var states = _batchStates;
        var counters = Counters;
        while (true)
        {
            var n = 0;
            while (n < batch.Length && timers.TryPop(now, out batch[n]))
            {
                n++;
            }

            if (n == 0)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                states[i] = _slots[batch[i].Target >> 1];
            }

            long touched = 0;
            for (var i = 0; i < n; i++)
            {
                var state = states[i]!;
                touched ^= (batch[i].Target & 1) == 0 ? state.Left[0].Ticks : state.Right[0].Ticks;
            }

            _touched = touched;
            for (var i = 0; i < n; i++)
            {
                var state = states[i]!;
                states[i] = null;
                counters.TimerCount--;
                if ((batch[i].Target & 1) == 0)
                {
                    var entry = state.Left.RemoveFirst();
                    counters.LeftBufferedCount--;
                    ReleaseLeft(state.Key, entry.Value, entry.Timestamp, entry.Matched);
                }
                else
                {
                    var entry = state.Right.RemoveFirst();
                    counters.RightBufferedCount--;
                    ReleaseRight(state.Key, entry.Value, entry.Timestamp, entry.Matched);
                }

                if (state.IsEmpty)
                {
                    Release(state);
                }
            }
        }
    }

    private void ReleaseLeft(TKey key, TLeft value, Instant timestamp, bool matched)
    {
        if (matched)
        {
            Counters.LeftJoinedCount++;
            return;
        }

        Counters.LeftUnmatchedCount++;
        if (_reportLeft)
        {
            _output.OnUnmatchedLeft(key, value, timestamp);
        }
    }

    private void ReleaseRight(TKey key, TRight value, Instant timestamp, bool matched)
    {
        if (matched)
        {
            Counters.RightJoinedCount++;
            return;
        }

        Counters.RightUnmatchedCount++;
        if (_reportRight)
        {
            _output.OnUnmatchedRight(key, value, timestamp);
        }
    }

    private IntervalKeyState<TKey, TLeft, TRight> Acquire(TKey key)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        IntervalKeyState<TKey, TLeft, TRight> state;
        if (_spareStates.TryPop(out var spare))
        {
            spare.Key = key;
            spare.Slot = slot;
            state = spare;
        }
        else
        {
            state = new IntervalKeyState<TKey, TLeft, TRight>(key, slot);
        }

        if (slot == _slots.Count)
        {
            _slots.Add(state);
        }
        else
        {
            _slots[slot] = state;
        }

        _keys.Add(key, state);
        Counters.KeyCount++;
        return state;
    }

    private void Release(IntervalKeyState<TKey, TLeft, TRight> state)
    {
        _keys.Remove(state.Key);
        Counters.KeyCount--;
        _slots[state.Slot] = null;
        _freeSlots.Push(state.Slot);
        if (_spareStates.Count < MaxSpareStates)
        {
            state.Key = default!;
            _spareStates.Push(state);
        }
    }
}
