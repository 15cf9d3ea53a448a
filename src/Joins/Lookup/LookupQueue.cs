namespace Cep.Joins.Lookup;

/// <summary>
/// The operator's queue of records in flight and pending watermarks, in input order: a doubly linked list threaded
/// through the items themselves, so that queuing a record allocates nothing more than its item.
/// </summary>
/// <threadsafety>Not thread-safe: used only on the operator's thread.</threadsafety>
internal sealed class LookupQueue<TIn, TKey, TValue>
    where TKey : notnull
{
    private LookupItem<TIn, TKey, TValue>? _last;

    /// <summary>Gets the oldest item, or null when the queue is empty.</summary>
    public LookupItem<TIn, TKey, TValue>? First { get; private set; }

    /// <summary>Gets the number of items.</summary>
    public int Count { get; private set; }

    /// <summary>Appends <paramref name="item"/>, which must not be in a queue.</summary>
    public void AddLast(LookupItem<TIn, TKey, TValue> item)
    {
        item.Previous = _last;
        item.Next = null;
        if (_last is null)
        {
            First = item;
        }
        else
        {
            _last.Next = item;
        }

        _last = item;
        Count++;
    }

    /// <summary>Unlinks <paramref name="item"/>, which must be in this queue.</summary>
    public void Remove(LookupItem<TIn, TKey, TValue> item)
    {
        if (item.Previous is null)
        {
            First = item.Next;
        }
        else
        {
            item.Previous.Next = item.Next;
        }

        if (item.Next is null)
        {
            _last = item.Previous;
        }
        else
        {
            item.Next.Previous = item.Previous;
        }

        item.Previous = item.Next = null;
        Count--;
    }

    /// <summary>The items, oldest first; the queue must not change during the enumeration.</summary>
    public IEnumerable<LookupItem<TIn, TKey, TValue>> Items()
    {
        for (var item = First; item is not null; item = item.Next)
        {
            yield return item;
        }
    }
}
