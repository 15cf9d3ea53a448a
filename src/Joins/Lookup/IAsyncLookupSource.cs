namespace Cep.Joins.Lookup;

/// <summary>
/// An external store that answers many key lookups in one round trip (an HBase multi-get, a FASTER batch read, a
/// cache). The async lookup operator and the retry queue call it with batches of keys.
/// </summary>
/// <typeparam name="TKey">The lookup key.</typeparam>
/// <typeparam name="TValue">What the store holds for a key.</typeparam>
/// <remarks>
/// <para>A key absent from the returned dictionary is a miss (not found, or expired): a normal outcome, not an error.
/// A failure of the whole round trip (the store is down, a timeout, a malformed answer) is an exception; the caller
/// decides whether to retry. Implementations must not return keys that were not asked for.</para>
/// </remarks>
/// <threadsafety>Implementations must allow concurrent calls: several batches may be in flight at once.</threadsafety>
public interface IAsyncLookupSource<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Looks up <paramref name="keys"/> in one round trip.</summary>
    /// <param name="keys">The keys; distinct, not empty.</param>
    /// <param name="cancellationToken">Cancels the round trip (a per-request timeout cancels through it).</param>
    /// <returns>The keys that were found, with their values; the others are misses.</returns>
    ValueTask<IReadOnlyDictionary<TKey, TValue>> LookupAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken);
}
