using Cep.Time;

namespace Cep.Joins.Lookup;

/// <content>Emission: results and watermarks leave the queue in input order (ordered), or as they complete but never
/// across a watermark (unordered).</content>
public sealed partial class AsyncLookupOperator<TIn, TKey, TValue>
{
    /// <summary>The most emitted records' items kept for reuse.</summary>
    private const int MaxFreeItems = 4096;

    private List<LookupItem<TIn, TKey, TValue>> _segment = [];
    private List<LookupItem<TIn, TKey, TValue>> _emitting = [];

    /// <summary>Items of emitted records, chained through <see cref="LookupItem{TIn, TKey, TValue}.Next"/>: a record
    /// taken in reuses one instead of allocating its own.</summary>
    private LookupItem<TIn, TKey, TValue>? _freeItems;
    private int _freeItemCount;

    private LookupItem<TIn, TKey, TValue> NewItem(TIn record, long ticks)
    {
        if (_freeItems is not { } item)
        {
            return LookupItem<TIn, TKey, TValue>.ForRecord(record, ticks);
        }

        _freeItems = item.Next;
        _freeItemCount--;
        item.Next = null;
        item.Reuse(record, ticks);
        return item;
    }

    /// <summary>Keeps an emitted record's item for reuse: nothing refers to it any more (it left the queue, and its
    /// batch, if any, was finished or timed out before it completed).</summary>
    private void FreeItem(LookupItem<TIn, TKey, TValue> item)
    {
        item.Clear();
        if (_freeItemCount < MaxFreeItems)
        {
            item.Next = _freeItems;
            _freeItems = item;
            _freeItemCount++;
        }
    }

    private void Emit()
    {
        if (_options.Ordered)
        {
            EmitOrdered();
        }
        else
        {
            EmitUnordered();
        }
    }

    private void EmitOrdered()
    {
        while (_queue.First is { } item && (item.IsWatermark || item.Status != LookupStatus.Pending))
        {
            _queue.Remove(item);
            EmitItem(item);
        }
    }

    /// <summary>
    /// The head segment is the records before the first watermark in the queue: its completed records leave in the order
    /// their answers arrived; when no record is left before the watermark, the watermark leaves and the next segment
    /// becomes the head. Completed records of later segments wait.
    /// </summary>
    private void EmitUnordered()
    {
        while (_queue.First is { } head)
        {
            if (head.IsWatermark)
            {
                _queue.Remove(head);
                EmitItem(head);
                continue;
            }

            if (_ready == 0)
            {
                return;
            }

            _segment.Clear();
            for (var item = head; item is not null && !item.IsWatermark; item = item.Next)
            {
                if (item.Status != LookupStatus.Pending)
                {
                    _segment.Add(item);
                }
            }

            if (_segment.Count == 0)
            {
                return;
            }

            _segment.Sort(static (a, b) => a.CompletionOrder.CompareTo(b.CompletionOrder));
            foreach (var item in _segment)
            {
                _queue.Remove(item);
            }

            // Swapped out: an output callback may not re-enter, but the list must not change while it is walked.
            (_segment, _emitting) = (_emitting, _segment);
            _segment.Clear();
            foreach (var item in _emitting)
            {
                EmitItem(item);
            }

            _emitting.Clear();
        }
    }

    private void EmitItem(LookupItem<TIn, TKey, TValue> item)
    {
        if (item.IsWatermark)
        {
            _watermarkOut = item.Ticks;
            _output.OnWatermark(EventTicks.ToInstant(item.Ticks));
            return;
        }

        _ready--;
        Counters.InFlightCount--;
        var timestamp = EventTicks.ToInstant(item.Ticks);
        switch (item.Status)
        {
            case LookupStatus.Joined:
                Counters.JoinedCount++;
                _output.OnJoined(item.Record, timestamp, item.Value);
                break;
            case LookupStatus.Missed:
                Counters.MissedCount++;
                _output.OnMiss(item.Record, timestamp);
                break;
            default:
                Counters.FailedCount++;
                _output.OnFailed(item.Record, timestamp, item.Reason, item.Error!);
                break;
        }

        FreeItem(item);
    }
}
