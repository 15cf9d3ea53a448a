namespace Cep.Joins.Lookup;

/// <summary>The state of a record in flight.</summary>
internal enum LookupStatus : byte
{
    Pending,
    Joined,
    Missed,
    Failed,
}

/// <summary>
/// One element of the operator's queue, in input order: a record in flight (with its key and, once answered, its
/// outcome) or a watermark waiting for the records before it. The operator reuses the items of emitted records.
/// </summary>
internal sealed class LookupItem<TIn, TKey, TValue>
    where TKey : notnull
{
    private LookupItem(bool isWatermark, TIn record, long ticks)
    {
        IsWatermark = isWatermark;
        Record = record;
        Ticks = ticks;
    }

    public bool IsWatermark { get; private set; }

    public TIn Record { get; private set; }

    /// <summary>The record's timestamp, or the watermark, in ticks.</summary>
    public long Ticks { get; private set; }

    public TKey Key { get; set; } = default!;

    public LookupStatus Status { get; set; }

    public TValue Value { get; set; } = default!;

    public LookupFailureReason Reason { get; set; }

    public Exception? Error { get; set; }

    /// <summary>The order in which answers arrived (unordered mode emits in this order).</summary>
    public long CompletionOrder { get; set; }

    /// <summary>Gets or sets the item before this one in the operator's queue.</summary>
    public LookupItem<TIn, TKey, TValue>? Previous { get; set; }

    /// <summary>Gets or sets the item after this one in the operator's queue (or in the operator's free list).</summary>
    public LookupItem<TIn, TKey, TValue>? Next { get; set; }

    /// <summary>Gets or sets the next record of the same batch waiting on the same key, in arrival order.</summary>
    public LookupItem<TIn, TKey, TValue>? NextWaiter { get; set; }

    /// <summary>Gets or sets, on the first record waiting on a key in a batch, the last one (where the next joins).</summary>
    public LookupItem<TIn, TKey, TValue>? LastWaiter { get; set; }

    public static LookupItem<TIn, TKey, TValue> ForRecord(TIn record, long ticks) => new(false, record, ticks);

    public static LookupItem<TIn, TKey, TValue> ForWatermark(long ticks) => new(true, default!, ticks);

    /// <summary>Makes an emitted record's item a new pending one for <paramref name="record"/>.</summary>
    public void Reuse(TIn record, long ticks)
    {
        Record = record;
        Ticks = ticks;
        Status = LookupStatus.Pending;
    }

    /// <summary>Drops the references of an emitted record's item, which goes to the free list.</summary>
    public void Clear()
    {
        Record = default!;
        Key = default!;
        Value = default!;
        Error = null;
        Reason = default;
        Previous = Next = NextWaiter = LastWaiter = null;
    }
}
