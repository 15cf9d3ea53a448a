using Cep.State;
using Cep.Time;

namespace Cep.Joins.Retry;

/// <content>Snapshots: the queue's whole state to bytes and back.</content>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// kind            string "retry-queue"
/// fingerprint     string: levels, time mode, TTL, batch size, key order
/// clock           int64 x 3: watermark, next arrival number, next round number; ended flag byte
/// counters        count, then int64 each, in the order of RetryQueueCounters (totals, then each level)
/// records         count, then per pending record in arrival order: arrival int64, key, record, timestamp int64,
///                 level, attempt, total attempts, due int64, last error (0, or 1 then type string and message string),
///                 done byte, and for a done record: done time int64, then 1 and the value (joined) or 0 and the reason
/// </code>
/// The waiting heap, the per-key order and the processing-time timer are rebuilt from the records.
/// </remarks>
public sealed partial class RetryQueueOperator<TKey, TIn, TValue>
{
    private const string SnapshotKind = "retry-queue";
    private bool _restored;

    private string Fingerprint =>
        $"levels=[{string.Join("; ", _levels.Select(l => l.ToString()))}];time={_options.TimeMode};ttl={_ttl};batch={_maxBatch};keyOrder={_keyOrder}";

    /// <summary>
    /// Writes the queue's whole state to bytes: every pending record with its level, attempts, due time and (for a done
    /// record waiting for earlier records of its key) its outcome, the clock and the counters. <see cref="Restore"/> on a
    /// fresh operator built with the same key selector, source, output and options, given the rest of the input,
    /// produces what this one would have.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", version, length, checksum).</returns>
    /// <exception cref="InvalidOperationException">A call or a processing-time timer is running (await
    /// <see cref="FlushAsync"/> first).</exception>
    /// <exception cref="Exception">A serializer threw; its exception is passed on.</exception>
    /// <remarks>Exceptions of failed attempts are kept as their type name and message (see <see cref="RetryRestoredError"/>).
    /// The randomizer's state is not part of the snapshot.</remarks>
    public byte[] Snapshot()
    {
        if (!_gate.Wait(0))
        {
            throw new InvalidOperationException("The retry queue is busy (a call or a timer is running); await FlushAsync before taking a snapshot.");
        }

        try
        {
            var w = new SnapshotWriter();
            SnapshotFormat.WriteHeader(w);
            w.WriteString(SnapshotKind);
            w.WriteString(Fingerprint);
            w.WriteInt64(_watermark);
            w.WriteInt64(_nextSeq);
            w.WriteInt64(_round);
            w.WriteByte(_ended ? (byte)1 : (byte)0);
            var counters = Counters.ToArray();
            w.WriteCount(counters.Length);
            foreach (var c in counters)
            {
                w.WriteInt64(c);
            }

            var entries = _waiting.UnorderedItems.Select(i => i.Element)
                .Concat(_byKey.Values.SelectMany(q => q).Where(e => e.Done)).OrderBy(e => e.Seq).ToList();
            w.WriteCount(entries.Count);
            foreach (var e in entries)
            {
                w.WriteInt64(e.Seq);
                w.WriteValue(_options.KeySerializer, e.Key);
                w.WriteValue(_options.RecordSerializer, e.Record);
                w.WriteInt64(e.Timestamp);
                w.WriteCount(e.Level);
                w.WriteCount(e.Attempt);
                w.WriteCount(e.Total);
                w.WriteInt64(e.Due);
                w.WriteByte(e.LastError is null ? (byte)0 : (byte)1);
                if (e.LastError is { } error)
                {
                    w.WriteString(error is RetryRestoredError restored ? restored.OriginalType : error.GetType().FullName ?? error.GetType().Name);
                    w.WriteString(error.Message);
                }

                w.WriteByte(e.Done ? (byte)1 : (byte)0);
                if (e.Done)
                {
                    w.WriteInt64(e.DoneAt);
                    w.WriteByte(e.Joined ? (byte)1 : (byte)0);
                    if (e.Joined)
                    {
                        w.WriteValue(_options.ValueSerializer, e.Value);
                    }
                    else
                    {
                        w.WriteCount((int)e.Reason);
                    }
                }
            }

            return w.Finish();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with the same
    /// options, and given no record, watermark or earlier snapshot.</summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a retry-queue snapshot, were taken with other levels,
    /// time mode, TTL, batch size or key order, or are truncated or corrupt; the operator is left unchanged.</exception>
    /// <remarks>In processing time the timer is armed for the earliest due time (or TTL deadline) of the restored records.</remarks>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        if (_restored || Counters.RecordsIn != 0 || _watermark != long.MinValue || _gate.CurrentCount == 0)
        {
            throw new InvalidOperationException("Restore needs a fresh retry queue: this one has already received records, a watermark or a snapshot.");
        }

        var r = SnapshotReader.OpenOperator(snapshot, SnapshotKind);

        r.ExpectFingerprint(Fingerprint);

        var watermark = r.ReadInt64("watermark");
        var nextSeq = r.ReadInt64("next arrival number");
        var round = r.ReadInt64("next round number");
        var ended = r.ReadByte("ended flag") != 0;
        var at = r.Position;
        var counters = new long[r.ReadCount("counter count", long.MaxValue)];
        if (counters.Length != Counters.Length)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {counters.Length} counters, this operator has {Counters.Length}", at);
        }

        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = r.ReadInt64("counters");
        }

        var entries = new List<RetryEntry<TKey, TIn, TValue>>();
        var count = r.ReadItemCount("record count");
        for (var i = 0; i < count; i++)
        {
            at = r.Position;
            var seq = r.ReadInt64("arrival number");
            var key = r.ReadValue(_options.KeySerializer, "key");
            var record = r.ReadValue(_options.RecordSerializer, "record");
            var entry = new RetryEntry<TKey, TIn, TValue>(seq, key, record, r.ReadInt64("timestamp"))
            {
                Level = r.ReadIndex("level", _levels.Length),
            };
            entry.Attempt = r.ReadCount("attempt", _levels[entry.Level].MaxAttempts);
            entry.Total = r.ReadCount("total attempts", int.MaxValue);
            entry.Due = r.ReadInt64("due time");
            if (r.ReadByte("error flag") != 0)
            {
                var type = r.ReadString("error type");
                entry.LastError = new RetryRestoredError(type, r.ReadString("error message"));
            }

            entry.Done = r.ReadByte("done flag") != 0;
            if (entry.Done)
            {
                entry.DoneAt = r.ReadInt64("done time");
                entry.Joined = r.ReadByte("joined flag") != 0;
                if (entry.Joined)
                {
                    entry.Value = r.ReadValue(_options.ValueSerializer, "value");
                }
                else
                {
                    entry.Reason = (RetryExitReason)r.ReadIndex("exit reason", Enum.GetValues<RetryExitReason>().Length);
                }
            }

            if (key is null || seq >= nextSeq || (entries.Count > 0 && seq <= entries[^1].Seq) || (entry.Done && !_keyOrder))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: record {i} has arrival number {seq}, a null key or an impossible state", at);
            }

            entries.Add(entry);
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} unexpected bytes after the records", r.Position);
        }

        _restored = true;
        _watermark = watermark;
        _nextSeq = nextSeq;
        _round = round;
        _ended = ended;
        Counters.Load(counters);
        foreach (var entry in entries)
        {
            if (_keyOrder)
            {
                if (!_byKey.TryGetValue(entry.Key, out var queue))
                {
                    queue = new Queue<RetryEntry<TKey, TIn, TValue>>();
                    _byKey.Add(entry.Key, queue);
                }

                queue.Enqueue(entry);
            }

            if (!entry.Done)
            {
                Wait(entry);
            }
        }
    }
}
