using Cep.State;

namespace Cep.Joins.Lookup;

/// <content>Snapshots: the records in flight and the pending watermarks to bytes, and back.</content>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// kind            string "async-lookup"
/// counters        int64 x 13, in the order of AsyncLookupCounters
/// watermarks      int64 x 2: the last one given, the last one forwarded
/// queue           count, then per element in input order: tag byte (0 record, 1 watermark), timestamp or watermark
///                 int64, and for a record its value (the record serializer)
/// </code>
/// As in Flink, a record in flight is stored as its input, not its answer (even if the answer has arrived and the
/// record only waits for earlier ones): a restored operator looks it up again. The cache is not stored.
/// </remarks>
public sealed partial class AsyncLookupOperator<TIn, TKey, TValue>
{
    private const string SnapshotKind = "async-lookup";
    private bool _restored;

    /// <summary>
    /// Writes the records in flight (with their timestamps, in input order), the watermarks waiting behind them, the last
    /// watermarks and the counters to bytes. <see cref="Restore"/> on a fresh operator continues from here: it looks
    /// those records up again, and with the rest of the input produces the outcomes of an uninterrupted run.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", version, length, checksum).</returns>
    /// <exception cref="InvalidOperationException">A call to this operator has not completed.</exception>
    /// <exception cref="Exception">The record serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside an output callback. Answers that arrived but were
    /// not taken yet are left for the next call; they do not change the snapshot.</remarks>
    public byte[] Snapshot()
    {
        if (_busy)
        {
            throw new InvalidOperationException("Snapshot must be taken between calls to the operator: a call has not completed.");
        }

        var w = new SnapshotWriter();
        SnapshotFormat.WriteHeader(w);
        w.WriteString(SnapshotKind);
        foreach (var c in Counters.ToArray())
        {
            w.WriteInt64(c);
        }

        w.WriteInt64(_watermarkIn);
        w.WriteInt64(_watermarkOut);
        w.WriteCount(_queue.Count);
        foreach (var item in _queue.Items())
        {
            w.WriteByte(item.IsWatermark ? (byte)1 : (byte)0);
            w.WriteInt64(item.Ticks);
            if (!item.IsWatermark)
            {
                w.WriteValue(_recordSerializer, item.Record);
            }
        }

        return w.Finish();
    }

    /// <summary>
    /// Restores what <see cref="Snapshot"/> wrote into this operator, which must be fresh (built with the same source, key
    /// selector, output and options, and given nothing yet), and looks the restored records up again. Their results are
    /// emitted during the following calls.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not an async-lookup snapshot, or are truncated or corrupt;
    /// the operator is left unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        if (_busy || _restored || Counters.RecordsIn != 0 || _queue.Count != 0 || _watermarkIn != long.MinValue)
        {
            throw new InvalidOperationException("Restore needs a fresh operator: this one has already received records, a watermark or a snapshot.");
        }

        var r = SnapshotReader.OpenOperator(snapshot, SnapshotKind);
        int at;

        var counters = new long[AsyncLookupCounters.Count];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = r.ReadInt64("counters");
        }

        var watermarkIn = r.ReadInt64("last watermark given");
        var watermarkOut = r.ReadInt64("last watermark forwarded");
        var items = new List<LookupItem<TIn, TKey, TValue>>();
        var count = r.ReadItemCount("queue length");
        var records = 0L;
        var lastWatermark = watermarkOut;
        for (var i = 0; i < count; i++)
        {
            at = r.Position;
            var tag = r.ReadByte("element tag");
            var ticks = r.ReadInt64("timestamp");
            switch (tag)
            {
                case 0:
                    items.Add(LookupItem<TIn, TKey, TValue>.ForRecord(r.ReadValue(_recordSerializer, "record"), ticks));
                    records++;
                    break;
                case 1:
                    if (ticks <= lastWatermark || ticks > watermarkIn)
                    {
                        throw new SnapshotFormatException($"Corrupt snapshot: pending watermark {ticks} is out of order", at);
                    }

                    lastWatermark = ticks;
                    items.Add(LookupItem<TIn, TKey, TValue>.ForWatermark(ticks));
                    break;
                default:
                    throw new SnapshotFormatException($"Corrupt snapshot: element {i} has tag {tag}; 0 (record) or 1 (watermark) expected", at);
            }
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} unexpected bytes after the queue", r.Position);
        }

        if (records != counters[5])
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {records} records in flight, but the counters say {counters[5]}", SnapshotFormat.HeaderSize);
        }

        _restored = true;
        Counters.Load(counters);
        _watermarkIn = watermarkIn;
        _watermarkOut = watermarkOut;
        foreach (var item in items)
        {
            _queue.AddLast(item);
        }

        foreach (var item in items)
        {
            if (!item.IsWatermark)
            {
                Issue(item);
            }
        }
    }
}
