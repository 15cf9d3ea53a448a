using Cep.State;

namespace Cep.Joins.MultiStream;

/// <content>Snapshots: the operator's whole state to bytes and back.</content>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// kind            string "multi-stream-join"
/// fingerprint     string: input names, window, required inputs
/// watermarks      int64 per input, idle flag byte per input, the operator's watermark int64
/// next window number  int64
/// counters        int64 per input (records in), then 11 more in the order of MultiStreamJoinCounters
/// windows         count, then per window in creation order: key, start int64, number int64, early-emitted byte,
///                 changed-since byte, then per input: count, then timestamp int64 and value per record
/// </code>
/// The timers are not written: each open window has one, at its maximum timestamp.
/// </remarks>
public sealed partial class MultiStreamJoinOperator<TKey, TEvent>
{
    private const string SnapshotKind = "multi-stream-join";
    private bool _restored;

    private string Fingerprint => $"inputs={string.Join(",", _names)};{_window.Fingerprint};required={string.Join(",", _required)}";

    /// <summary>
    /// Writes the operator's whole state to bytes: the watermarks, every open window with its records and early-emission
    /// state, and the counters. <see cref="Restore"/> on a fresh operator built with the same inputs, window, output and
    /// options continues exactly where this one is.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", version, length, checksum).</returns>
    /// <exception cref="Exception">A key or record serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside an output callback.</remarks>
    public byte[] Snapshot()
    {
        var w = _intake.BeginSnapshot(SnapshotKind, Fingerprint);
        w.WriteInt64(_nextSeq);
        foreach (var c in Counters.ToArray())
        {
            w.WriteInt64(c);
        }

        var panes = _panes.Values.OrderBy(p => p.Seq).ToList();
        w.WriteCount(panes.Count);
        foreach (var pane in panes)
        {
            w.WriteValue(_options.KeySerializer, pane.Key);
            w.WriteInt64(pane.Start);
            w.WriteInt64(pane.Seq);
            w.WriteByte(pane.EarlyEmitted ? (byte)1 : (byte)0);
            w.WriteByte(pane.ChangedSinceEarly ? (byte)1 : (byte)0);
            for (var i = 0; i < _inputs.Length; i++)
            {
                w.WriteCount(pane.Parts[i].Count);
                for (var j = 0; j < pane.Parts[i].Count; j++)
                {
                    w.WriteInt64(pane.Ticks[i][j]);
                    w.WriteValue(_options.EventSerializer, pane.Parts[i][j]);
                }
            }
        }

        return w.Finish();
    }

    /// <summary>
    /// Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with the same inputs,
    /// window, output and options, and given no record, watermark or earlier snapshot.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a multi-stream-join snapshot, were taken with other
    /// inputs, window or required inputs, or are truncated or corrupt; the operator is left unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var r = _intake.OpenRestore(_restored || Counters.RecordsIn != 0 || _panes.Count != 0, snapshot, SnapshotKind, Fingerprint);
        int at;

        var watermarks = new long[_inputs.Length];
        for (var i = 0; i < watermarks.Length; i++)
        {
            watermarks[i] = r.ReadInt64("input watermark");
        }

        var idle = new bool[_inputs.Length];
        for (var i = 0; i < idle.Length; i++)
        {
            idle[i] = r.ReadByte("input idle flag") != 0;
        }

        var watermark = r.ReadInt64("operator watermark");

        var nextSeq = r.ReadInt64("next window number");
        var counters = new long[Counters.Length];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = r.ReadInt64("counters");
        }

        var panes = new List<RowPane<TKey, TEvent>>();
        var seen = new HashSet<(TKey, long)>();
        var count = r.ReadItemCount("window count");
        for (var p = 0; p < count; p++)
        {
            at = r.Position;
            var key = r.ReadValue(_options.KeySerializer, "key");
            var start = r.ReadInt64("window start");
            var window = _window.WindowOf(start);
            var pane = new RowPane<TKey, TEvent>(key, window.Start, window.End, r.ReadInt64("window number"), _inputs.Length)
            {
                EarlyEmitted = r.ReadByte("early-emitted flag") != 0,
                ChangedSinceEarly = r.ReadByte("changed flag") != 0,
            };
            if (key is null || window.Start != start || pane.Seq >= nextSeq || !seen.Add((key, start)))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: window {p} (key {key}, start {start}, number {pane.Seq}) is not valid", at);
            }

            for (var i = 0; i < _inputs.Length; i++)
            {
                var records = r.ReadItemCount("record count");
                for (var j = 0; j < records; j++)
                {
                    pane.Ticks[i].Add(r.ReadInt64("record timestamp"));
                    pane.Parts[i].Add(r.ReadValue(_options.EventSerializer, "record"));
                }
            }

            panes.Add(pane);
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} unexpected bytes after the windows", r.Position);
        }

        _restored = true;
        _intake.Restore(watermarks, idle, watermark);
        _nextSeq = nextSeq;
        Counters.Load(counters);
        foreach (var pane in panes)
        {
            _panes.Add((pane.Key, pane.Start), pane);
            _panesPerKey[pane.Key] = _panesPerKey.GetValueOrDefault(pane.Key) + 1;
            _timers.Enqueue(pane, (pane.MaxTicks, pane.Seq));
        }
    }
}
