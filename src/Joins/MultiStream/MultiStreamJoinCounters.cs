namespace Cep.Joins.MultiStream;

/// <summary>
/// The counters of a <see cref="MultiStreamJoinOperator{TKey, TEvent}"/>. They balance (see <see cref="Balanced"/>):
/// every record is accepted, late or failed, <c>RecordsIn = RecordsAccepted + RecordsLate + RecordsFailed</c>; and every
/// accepted record is either still held by its window or was released when the window closed,
/// <c>RecordsAccepted = RecordsReleased + RecordsLive</c>.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class MultiStreamJoinCounters
{
    internal readonly long[] InByInput;
    internal long Accepted;
    internal long Late;
    internal long Failed;
    internal long Released;
    internal long Live;
    internal long AfterEarly;
    internal long ClosedRows;
    internal long CompleteRows;
    internal long UpdateRows;
    internal long PaneCount;
    internal long KeyCount;

    internal MultiStreamJoinCounters(int inputs) => InByInput = new long[inputs];

    /// <summary>Gets the number of records given to the operator, all inputs.</summary>
    public long RecordsIn => InByInput.Sum();

    /// <summary>Gets the number of records given to the operator through one input.</summary>
    /// <param name="input">The input index.</param>
    /// <returns>The count.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public long RecordsInOf(int input) => Volatile.Read(ref InByInput[input]);

    /// <summary>Gets the number of records put into their window.</summary>
    public long RecordsAccepted => Volatile.Read(ref Accepted);

    /// <summary>Gets the number of records rejected because their window had closed.</summary>
    public long RecordsLate => Volatile.Read(ref Late);

    /// <summary>Gets the number of records rejected because the key selector threw or the timestamp was a sentinel.</summary>
    public long RecordsFailed => Volatile.Read(ref Failed);

    /// <summary>Gets the number of accepted records whose window has closed and been removed.</summary>
    public long RecordsReleased => Volatile.Read(ref Released);

    /// <summary>Gets the number of records held in open windows.</summary>
    public long RecordsLive => Volatile.Read(ref Live);

    /// <summary>Gets the number of records that arrived in a window after its <see cref="JoinedRowKind.Complete"/> row;
    /// they are in the window's <see cref="JoinedRowKind.Update"/> row.</summary>
    public long RecordsAfterEarlyEmit => Volatile.Read(ref AfterEarly);

    /// <summary>Gets the number of <see cref="JoinedRowKind.Closed"/> rows emitted.</summary>
    public long ClosedRowsEmitted => Volatile.Read(ref ClosedRows);

    /// <summary>Gets the number of <see cref="JoinedRowKind.Complete"/> rows emitted.</summary>
    public long CompleteRowsEmitted => Volatile.Read(ref CompleteRows);

    /// <summary>Gets the number of <see cref="JoinedRowKind.Update"/> rows emitted.</summary>
    public long UpdateRowsEmitted => Volatile.Read(ref UpdateRows);

    /// <summary>Gets the number of open windows (per key).</summary>
    public long Windows => Volatile.Read(ref PaneCount);

    /// <summary>Gets the number of keys with open windows.</summary>
    public long Keys => Volatile.Read(ref KeyCount);

    /// <summary>Gets whether the counters balance: every record is accepted, late or failed, and every accepted record is
    /// live or released.</summary>
    public bool Balanced => RecordsIn == RecordsAccepted + RecordsLate + RecordsFailed && RecordsAccepted == RecordsReleased + RecordsLive;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in={RecordsIn} ({string.Join(",", InByInput)}) accepted={RecordsAccepted} late={RecordsLate} failed={RecordsFailed} " +
        $"released={RecordsReleased} live={RecordsLive} afterEarly={RecordsAfterEarlyEmit} rows closed={ClosedRowsEmitted} " +
        $"complete={CompleteRowsEmitted} update={UpdateRowsEmitted} windows={Windows} keys={Keys}";

    internal long[] ToArray() =>
        [.. InByInput, Accepted, Late, Failed, Released, Live, AfterEarly, ClosedRows, CompleteRows, UpdateRows, PaneCount, KeyCount];

    internal void Load(long[] values)
    {
        var n = InByInput.Length;
        values.AsSpan(0, n).CopyTo(InByInput);
        (Accepted, Late, Failed, Released, Live, AfterEarly) = (values[n], values[n + 1], values[n + 2], values[n + 3], values[n + 4], values[n + 5]);
        (ClosedRows, CompleteRows, UpdateRows, PaneCount, KeyCount) = (values[n + 6], values[n + 7], values[n + 8], values[n + 9], values[n + 10]);
    }

    internal int Length => InByInput.Length + 11;
}
