using Cep.Time;

namespace Cep.Joins.Lookup;

/// <content>Emission: results and watermarks leave the queue in input order (ordered), or as they complete but never
/// across a watermark (unordered).</content>
public sealed partial class AsyncLookupOperator<TIn, TKey, TValue>
{
    private readonly List<LookupItem<TIn, TKey, TValue>> _segment = [];

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
        while (_queue.First is { } node && (node.Value.IsWatermark || node.Value.Status != LookupStatus.Pending))
        {
            _queue.RemoveFirst();
            EmitItem(node.Value);
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
            if (head.Value.IsWatermark)
            {
                _queue.RemoveFirst();
                EmitItem(head.Value);
                continue;
            }

            if (_ready == 0)
            {
                return;
            }

            _segment.Clear();
            for (var node = head; node is not null && !node.Value.IsWatermark; node = node.Next)
            {
                if (node.Value.Status != LookupStatus.Pending)
                {
                    _segment.Add(node.Value);
                }
            }

            if (_segment.Count == 0)
            {
                return;
            }

            _segment.Sort(static (a, b) => a.CompletionOrder.CompareTo(b.CompletionOrder));
            foreach (var item in _segment)
            {
                _queue.Remove(item.Node!);
            }

            var emitted = _segment.ToArray();
            _segment.Clear();
            foreach (var item in emitted)
            {
                EmitItem(item);
            }
        }
    }

    private void EmitItem(LookupItem<TIn, TKey, TValue> item)
    {
        item.Node = null;
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
    }
}
