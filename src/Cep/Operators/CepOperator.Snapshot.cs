using Cep.Nfa;
using Cep.Patterns;
using Cep.State;

namespace Cep.Operators;

/// <content>Snapshots: the operator's whole state to bytes and back.</content>
public sealed partial class CepOperator<TKey, T>
{
    private readonly SnapshotOptions<TKey, T> _snapshotOptions = new();
    private bool _restored;

    /// <summary>Creates an operator that matches <paramref name="pattern"/> per key, with the serializers its snapshots use.</summary>
    /// <param name="pattern">The pattern; compiled here.</param>
    /// <param name="keySelector">Extracts a record's key.</param>
    /// <param name="output">Receives matches, timeouts, late records and errors.</param>
    /// <param name="options">Options; defaults if null.</param>
    /// <param name="snapshotOptions">The key and event serializers of <see cref="Snapshot"/> and <see cref="Restore"/>;
    /// <see cref="StateSerializer.Default{T}"/> for both if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/>, <paramref name="keySelector"/> or <paramref name="output"/> is null.</exception>
    /// <exception cref="PatternException">The pattern is malformed.</exception>
    /// <exception cref="ArgumentException">Processing time is selected without a scheduler.</exception>
    public CepOperator(
        Pattern<T> pattern,
        Func<T, TKey> keySelector,
        ICepOutput<TKey, T> output,
        CepOperatorOptions<T>? options,
        SnapshotOptions<TKey, T>? snapshotOptions)
        : this(pattern, keySelector, output, options)
    {
        _snapshotOptions = snapshotOptions ?? new SnapshotOptions<TKey, T>();
    }

    /// <summary>
    /// Writes the operator's whole state to bytes: the buffered records with their arrival order, every key's partial
    /// matches, held matches, time and timer, the events those matches took, the watermark, the pending timers and the
    /// counters. <see cref="Restore"/> on a fresh operator built with the same pattern, key selector, output and options
    /// continues exactly where this one is.
    /// </summary>
    /// <returns>The snapshot; it starts with the magic "CEPS", a format version and a fingerprint of the pattern.</returns>
    /// <exception cref="Exception">A key or event serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside an output callback. Keys and events are written by
    /// the serializers of the <see cref="SnapshotOptions{TKey, T}"/> given to the constructor.</remarks>
    public byte[] Snapshot()
    {
        var buffer = _runtime.Buffer;
        var s = new OperatorSnapshot<TKey, T>
        {
            Fingerprint = SnapshotShape.FingerprintOf(_runtime.Nfa),
            TimeMode = (byte)_options.TimeMode,
            Watermark = _watermark,
            ArrivalSeq = _arrivalSeq,
            EventId = _eventId,
            Counters =
            [
                Counters.In, Counters.Processed, Counters.Late, Counters.Failed, Counters.Buffered, Counters.MatchCount, Counters.TimeoutCount,
                Counters.PartialMatches, Counters.SharedBufferEvents, Counters.SharedBufferEntries, Counters.Keys,
            ],
        };

        var nodeIndex = new Dictionary<int, int>();
        var eventIndex = new Dictionary<int, int>();
        var nodes = new List<SnapshotNode>();
        var events = new List<SnapshotEvent<T>>();
        var chain = new Stack<int>();

        // Numbers the nodes a match reaches, parents first, and each event once.
        int IndexOf(int node)
        {
            for (var n = node; n >= 0 && !nodeIndex.ContainsKey(n); n = buffer.Parent(n))
            {
                chain.Push(n);
            }

            while (chain.Count > 0)
            {
                var n = chain.Pop();
                var slot = buffer.EventKey(n);
                if (!eventIndex.TryGetValue(slot, out var ev))
                {
                    ev = events.Count;
                    eventIndex.Add(slot, ev);
                    events.Add(new SnapshotEvent<T>(buffer.NodeValue(n), buffer.NodeTimestamp(n), buffer.NodeEventId(n)));
                }

                var parent = buffer.Parent(n);
                nodeIndex.Add(n, nodes.Count);
                nodes.Add(new SnapshotNode(ev, buffer.Stage(n), parent < 0 ? -1 : nodeIndex[parent]));
            }

            return nodeIndex[node];
        }

        // A stored partial match's last event is its node's, so the snapshot's previous timestamp is that event's.
        ComputationState[] MapPartial(ReadOnlySpan<PartialMatch> partials, int count)
        {
            var result = new ComputationState[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = partials[i].Widen(buffer.NodeTimestamp(partials[i].Node));
                result[i].Node = IndexOf(partials[i].Node);
            }

            return result;
        }

        ComputationState[] Map(ReadOnlySpan<ComputationState> states, int count)
        {
            var result = new ComputationState[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = states[i];
                result[i].Node = IndexOf(states[i].Node);
            }

            return result;
        }

        s.Slots = new SnapshotKey<TKey>?[_slots.Count];
        for (var i = 0; i < _slots.Count; i++)
        {
            if (_slots[i].State is { } key)
            {
                s.Slots[i] = new SnapshotKey<TKey>(key.Key)
                {
                    CurrentTime = key.CurrentTime,
                    TimerAt = key.TimerAt,
                    Buffered = Math.Max(0, _slots[i].Buffered), // a retained key is written as a key that holds nothing
                    Partial = MapPartial(key.Partial, key.PartialCount),
                    Completed = Map(key.Completed, key.CompletedCount),
                };
            }
        }

        s.Events = [.. events];
        s.Nodes = [.. nodes];
        s.FreeSlots = _freeSlots.ToArray();
        Array.Reverse(s.FreeSlots);
        s.Records = _buffer.Items.ToArray();
        s.Timers = _timers.Items.ToArray();
        return OperatorSnapshotCodec.Write(s, _snapshotOptions);
    }

    /// <summary>
    /// Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with the same
    /// pattern, key selector, output and options, and given no record, watermark or earlier snapshot. Counters are
    /// restored too, so they still balance, and the gauges read as they did when the snapshot was taken. In processing time the earliest pending timer is scheduled again.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a snapshot, have another format version, were taken
    /// with another pattern or time mode, or are truncated or corrupt; the operator is left unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        if (_restored || Counters.In != 0 || _watermark != long.MinValue || _slots.Count != 0 || _timers.Count != 0)
        {
            throw new InvalidOperationException("Restore needs a fresh operator: this one has already received records, a watermark or a snapshot.");
        }

        var nfa = _runtime.Nfa;
        var shape = new SnapshotShape(SnapshotShape.FingerprintOf(nfa), _options.TimeMode, nfa.StageNames.Length, [.. nfa.States.Select(st => st.Kind)]);
        var s = OperatorSnapshotCodec.Read(snapshot, shape, _snapshotOptions);
        Validate(s);
        _restored = true;

        var buffer = _runtime.Buffer;
        var eventSlots = new int[s.Events.Length];
        for (var i = 0; i < eventSlots.Length; i++)
        {
            eventSlots[i] = buffer.AddEvent(s.Events[i].Value, s.Events[i].Timestamp, s.Events[i].Id);
        }

        var nodeSlots = new int[s.Nodes.Length];
        for (var i = 0; i < nodeSlots.Length; i++)
        {
            var n = s.Nodes[i];
            nodeSlots[i] = buffer.AddNode(eventSlots[n.Event], n.Stage, n.Parent < 0 ? -1 : nodeSlots[n.Parent]);
        }

        long partials = 0;
        for (var i = 0; i < s.Slots.Length; i++)
        {
            if (s.Slots[i] is not { } saved)
            {
                _slots.AddFree();
                continue;
            }

            var key = new KeyState<TKey>(saved.Key, i) { CurrentTime = saved.CurrentTime, TimerAt = saved.TimerAt };
            var buffered = saved.Buffered;
            if (saved.Buffered == 0 && saved.Partial.Length == 0 && saved.Completed.Length == 0 && saved.TimerAt == long.MaxValue)
            {
                buffered = -1; // a key that holds nothing was retained by the snapshotting operator
                _retained++;
            }

            foreach (var cs in saved.Partial)
            {
                var partial = default(PartialMatch);
                PartialMatch.Write(ref partial, cs.State, nodeSlots[cs.Node], cs.StartTs, cs.StartId); // not marked exclusive: the conservative reading
                key.AddPartial(partial, _runtime.PartialPool);
                buffer.Lock(nodeSlots[cs.Node]);
            }

            foreach (var cs in saved.Completed)
            {
                key.AddCompleted(new ComputationState(cs.State, nodeSlots[cs.Node], cs.StartTs, cs.PrevTs, cs.StartId));
                buffer.Lock(nodeSlots[cs.Node]);
            }

            partials += saved.Partial.Length;
            _slots.Add(saved.Key, i, key, buffered);
        }

        // The nodes hold the events now; drop the holds AddEvent gave.
        foreach (var slot in eventSlots)
        {
            buffer.ReleaseEvent(slot);
        }

        _runtime.AddRestoredPartialMatches(partials);
        foreach (var slot in s.FreeSlots)
        {
            _freeSlots.Push(slot);
        }

        _buffer.Load(s.Records);
        _timers.Load(s.Timers);
        _watermark = s.Watermark;
        _arrivalSeq = s.ArrivalSeq;
        _eventId = s.EventId;
        (Counters.In, Counters.Processed, Counters.Late, Counters.Failed) = (s.Counters[0], s.Counters[1], s.Counters[2], s.Counters[3]);
        (Counters.Buffered, Counters.MatchCount, Counters.TimeoutCount) = (s.Counters[4], s.Counters[5], s.Counters[6]);
        (Counters.PartialMatches, Counters.SharedBufferEvents, Counters.SharedBufferEntries, Counters.Keys) = (s.Counters[7], s.Counters[8], s.Counters[9], s.Counters[10]);
        if (_timers.Count > 0)
        {
            OnTimerRegistered(_timers.PeekTime);
        }
    }

    /// <summary>The checks that need the operator: key equality and the order of the buffer.</summary>
    private void Validate(OperatorSnapshot<TKey, T> s)
    {
        var keys = new HashSet<TKey>();
        foreach (var saved in s.Slots)
        {
            if (saved is null)
            {
                continue;
            }

            if (saved.Key is null)
            {
                throw new SnapshotFormatException("Corrupt snapshot: the key serializer read a null key");
            }

            if (!keys.Add(saved.Key))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: key '{saved.Key}' has two key slots");
            }

            foreach (var cs in saved.Partial)
            {
                // The codec checked the node index; a partial match's last event is its node's.
                if (cs.PrevTs != s.Events[s.Nodes[cs.Node].Event].Timestamp)
                {
                    throw new SnapshotFormatException(
                        $"Corrupt snapshot: a partial match of key '{saved.Key}' took its last event at {cs.PrevTs}, but its node's event is at {s.Events[s.Nodes[cs.Node].Event].Timestamp}");
                }
            }
        }

        var record = _buffer.FindHeapViolation(s.Records);
        if (record >= 0)
        {
            throw new SnapshotFormatException(
                $"The buffered records are not in heap order at record {record}: the snapshot is corrupt, or the record comparer differs from the snapshotting operator's");
        }

        var timer = TimerHeap.FindHeapViolation(s.Timers);
        if (timer >= 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the timers are not in heap order at timer {timer}");
        }
    }
}
