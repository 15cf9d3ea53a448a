using Cep.Joins.Lookup;
using NodaTime;

namespace Cep.Connectors.Features;

/// <summary>
/// A store of <see cref="FeatureRecord"/>s by key with a time to live counted from each record's event time: HBase
/// through its REST gateway for production volumes, or FASTER embedded on a local directory.
/// </summary>
/// <remarks>
/// <para>A record is visible while its event time + <see cref="Ttl"/> is after the store's clock; after that it reads
/// exactly like a key never written (HBase answers 404 for both). Writing a key again with a later event time replaces
/// what readers see; a write with an older event time than the stored one does not hide the newer one.</para>
/// <para>Precisely: a record is visible while <c>now &lt; EventTime + Ttl</c>, so one tick before that instant it is
/// still read and at it it is gone. With equal event times the last write wins, and a batch is applied in order. A null
/// or empty key is an <see cref="ArgumentException"/>, checked for the whole batch before any of it is written. Event
/// times may be kept at millisecond precision (HBase cell timestamps). Disposing twice is harmless. The shared tests of
/// these rules are the <c>FeatureStoreContract</c> class of the property tests.</para>
/// <para>As an <see cref="IAsyncLookupSource{TKey, TValue}"/> a store serves the async lookup operator and the retry
/// queue directly: one <see cref="IAsyncLookupSource{TKey, TValue}.LookupAsync"/> is one batched read.</para>
/// </remarks>
/// <threadsafety>Implementations allow concurrent reads and writes.</threadsafety>
public interface IFeatureStore : IAsyncLookupSource<string, FeatureRecord>, IAsyncDisposable
{
    /// <summary>Gets how long a record stays visible after its event time.</summary>
    Duration Ttl { get; }

    /// <summary>Writes <paramref name="records"/> in one batch.</summary>
    /// <param name="records">The records; each key not null or empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A record has a null or empty key.</exception>
    ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads one key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null if the key is missing or expired.</returns>
    ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default);
}
