using System.Runtime.CompilerServices;

namespace Cep.Operators;

/// <summary>An order on queue items, as a struct so that the heap code is specialized and the comparison inlined.</summary>
/// <typeparam name="TItem">The item type.</typeparam>
internal interface IItemOrder<TItem>
{
    /// <summary>Gets whether <paramref name="a"/> comes strictly before <paramref name="b"/>.</summary>
    bool Less(in TItem a, in TItem b);
}

/// <summary>
/// The binary min-heap and the in-order ring that the record buffer and the timer queue are built from: items that
/// arrive in order are appended to the ring for O(1), the others go to the heap.
/// </summary>
internal static class BinaryHeap
{
    /// <summary>Adds <paramref name="item"/> to the heap of the first <paramref name="count"/> items, growing the array if full.</summary>
    public static void Push<TItem, TOrder>(ref TItem[] items, ref int count, in TItem item, TOrder order)
        where TOrder : struct, IItemOrder<TItem>
    {
        if (count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        var i = count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!order.Less(item, items[parent]))
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = item;
    }

    /// <summary>Removes and returns the first item of the heap of the first <paramref name="count"/> items, which must not be empty.</summary>
    public static TItem Pop<TItem, TOrder>(TItem[] items, ref int count, TOrder order)
        where TOrder : struct, IItemOrder<TItem>
    {
        var top = items[0];
        var last = items[--count];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TItem>())
        {
            items[count] = default!; // let the collector have what it holds
        }

        if (count > 0)
        {
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= count)
                {
                    break;
                }

                if (child + 1 < count && order.Less(items[child + 1], items[child]))
                {
                    child++;
                }

                if (!order.Less(items[child], last))
                {
                    break;
                }

                items[i] = items[child];
                i = child;
            }

            items[i] = last;
        }

        return top;
    }

    /// <summary>Gets the index of the first item of <paramref name="items"/> that sorts before its heap parent, or -1 if they form a heap.</summary>
    public static int FindViolation<TItem, TOrder>(ReadOnlySpan<TItem> items, TOrder order)
        where TOrder : struct, IItemOrder<TItem>
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (order.Less(items[i], items[(i - 1) >> 1]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Doubles a ring of <paramref name="count"/> items starting at <paramref name="head"/>, which then starts at 0.</summary>
    public static void GrowRing<TItem>(ref TItem[] ring, ref int head, int count)
    {
        var bigger = new TItem[ring.Length * 2];
        for (var i = 0; i < count; i++)
        {
            bigger[i] = ring[(head + i) & (ring.Length - 1)];
        }

        ring = bigger;
        head = 0;
    }
}
