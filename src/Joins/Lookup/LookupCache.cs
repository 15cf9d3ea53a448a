namespace Cep.Joins.Lookup;

/// <summary>
/// A bounded cache of lookup answers (found values and, optionally, misses) with expire-after-write ages and
/// least-recently-used eviction. Times are processing-time ticks given by the caller.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <threadsafety>Not thread-safe: used only on the operator's thread.</threadsafety>
internal sealed class LookupCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly int _maxEntries;
    private readonly long _ttl;
    private readonly long _missTtl;
    private readonly bool _cacheMisses;

    public LookupCache(LookupCacheOptions options)
    {
        _maxEntries = options.MaxEntries;
        _ttl = options.Ttl.BclCompatibleTicks;
        _missTtl = options.MissTtl.BclCompatibleTicks;
        _cacheMisses = options.CacheMisses;
    }

    /// <summary>Gets the number of entries held (expired ones included until they are touched or evicted).</summary>
    public int Count => _map.Count;

    /// <summary>Gets the number of entries evicted to make room.</summary>
    public long Evictions { get; private set; }

    /// <summary>Looks <paramref name="key"/> up at time <paramref name="now"/>; an expired entry is removed and is not a hit.</summary>
    /// <returns>Whether the cache answered; then <paramref name="found"/> tells a value from a cached miss.</returns>
    public bool TryGet(TKey key, long now, out bool found, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            if (node.Value.ExpiresAt > now)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                found = node.Value.Found;
                value = node.Value.Value;
                return true;
            }

            _recency.Remove(node);
            _map.Remove(key);
        }

        found = false;
        value = default!;
        return false;
    }

    /// <summary>Stores a found value, written at <paramref name="now"/>.</summary>
    public void PutValue(TKey key, TValue value, long now) => Put(new Entry(key, true, value, Saturating(now, _ttl)));

    /// <summary>Stores a miss written at <paramref name="now"/>, if misses are cached.</summary>
    public void PutMiss(TKey key, long now)
    {
        if (_cacheMisses)
        {
            Put(new Entry(key, false, default!, Saturating(now, _missTtl)));
        }
    }

    private static long Saturating(long now, long age) => now > long.MaxValue - age ? long.MaxValue : now + age;

    private void Put(Entry entry)
    {
        if (_map.TryGetValue(entry.Key, out var node))
        {
            node.Value = entry;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return;
        }

        if (_map.Count >= _maxEntries)
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _map.Remove(last.Value.Key);
            Evictions++;
        }

        _map.Add(entry.Key, _recency.AddFirst(entry));
    }

    private readonly record struct Entry(TKey Key, bool Found, TValue Value, long ExpiresAt);
}
