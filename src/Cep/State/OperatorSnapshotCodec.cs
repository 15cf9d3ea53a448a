using Cep.Nfa;
using Cep.Operators;

namespace Cep.State;

/// <summary>
/// Writes an <see cref="OperatorSnapshot{TKey, T}"/> as bytes and reads it back, validating everything it reads so
/// that applying the result to a fresh operator cannot fail half-way.
/// </summary>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// fingerprint     string (stage names, states and their kinds, windows, skip strategy)
/// time mode       byte
/// watermark, arrival sequence, next event id               int64 x 3
/// counters        int64 x 11: in, processed, late, failed, buffered, matches, timeouts,
///                 gauges as last published: partial matches, shared-buffer events, shared-buffer entries, keys
/// events          count, then per event: timestamp int64, id int64, value
/// nodes           count, then per node: event index, stage, parent index + 1 (0 = none; always a lower index)
/// slots           count, then per slot: 0 (free) or 1 followed by
///                   key, current time int64, timer int64, buffered count,
///                   partial matches: count, then state, node index, start ts int64, prev ts int64, start id int64
///                   held matches: the same
/// free slots      count, then the slots from the bottom of the stack to its top
/// records         count, then per record in heap order: timestamp int64, sequence int64, slot, value
/// timers          count, then per timer in heap order: time int64, slot
/// </code>
/// Values (keys and events) are a length followed by the bytes of the user serializer.
/// </remarks>
internal static class OperatorSnapshotCodec
{
    public static byte[] Write<TKey, T>(OperatorSnapshot<TKey, T> s, SnapshotOptions<TKey, T> serializers)
    {
        var w = new SnapshotWriter();
        SnapshotFormat.WriteHeader(w);
        w.WriteString(s.Fingerprint);
        w.WriteByte(s.TimeMode);
        w.WriteInt64(s.Watermark);
        w.WriteInt64(s.ArrivalSeq);
        w.WriteInt64(s.EventId);
        foreach (var c in s.Counters)
        {
            w.WriteInt64(c);
        }

        w.WriteCount(s.Events.Length);
        foreach (var e in s.Events)
        {
            w.WriteInt64(e.Timestamp);
            w.WriteInt64(e.Id);
            w.WriteValue(serializers.EventSerializer, e.Value);
        }

        w.WriteCount(s.Nodes.Length);
        foreach (var n in s.Nodes)
        {
            w.WriteCount(n.Event);
            w.WriteCount(n.Stage);
            w.WriteCount(n.Parent + 1);
        }

        w.WriteCount(s.Slots.Length);
        foreach (var key in s.Slots)
        {
            w.WriteByte(key is null ? (byte)0 : (byte)1);
            if (key is not null)
            {
                w.WriteValue(serializers.KeySerializer, key.Key);
                w.WriteInt64(key.CurrentTime);
                w.WriteInt64(key.TimerAt);
                w.WriteCount(key.Buffered);
                WriteStates(w, key.Partial);
                WriteStates(w, key.Completed);
            }
        }

        w.WriteCount(s.FreeSlots.Length);
        foreach (var slot in s.FreeSlots)
        {
            w.WriteCount(slot);
        }

        w.WriteCount(s.Records.Length);
        foreach (var r in s.Records)
        {
            w.WriteInt64(r.Ticks);
            w.WriteInt64(r.Seq);
            w.WriteCount(r.Slot);
            w.WriteValue(serializers.EventSerializer, r.Value);
        }

        w.WriteCount(s.Timers.Length);
        foreach (var (time, slot) in s.Timers)
        {
            w.WriteInt64(time);
            w.WriteCount(slot);
        }

        return w.Finish();
    }

    /// <exception cref="SnapshotFormatException">The bytes are not a valid snapshot for <paramref name="shape"/>.</exception>
    public static OperatorSnapshot<TKey, T> Read<TKey, T>(ReadOnlySpan<byte> bytes, SnapshotShape shape, SnapshotOptions<TKey, T> serializers)
    {
        var r = new SnapshotReader(SnapshotFormat.Open(bytes));
        r.Skip(SnapshotFormat.HeaderSize, "header");
        var s = new OperatorSnapshot<TKey, T>();
        var at = r.Position;
        s.Fingerprint = r.ReadString("pattern fingerprint");
        if (s.Fingerprint != shape.Fingerprint)
        {
            throw new SnapshotFormatException(
                $"The snapshot was taken with a different pattern: the snapshot has {s.Fingerprint}, this operator has {shape.Fingerprint}", at);
        }

        at = r.Position;
        s.TimeMode = r.ReadByte("time mode");
        if (s.TimeMode != (byte)shape.TimeMode)
        {
            throw new SnapshotFormatException(
                $"The snapshot was taken in time mode {(TimeMode)s.TimeMode}, this operator runs in {shape.TimeMode}", at);
        }

        s.Watermark = r.ReadInt64("watermark");
        s.ArrivalSeq = r.ReadInt64("arrival sequence");
        s.EventId = r.ReadInt64("event id counter");
        for (var i = 0; i < s.Counters.Length; i++)
        {
            at = r.Position;
            s.Counters[i] = r.ReadInt64("counters");
            if (s.Counters[i] < 0)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: counter {i} is negative ({s.Counters[i]})", at);
            }
        }

        s.Events = new SnapshotEvent<T>[r.ReadItemCount("number of events")];
        for (var i = 0; i < s.Events.Length; i++)
        {
            var ts = r.ReadInt64("event timestamp");
            var id = r.ReadInt64("event id");
            s.Events[i] = new SnapshotEvent<T>(r.ReadValue(serializers.EventSerializer, "event"), ts, id);
        }

        var eventUsed = new bool[s.Events.Length];
        s.Nodes = new SnapshotNode[r.ReadItemCount("number of nodes")];
        var nodeUsed = new bool[s.Nodes.Length];
        for (var i = 0; i < s.Nodes.Length; i++)
        {
            var ev = r.ReadIndex("event index of a node", s.Events.Length);
            var stage = r.ReadIndex("stage of a node", shape.StageCount);
            var parent = r.ReadIndex("parent of a node", i + 1) - 1;
            s.Nodes[i] = new SnapshotNode(ev, stage, parent);
            eventUsed[ev] = true;
            if (parent >= 0)
            {
                nodeUsed[parent] = true;
            }
        }

        s.Slots = new SnapshotKey<TKey>?[r.ReadItemCount("number of key slots")];
        for (var i = 0; i < s.Slots.Length; i++)
        {
            at = r.Position;
            var present = r.ReadByte("key slot marker");
            if (present > 1)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: key slot {i} has marker {present}, expected 0 or 1", at);
            }

            if (present == 1)
            {
                var key = new SnapshotKey<TKey>(r.ReadValue(serializers.KeySerializer, "key"))
                {
                    CurrentTime = r.ReadInt64("key time"),
                    TimerAt = r.ReadInt64("key timer"),
                    Buffered = r.ReadCount("buffered count of a key", int.MaxValue),
                };
                key.Partial = ReadStates(ref r, shape, s.Nodes.Length, nodeUsed, final: false);
                key.Completed = ReadStates(ref r, shape, s.Nodes.Length, nodeUsed, final: true);
                s.Slots[i] = key;
            }
        }

        ReadFreeSlots(ref r, s);
        ReadRecords(ref r, s, serializers);
        s.Timers = new (long, int)[r.ReadItemCount("number of timers")];
        for (var i = 0; i < s.Timers.Length; i++)
        {
            s.Timers[i] = (r.ReadInt64("timer time"), r.ReadIndex("slot of a timer", s.Slots.Length));
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} unexpected bytes after the timers", r.Position);
        }

        CheckReachable(nodeUsed, "node", "is held by no partial match and is no node's parent");
        CheckReachable(eventUsed, "event", "is taken by no node");
        return s;
    }

    private static void WriteStates(SnapshotWriter w, ComputationState[] states)
    {
        w.WriteCount(states.Length);
        foreach (var cs in states)
        {
            w.WriteCount(cs.State);
            w.WriteCount(cs.Node);
            w.WriteInt64(cs.StartTs);
            w.WriteInt64(cs.PrevTs);
            w.WriteInt64(cs.StartId);
        }
    }

    private static ComputationState[] ReadStates(ref SnapshotReader r, SnapshotShape shape, int nodeCount, bool[] nodeUsed, bool final)
    {
        var what = final ? "held match" : "partial match";
        var states = new ComputationState[r.ReadItemCount($"number of {what}es")];
        for (var i = 0; i < states.Length; i++)
        {
            var at = r.Position;
            var state = r.ReadIndex($"state of a {what}", shape.StateKinds.Length);
            var kind = shape.StateKinds[state];
            if (final ? kind != StateKind.Final : kind is not (StateKind.Normal or StateKind.Pending))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: a {what} is in state {state}, a {kind} state", at);
            }

            var node = r.ReadIndex($"node of a {what}", nodeCount);
            nodeUsed[node] = true;
            states[i] = new ComputationState(state, node, r.ReadInt64("start time"), r.ReadInt64("previous time"), r.ReadInt64("start id"));
        }

        return states;
    }

    private static void ReadFreeSlots<TKey, T>(ref SnapshotReader r, OperatorSnapshot<TKey, T> s)
    {
        var at = r.Position;
        s.FreeSlots = new int[r.ReadItemCount("number of free slots")];
        var seen = new bool[s.Slots.Length];
        for (var i = 0; i < s.FreeSlots.Length; i++)
        {
            var slotAt = r.Position;
            var slot = r.ReadIndex("free slot", s.Slots.Length);
            if (s.Slots[slot] is not null || seen[slot])
            {
                throw new SnapshotFormatException($"Corrupt snapshot: slot {slot} is listed as free but is in use or listed twice", slotAt);
            }

            seen[slot] = true;
            s.FreeSlots[i] = slot;
        }

        var empty = s.Slots.Count(k => k is null);
        if (empty != s.FreeSlots.Length)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {empty} key slots are empty but {s.FreeSlots.Length} are listed as free", at);
        }
    }

    private static void ReadRecords<TKey, T>(ref SnapshotReader r, OperatorSnapshot<TKey, T> s, SnapshotOptions<TKey, T> serializers)
    {
        var at = r.Position;
        s.Records = new BufferedRecord<T>[r.ReadItemCount("number of buffered records")];
        var perSlot = new int[s.Slots.Length];
        for (var i = 0; i < s.Records.Length; i++)
        {
            var ticks = r.ReadInt64("record timestamp");
            var seq = r.ReadInt64("record sequence");
            var slotAt = r.Position;
            var slot = r.ReadIndex("slot of a record", s.Slots.Length);
            if (s.Slots[slot] is null)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: a buffered record belongs to free slot {slot}", slotAt);
            }

            perSlot[slot]++;
            s.Records[i] = new BufferedRecord<T> { Ticks = ticks, Seq = seq, Slot = slot, Value = r.ReadValue(serializers.EventSerializer, "record") };
        }

        for (var slot = 0; slot < s.Slots.Length; slot++)
        {
            if (s.Slots[slot] is { } key && key.Buffered != perSlot[slot])
            {
                throw new SnapshotFormatException($"Corrupt snapshot: key slot {slot} counts {key.Buffered} buffered records, the buffer holds {perSlot[slot]}", at);
            }
        }

        if (s.Counters[OperatorSnapshot<TKey, T>.BufferedCounter] != s.Records.Length)
        {
            throw new SnapshotFormatException(
                $"Corrupt snapshot: the buffered counter is {s.Counters[OperatorSnapshot<TKey, T>.BufferedCounter]}, the buffer holds {s.Records.Length} records", at);
        }
    }

    private static void CheckReachable(bool[] used, string what, string problem)
    {
        var i = Array.IndexOf(used, false);
        if (i >= 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {what} {i} {problem}");
        }
    }
}
