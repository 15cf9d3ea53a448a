using Cep.State;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Interval;

/// <content>Snapshots: the operator's whole state to bytes and back.</content>
/// <remarks>
/// Layout after the <c>CEPS</c> envelope header (little-endian; counts unsigned LEB128; values length-prefixed bytes of the
/// configured serializers):
/// <code>
/// kind               string "interval-join"
/// bounds, join type  int64 lower ticks, int64 upper ticks (inclusive, as compared), byte join type
/// watermarks         left input, right input: int64 ticks + byte nanoseconds within the tick
/// counters           int64 x 13 (see <see cref="IntervalJoinCounters"/>, in declaration order)
/// slots              count, then per slot 0 (free) or 1, key, left buffer, right buffer;
///                    a buffer is a count, then per record: timestamp (ticks + byte), matched byte, value
/// free slots         count, then the slots from the bottom of the stack to its top
/// timers             left run, right run: count, then time int64 and target per timer; heap: the same, in heap order
/// </code>
/// </remarks>
public sealed partial class IntervalJoinOperator<TKey, TLeft, TRight>
{
    private const string SnapshotKind = "interval-join";
    private const int CounterCount = 13;
    private bool _restored;

    /// <summary>
    /// Writes the operator's whole state to bytes: both buffers of every key (records, timestamps, whether each has joined),
    /// both input watermarks, the cleanup timers and the counters. <see cref="Restore"/> on a fresh operator built with the
    /// same key selectors, bounds, output and options continues exactly where this one is.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", format version, length, checksum).</returns>
    /// <exception cref="Exception">A key or record serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside an output callback.</remarks>
    public byte[] Snapshot()
    {
        var w = new SnapshotWriter();
        SnapshotFormat.WriteHeader(w);
        w.WriteString(SnapshotKind);
        w.WriteInt64(_lower);
        w.WriteInt64(_upper);
        w.WriteByte((byte)JoinType);
        WriteInstant(w, LeftWatermark);
        WriteInstant(w, RightWatermark);
        foreach (var c in CounterValues())
        {
            w.WriteInt64(c);
        }

        w.WriteCount(_slots.Count);
        foreach (var state in _slots)
        {
            w.WriteByte(state is null ? (byte)0 : (byte)1);
            if (state is not null)
            {
                w.WriteValue(_options.KeySerializer, state.Key);
                WriteBuffer(w, state.Left, _options.LeftSerializer);
                WriteBuffer(w, state.Right, _options.RightSerializer);
            }
        }

        var free = _freeSlots.ToArray();
        Array.Reverse(free);
        w.WriteCount(free.Length);
        foreach (var slot in free)
        {
            w.WriteCount(slot);
        }

        WriteTimers(w, _timers.RunItems(0));
        WriteTimers(w, _timers.RunItems(1));
        WriteTimers(w, _timers.HeapItems());
        return w.Finish();
    }

    /// <summary>
    /// Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with the same key
    /// selectors, bounds, output and options, and given no record, watermark or earlier snapshot. Counters and gauges read
    /// as they did when the snapshot was taken.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a snapshot, have another format version, were taken by
    /// another kind of operator or with other bounds or join type, or are truncated or corrupt; the operator is left
    /// unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        if (_restored || Counters.LeftInCount != 0 || Counters.RightInCount != 0 || _tracker.Current != Instant.MinValue
            || LeftWatermark != Instant.MinValue || RightWatermark != Instant.MinValue)
        {
            throw new InvalidOperationException("Restore needs a fresh operator: this one has already received records, a watermark or a snapshot.");
        }

        var r = SnapshotReader.OpenOperator(snapshot, SnapshotKind);

        var at = r.Position;
        var (lower, upper, type) = (r.ReadInt64("lower bound"), r.ReadInt64("upper bound"), r.ReadByte("join type"));
        if (lower != _lower || upper != _upper || type != (byte)JoinType)
        {
            throw new SnapshotFormatException(
                $"The snapshot was taken with other bounds or join type: ticks [{lower}, {upper}] type {type}, this operator has [{_lower}, {_upper}] type {(byte)JoinType} ({JoinType})", at);
        }

        var leftWatermark = ReadInstant(ref r, "left watermark");
        var rightWatermark = ReadInstant(ref r, "right watermark");
        var counters = new long[CounterCount];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = r.ReadInt64("counter");
        }

        var slots = new IntervalKeyState<TKey, TLeft, TRight>?[r.ReadItemCount("number of key slots")];
        var keys = new Dictionary<TKey, IntervalKeyState<TKey, TLeft, TRight>>(_options.KeyComparer);
        for (var i = 0; i < slots.Length; i++)
        {
            at = r.Position;
            if (r.ReadByte("slot marker") == 0)
            {
                continue;
            }

            var key = r.ReadValue(_options.KeySerializer, "key");
            if (key is null || !keys.TryAdd(key, slots[i] = new IntervalKeyState<TKey, TLeft, TRight>(key, i)))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: key slot {i} has a null or repeated key", at);
            }

            ReadBuffer(ref r, ref slots[i]!.Left, _options.LeftSerializer, "left record");
            ReadBuffer(ref r, ref slots[i]!.Right, _options.RightSerializer, "right record");
        }

        var free = new int[r.ReadItemCount("number of free slots")];
        for (var i = 0; i < free.Length; i++)
        {
            at = r.Position;
            free[i] = r.ReadIndex("free slot", slots.Length);
            if (slots[free[i]] is not null)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: free slot {free[i]} holds a key", at);
            }
        }

        var leftRun = ReadTimers(ref r, slots.Length);
        var rightRun = ReadTimers(ref r, slots.Length);
        var heap = ReadTimers(ref r, slots.Length);
        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} bytes after the timers", r.Position);
        }

        Validate(slots, leftRun, rightRun, heap, counters);
        _restored = true;
        _tracker.Update(0, leftWatermark);
        _tracker.Update(1, rightWatermark);
        _leftWatermark = EventTicks.ToTicks(leftWatermark);
        _rightWatermark = EventTicks.ToTicks(rightWatermark);
        _watermark = EventTicks.ToTicks(_tracker.Current);
        _slots.AddRange(slots);
        foreach (var (key, state) in keys)
        {
            _keys.Add(key, state);
        }

        foreach (var slot in free)
        {
            _freeSlots.Push(slot);
        }

        _timers.Load(leftRun, rightRun, heap);
        var c = Counters;
        (c.LeftInCount, c.RightInCount, c.LeftLateCount, c.RightLateCount, c.LeftBufferedCount, c.RightBufferedCount) =
            (counters[0], counters[1], counters[2], counters[3], counters[4], counters[5]);
        (c.LeftJoinedCount, c.RightJoinedCount, c.LeftUnmatchedCount, c.RightUnmatchedCount, c.PairCount, c.KeyCount, c.TimerCount) =
            (counters[6], counters[7], counters[8], counters[9], counters[10], counters[11], counters[12]);
    }

    private long[] CounterValues()
    {
        var c = Counters;
        return
        [
            c.LeftInCount, c.RightInCount, c.LeftLateCount, c.RightLateCount, c.LeftBufferedCount, c.RightBufferedCount,
            c.LeftJoinedCount, c.RightJoinedCount, c.LeftUnmatchedCount, c.RightUnmatchedCount, c.PairCount, c.KeyCount, c.TimerCount,
        ];
    }

    /// <summary>Checks what makes the cleanup invariant hold: one timer per buffered record, each at its record's expiry side and slot, and consistent gauges.</summary>
    private static void Validate(IntervalKeyState<TKey, TLeft, TRight>?[] slots, CleanupTimer[] leftRun, CleanupTimer[] rightRun, CleanupTimer[] heap, long[] counters)
    {
        if (CleanupTimers.FindViolation(leftRun, rightRun, heap) is { } violation)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {violation}");
        }

        var perTarget = new int[slots.Length * 2];
        foreach (var timer in leftRun.Concat(rightRun).Concat(heap))
        {
            if (slots[timer.Target >> 1] is null)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: a timer refers to the free key slot {timer.Target >> 1}");
            }

            perTarget[timer.Target]++;
        }

        long left = 0, right = 0, keys = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is not { } state)
            {
                continue;
            }

            if (state.IsEmpty || perTarget[2 * i] != state.Left.Count || perTarget[(2 * i) + 1] != state.Right.Count)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: the buffers of key slot {i} do not match its timers");
            }

            (left, right, keys) = (left + state.Left.Count, right + state.Right.Count, keys + 1);
        }

        if (counters[4] != left || counters[5] != right || counters[11] != keys || counters[12] != leftRun.Length + rightRun.Length + heap.Length)
        {
            throw new SnapshotFormatException("Corrupt snapshot: the gauges do not match the buffered state");
        }
    }

    private static void WriteInstant(SnapshotWriter w, Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        w.WriteInt64(ticks);
        w.WriteByte((byte)(instant - Instant.FromUnixTimeTicks(ticks)).ToInt64Nanoseconds());
    }

    private static Instant ReadInstant(ref SnapshotReader r, string what)
    {
        var at = r.Position;
        var ticks = r.ReadInt64(what);
        var nanos = r.ReadByte(what);
        if (nanos > 99 || ticks < Instant.MinValue.ToUnixTimeTicks() || ticks > Instant.MaxValue.ToUnixTimeTicks())
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the {what} is not a valid instant", at);
        }

        return Instant.FromUnixTimeTicks(ticks).PlusNanoseconds(nanos);
    }

    private static void WriteBuffer<T>(SnapshotWriter w, in JoinBuffer<T> buffer, IStateSerializer<T> serializer)
    {
        w.WriteCount(buffer.Count);
        for (var i = 0; i < buffer.Count; i++)
        {
            ref var entry = ref buffer[i];
            WriteInstant(w, entry.Timestamp);
            w.WriteByte(entry.Matched ? (byte)1 : (byte)0);
            w.WriteValue(serializer, entry.Value);
        }
    }

    private static void ReadBuffer<T>(ref SnapshotReader r, ref JoinBuffer<T> buffer, IStateSerializer<T> serializer, string what)
    {
        var count = r.ReadItemCount($"number of {what}s");
        for (var i = 0; i < count; i++)
        {
            var at = r.Position;
            var timestamp = ReadInstant(ref r, $"{what} timestamp");
            var matched = r.ReadByte($"{what} matched flag");
            var value = r.ReadValue(serializer, what);
            var ticks = EventTicks.ToTicks(timestamp);
            if (matched > 1 || (buffer.Count > 0 && buffer[buffer.Count - 1].Ticks > ticks))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: the {what}s of a key are not in timestamp order or have an invalid flag", at);
            }

            buffer.Insert(ticks, JoinEntry<T>.SubTickOf(timestamp, ticks), value, matched == 1);
        }
    }

    private static void WriteTimers(SnapshotWriter w, CleanupTimer[] timers)
    {
        w.WriteCount(timers.Length);
        foreach (var timer in timers)
        {
            w.WriteInt64(timer.Time);
            w.WriteCount(timer.Target);
        }
    }

    private static CleanupTimer[] ReadTimers(ref SnapshotReader r, int slots)
    {
        var timers = new CleanupTimer[r.ReadItemCount("number of timers")];
        for (var i = 0; i < timers.Length; i++)
        {
            timers[i] = new CleanupTimer(r.ReadInt64("timer time"), r.ReadIndex("timer target", slots * 2));
        }

        return timers;
    }
}
