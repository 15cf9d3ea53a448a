namespace Cep.Joins.Lookup;

/// <summary>Passes lookups on to a source until its owner stops; afterwards no call reaches the source (each fails with
/// an <see cref="ObjectDisposedException"/>).</summary>
/// <typeparam name="TKey">The lookup key.</typeparam>
/// <typeparam name="TValue">The looked-up value.</typeparam>
internal sealed class StoppableLookupSource<TKey, TValue>(IAsyncLookupSource<TKey, TValue> source, Func<bool> stopped) : IAsyncLookupSource<TKey, TValue>
    where TKey : notnull
{
    public ValueTask<IReadOnlyDictionary<TKey, TValue>> LookupAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken) =>
        stopped()
            ? ValueTask.FromException<IReadOnlyDictionary<TKey, TValue>>(new ObjectDisposedException("The subscription was disposed; no more lookups are made."))
            : source.LookupAsync(keys, cancellationToken);
}
