using Cep.State;
using Cep.Time;

namespace Cep.Joins.CoProcess;

/// <content>Snapshots: keyed state, timers, watermarks and counters to bytes and back.</content>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// kind            string "KeyedCoProcess"
/// layout          string: the declared states (name, kind, TTL), which the restoring operator must match
/// watermarks      int64 x 2 (first input, second input); timer sequence int64
/// counters        int64 x 10 (see CoProcessCounters)
/// keys            count, then per key: key, then per declared state: 0 (none) or 1 followed by the state's values
/// event timers    count, then per timer in firing order: time int64, sequence int64, key index
/// proc. timers    the same
/// </code>
/// </remarks>
public sealed partial class KeyedCoProcessOperator<TKey, T1, T2, TOut>
{
    private const string Kind = "KeyedCoProcess";
    private bool _restored;

    /// <summary>
    /// Writes the operator's state to bytes: every key's state values with their TTL stamps, the pending timers of both
    /// domains, both inputs' watermarks and the counters. <see cref="Restore"/> on a fresh operator built with an equivalent
    /// function (same states), key selectors, output and options continues exactly where this one is.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", version, length, checksum).</returns>
    /// <exception cref="Exception">A key or state serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside a callback.</remarks>
    public byte[] Snapshot()
    {
        var w = new SnapshotWriter();
        SnapshotFormat.WriteHeader(w);
        w.WriteString(Kind);
        w.WriteString(Layout());
        _intake.WriteInputWatermarks(w);
        w.WriteInt64(_timerSeq);
        foreach (var c in Counters.ToArray())
        {
            w.WriteInt64(c);
        }

        var index = new Dictionary<TKey, int>();
        w.WriteCount(_keys.Count);
        foreach (var entry in _keys.Values)
        {
            index.Add(entry.Key, index.Count);
            w.WriteValue(_options.KeySerializer, entry.Key);
            for (var s = 0; s < _descriptors.Count; s++)
            {
                var cell = entry.Cells[s];
                w.WriteByte(cell is { Count: > 0 } ? (byte)1 : (byte)0);
                if (cell is { Count: > 0 })
                {
                    _descriptors[s].WriteCell(w, cell);
                }
            }
        }

        foreach (var queue in (ReadOnlySpan<TimerQueue<TKey>>)[_eventTimers, _processingTimers])
        {
            w.WriteCount(queue.Count);
            foreach (var timer in queue.Items)
            {
                w.WriteInt64(timer.Time);
                w.WriteInt64(timer.Seq);
                w.WriteCount(index[timer.Key]);
            }
        }

        return w.Finish();
    }

    /// <summary>
    /// Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with an equivalent
    /// function, key selectors, output and options, and given no record, watermark or earlier snapshot. Pending
    /// processing-time timers are scheduled again; those already due fire at the scheduler's next run.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a co-process snapshot, were taken with other states, or
    /// are truncated or corrupt; the operator is left unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        _intake.RequireFresh(_restored || Counters.In1 + Counters.In2 != 0 || _keys.Count != 0);

        var r = new SnapshotReader(SnapshotFormat.Open(snapshot));
        r.Skip(SnapshotFormat.HeaderSize, "header");
        var at = r.Position;
        if (r.ReadString("operator kind") is var kind && kind != Kind)
        {
            throw new SnapshotFormatException($"Not a co-process snapshot: it was written by a '{kind}' operator", at);
        }

        at = r.Position;
        if (r.ReadString("state layout") is var layout && layout != Layout())
        {
            throw new SnapshotFormatException($"The snapshot was taken with other states: the snapshot has [{layout}], this operator has [{Layout()}]", at);
        }

        var w1 = r.ReadInt64("first watermark");
        var w2 = r.ReadInt64("second watermark");
        var seq = r.ReadInt64("timer sequence");
        var counters = new long[CoProcessCounters.Count];
        for (var i = 0; i < counters.Length; i++)
        {
            at = r.Position;
            counters[i] = r.ReadInt64("counters");
            if (counters[i] < 0)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: counter {i} is negative ({counters[i]})", at);
            }
        }

        var entries = new List<KeyEntry<TKey>>();
        var keys = new Dictionary<TKey, KeyEntry<TKey>>();
        var count = r.ReadItemCount("number of keys");
        for (var k = 0; k < count; k++)
        {
            at = r.Position;
            var key = r.ReadValue(_options.KeySerializer, "key");
            var entry = new KeyEntry<TKey>(key, _descriptors.Count);
            if (key is null || !keys.TryAdd(key, entry))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: a null or repeated key '{key}'", at);
            }

            entries.Add(entry);
            for (var s = 0; s < _descriptors.Count; s++)
            {
                if (r.ReadByte("state presence") != 0)
                {
                    entry.Cells[s] = _descriptors[s].ReadCell(ref r);
                }
            }
        }

        var timers = new List<CoTimer<TKey>>[2];
        for (var d = 0; d < 2; d++)
        {
            timers[d] = [];
            var n = r.ReadItemCount("number of timers");
            for (var i = 0; i < n; i++)
            {
                var time = r.ReadInt64("timer time");
                var timerSeq = r.ReadInt64("timer sequence");
                var entry = entries[r.ReadIndex("timer key", entries.Count)];
                timers[d].Add(new CoTimer<TKey>(time, timerSeq, entry.Key));
                entry.Timers++;
            }
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} bytes follow the last timer", r.Position);
        }

        Apply(keys, timers, w1, w2, seq, counters);
    }

    private void Apply(Dictionary<TKey, KeyEntry<TKey>> keys, List<CoTimer<TKey>>[] timers, long w1, long w2, long seq, long[] counters)
    {
        _restored = true;
        foreach (var (key, entry) in keys)
        {
            _keys.Add(key, entry);
            for (var s = 0; s < _descriptors.Count; s++)
            {
                if (_descriptors[s].Ttl is { } ttl && entry.Cells[s] is { } cell)
                {
                    var queue = ttl.Domain == TimeDomain.EventTime ? _eventExpiry : _processingExpiry;
                    foreach (var stamp in cell.Stamps)
                    {
                        queue.Enqueue((key, s), EventTicks.Plus(stamp, ttl.TtlTicks));
                    }
                }
            }
        }

        foreach (var t in timers[0])
        {
            _eventTimers.Add(t.Key, t.Time, t.Seq);
        }

        foreach (var t in timers[1])
        {
            _processingTimers.Add(t.Key, t.Time, t.Seq);
        }

        _intake.Restore([w1, w2], [], null);
        _timerSeq = seq;
        Counters.Load(counters);
        UpdateGauges();
        if (_processingTimers.Count > 0)
        {
            ScheduleWakeUp(_processingTimers.PeekTime);
        }
    }

    private string Layout() => string.Join(
        ";",
        _descriptors.Select(d => d.Ttl is { } ttl ? $"{d.Name}:{d.Kind}:{ttl.Domain}:{ttl.TtlTicks}" : $"{d.Name}:{d.Kind}"));
}
