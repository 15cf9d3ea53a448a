namespace Cep.Joins.Window;

/// <summary>
/// The counters of a <see cref="WindowJoinOperator{TKey, TLeft, TRight}"/>. They balance in two ways (see
/// <see cref="Balanced"/>): every record is accepted, rejected as late, failed, or in no window,
/// <c>RecordsIn = RecordsAccepted + RecordsLate + RecordsFailed + RecordsInNoWindow</c>; and every window entry (a record in one window; a
/// record of a sliding window is in several) is either still held or was purged after its window fired,
/// <c>WindowEntriesAdded = WindowEntriesPurged + WindowEntriesLive</c>.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class WindowJoinCounters
{
    internal long LeftIn;
    internal long RightIn;
    internal long Accepted;
    internal long Late;
    internal long Failed;
    internal long NoWindowCount;
    internal long EntriesAdded;
    internal long EntriesPurged;
    internal long EntriesLive;
    internal long AssignmentsSkipped;
    internal long FiringCount;
    internal long PairCount;
    internal long CoGroupCount;
    internal long PaneCount;
    internal long KeyCount;

    /// <summary>Gets the number of records given to the operator, both sides.</summary>
    public long RecordsIn => LeftRecordsIn + RightRecordsIn;

    /// <summary>Gets the number of left records given to the operator.</summary>
    public long LeftRecordsIn => Volatile.Read(ref LeftIn);

    /// <summary>Gets the number of right records given to the operator.</summary>
    public long RightRecordsIn => Volatile.Read(ref RightIn);

    /// <summary>Gets the number of records put into at least one window.</summary>
    public long RecordsAccepted => Volatile.Read(ref Accepted);

    /// <summary>Gets the number of records rejected as late (every window of theirs was gone).</summary>
    public long RecordsLate => Volatile.Read(ref Late);

    /// <summary>Gets the number of records rejected because the key selector threw or the timestamp was a sentinel.</summary>
    public long RecordsFailed => Volatile.Read(ref Failed);

    /// <summary>Gets the number of records rejected because the assigner gave them no window (gaps between sliding windows).</summary>
    public long RecordsInNoWindow => Volatile.Read(ref NoWindowCount);

    /// <summary>Gets the number of (record, window) entries stored.</summary>
    public long WindowEntriesAdded => Volatile.Read(ref EntriesAdded);

    /// <summary>Gets the number of (record, window) entries removed after their window fired and its lateness passed.</summary>
    public long WindowEntriesPurged => Volatile.Read(ref EntriesPurged);

    /// <summary>Gets the number of (record, window) entries held now.</summary>
    public long WindowEntriesLive => Volatile.Read(ref EntriesLive);

    /// <summary>
    /// Gets the number of windows an accepted record was not added to because they were already gone (only sliding
    /// windows, for a record behind the watermark: Flink skips such windows silently, this counts them).
    /// </summary>
    public long WindowAssignmentsSkipped => Volatile.Read(ref AssignmentsSkipped);

    /// <summary>Gets the number of times a window fired, re-firings included.</summary>
    public long Firings => Volatile.Read(ref FiringCount);

    /// <summary>Gets the number of pairs emitted (inner mode).</summary>
    public long PairsEmitted => Volatile.Read(ref PairCount);

    /// <summary>Gets the number of co-groups emitted (co-group mode).</summary>
    public long CoGroupsEmitted => Volatile.Read(ref CoGroupCount);

    /// <summary>Gets the number of windows (per key) with live state.</summary>
    public long Windows => Volatile.Read(ref PaneCount);

    /// <summary>Gets the number of keys with live state.</summary>
    public long Keys => Volatile.Read(ref KeyCount);

    /// <summary>Gets whether the counters balance: every record is accepted, late, failed or in no window, and every window entry is
    /// live or purged.</summary>
    public bool Balanced =>
        RecordsIn == RecordsAccepted + RecordsLate + RecordsFailed + RecordsInNoWindow
        && WindowEntriesAdded == WindowEntriesPurged + WindowEntriesLive;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in={RecordsIn} (left {LeftRecordsIn}, right {RightRecordsIn}) accepted={RecordsAccepted} late={RecordsLate} failed={RecordsFailed} noWindow={RecordsInNoWindow} " +
        $"entries added={WindowEntriesAdded} purged={WindowEntriesPurged} live={WindowEntriesLive} skipped={WindowAssignmentsSkipped} " +
        $"firings={Firings} pairs={PairsEmitted} cogroups={CoGroupsEmitted} windows={Windows} keys={Keys}";

    internal long[] ToArray() =>
    [
        LeftIn, RightIn, Accepted, Late, Failed, NoWindowCount, EntriesAdded, EntriesPurged, EntriesLive, AssignmentsSkipped,
        FiringCount, PairCount, CoGroupCount, PaneCount, KeyCount,
    ];

    internal void Load(long[] values) =>
        (LeftIn, RightIn, Accepted, Late, Failed, NoWindowCount, EntriesAdded, EntriesPurged, EntriesLive, AssignmentsSkipped,
            FiringCount, PairCount, CoGroupCount, PaneCount, KeyCount) =
        (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8],
            values[9], values[10], values[11], values[12], values[13], values[14]);

    internal const int Count = 15;
}
