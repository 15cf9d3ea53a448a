using Cep.State;

namespace Cep.Joins.Window;

/// <content>Snapshots: the operator's whole state to bytes and back.</content>
/// <remarks>
/// Payload, after the <see cref="SnapshotFormat"/> header:
/// <code>
/// kind            string "window-join"
/// fingerprint     string: assigner, allowed lateness, mode, late-firing mode
/// watermarks      int64 x 2: left, right; idle flags byte x 2; the operator's watermark int64
/// sequences       int64 x 2: next pane number, next firing group
/// counters        int64 x 15, in the order of WindowJoinCounters
/// panes           count, then per pane in creation order: key, start int64, end int64, number int64, firings,
///                 dirty byte, timer int64, left entries (count, then group int64 and value each), right entries
/// </code>
/// The timers are not written: each live pane has exactly one that matters, at its timer time.
/// </remarks>
public sealed partial class WindowJoinOperator<TKey, TLeft, TRight>
{
    private const string SnapshotKind = "window-join";
    private bool _restored;

    private string Fingerprint => $"{_assigner.Fingerprint};lateness={_lateness};mode={_options.Mode};late={_options.LateFiring}";

    /// <summary>
    /// Writes the operator's whole state to bytes: the watermarks, every key's windows with their records and firing
    /// state, and the counters. <see cref="Restore"/> on a fresh operator built with the same assigner, key selectors,
    /// output and options continues exactly where this one is.
    /// </summary>
    /// <returns>The snapshot, in the library's snapshot envelope (magic "CEPS", version, length, checksum).</returns>
    /// <exception cref="Exception">A key or record serializer threw; its exception is passed on.</exception>
    /// <remarks>Call it between calls to the operator, not from inside an output callback.</remarks>
    public byte[] Snapshot()
    {
        var w = _intake.BeginSnapshot(SnapshotKind, Fingerprint);
        w.WriteInt64(_nextSeq);
        w.WriteInt64(_nextGroup);
        foreach (var c in Counters.ToArray())
        {
            w.WriteInt64(c);
        }

        var panes = _keys.Values.SelectMany(k => k.Panes).OrderBy(p => p.Seq).ToList();
        w.WriteCount(panes.Count);
        foreach (var pane in panes)
        {
            w.WriteValue(_options.KeySerializer, pane.Owner.Key);
            w.WriteInt64(pane.Start);
            w.WriteInt64(pane.End);
            w.WriteInt64(pane.Seq);
            w.WriteCount(pane.Firings);
            w.WriteByte(pane.Dirty ? (byte)1 : (byte)0);
            w.WriteInt64(pane.TimerAt);
            w.WriteCount(pane.Lefts.Count);
            for (var i = 0; i < pane.Lefts.Count; i++)
            {
                w.WriteInt64(pane.LeftGroups[i]);
                w.WriteValue(_options.LeftSerializer, pane.Lefts[i]);
            }

            w.WriteCount(pane.Rights.Count);
            for (var i = 0; i < pane.Rights.Count; i++)
            {
                w.WriteInt64(pane.RightGroups[i]);
                w.WriteValue(_options.RightSerializer, pane.Rights[i]);
            }
        }

        return w.Finish();
    }

    /// <summary>
    /// Restores the state <see cref="Snapshot"/> wrote into this operator, which must be fresh: built with the same
    /// assigner, key selectors, output and options, and given no record, watermark or earlier snapshot.
    /// </summary>
    /// <param name="snapshot">The bytes <see cref="Snapshot"/> returned.</param>
    /// <exception cref="InvalidOperationException">The operator is not fresh.</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a window-join snapshot, were taken with another
    /// assigner, lateness or mode, or are truncated or corrupt; the operator is left unchanged.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var r = _intake.OpenRestore(_restored || Counters.RecordsIn != 0 || _keys.Count != 0, snapshot, SnapshotKind, Fingerprint);
        int at;

        var leftWatermark = r.ReadInt64("left watermark");
        var rightWatermark = r.ReadInt64("right watermark");
        var leftIdle = r.ReadByte("left idle flag") != 0;
        var rightIdle = r.ReadByte("right idle flag") != 0;
        var watermark = r.ReadInt64("operator watermark");
        var nextSeq = r.ReadInt64("next window number");
        var nextGroup = r.ReadInt64("next firing group");
        var counters = new long[WindowJoinCounters.Count];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = r.ReadInt64("counters");
        }

        var keys = new Dictionary<TKey, KeyPanes<TKey, TLeft, TRight>>();
        var panes = new List<Pane<TKey, TLeft, TRight>>();
        var count = r.ReadItemCount("window count");
        for (var p = 0; p < count; p++)
        {
            at = r.Position;
            var key = r.ReadValue(_options.KeySerializer, "key");
            if (key is null)
            {
                throw new SnapshotFormatException("Corrupt snapshot: the key serializer read a null key", at);
            }

            if (!keys.TryGetValue(key, out var owner))
            {
                owner = new KeyPanes<TKey, TLeft, TRight>(key);
                keys.Add(key, owner);
            }

            at = r.Position;
            var pane = new Pane<TKey, TLeft, TRight>(owner, r.ReadInt64("window start"), r.ReadInt64("window end"), r.ReadInt64("window number"))
            {
                Firings = r.ReadCount("firings", int.MaxValue),
                Dirty = r.ReadByte("dirty flag") != 0,
                TimerAt = r.ReadInt64("timer"),
            };
            if (pane.End <= pane.Start || pane.Seq >= nextSeq || (panes.Count > 0 && pane.Seq <= panes[^1].Seq))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: window {p} has bounds [{pane.Start}, {pane.End}) and number {pane.Seq}", at);
            }

            var lefts = r.ReadItemCount("left entry count");
            for (var i = 0; i < lefts; i++)
            {
                pane.LeftGroups.Add(r.ReadInt64("left group"));
                pane.Lefts.Add(r.ReadValue(_options.LeftSerializer, "left record"));
            }

            var rights = r.ReadItemCount("right entry count");
            for (var i = 0; i < rights; i++)
            {
                pane.RightGroups.Add(r.ReadInt64("right group"));
                pane.Rights.Add(r.ReadValue(_options.RightSerializer, "right record"));
            }

            owner.Panes.Add(pane);
            panes.Add(pane);
        }

        if (r.Remaining != 0)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: {r.Remaining} unexpected bytes after the windows", r.Position);
        }

        _restored = true;
        _intake.Restore([leftWatermark, rightWatermark], [leftIdle, rightIdle], watermark);
        _nextSeq = nextSeq;
        _nextGroup = nextGroup;
        Counters.Load(counters);
        foreach (var (key, owner) in keys)
        {
            _keys.Add(key, owner);
        }

        foreach (var pane in panes)
        {
            _timers.Enqueue(pane, (pane.TimerAt, pane.Seq));
        }
    }
}
