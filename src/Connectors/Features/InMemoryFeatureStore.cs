using System.Collections.Concurrent;
using NodaTime;

namespace Cep.Connectors.Features;

/// <summary>
/// An <see cref="IFeatureStore"/> in a concurrent dictionary: the reference implementation of the store contract, for
/// tests and small deployments. Nothing survives the process.
/// </summary>
/// <remarks>
/// <para>Visibility follows the contract of <see cref="IFeatureStore"/>: a record is visible while
/// <c>clock.GetCurrentInstant() &lt; EventTime + Ttl</c>, so it is still visible one tick before that instant and gone
/// at it. A write replaces the stored record unless the stored one has a strictly later event time; with equal event
/// times the last write wins (as an HBase put with the same cell timestamp does). A batch is applied in order.</para>
/// <para>Expired records are not purged: they stay in memory, invisible, until the key is written again.</para>
/// <para>The value bytes are copied on write, so a caller may reuse its buffers.</para>
/// </remarks>
/// <threadsafety>All members are safe to call concurrently.</threadsafety>
public sealed class InMemoryFeatureStore : IFeatureStore
{
    private readonly ConcurrentDictionary<string, FeatureRecord> _records = new(StringComparer.Ordinal);
    private readonly IClock _clock;
    private volatile bool _disposed;

    /// <summary>Creates an empty store.</summary>
    /// <param name="ttl">How long a record stays visible after its event time.</param>
    /// <param name="clock">The clock that decides expiry.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public InMemoryFeatureStore(Duration ttl, IClock clock)
    {
        Ttl = FeatureStoreRules.CheckTtl(ttl, nameof(ttl));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <inheritdoc/>
    public Duration Ttl { get; }

    /// <summary>Gets the number of records held, visible or expired.</summary>
    public int Count => _records.Count;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the write.</exception>
    public ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default)
    {
        FeatureStoreRules.CheckRecords(records, nameof(records));
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var record in records)
        {
            var copy = record with { Value = record.Value.ToArray() };
            _records.AddOrUpdate(
                copy.Key,
                static (_, r) => r,
                static (_, stored, r) => stored.EventTime > r.EventTime ? stored : r,
                copy);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the read.</exception>
    public ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        FeatureStoreRules.CheckKey(key, nameof(key));
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Visible(key, _clock.GetCurrentInstant()));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="keys"/> holds a null or empty key.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the read.</exception>
    public ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        FeatureStoreRules.CheckKeys(keys, nameof(keys));
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetCurrentInstant();
        var found = new Dictionary<string, FeatureRecord>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (Visible(key, now) is { } record)
            {
                found[key] = record;
            }
        }

        return new(found);
    }

    /// <summary>Marks the store disposed; later calls throw <see cref="ObjectDisposedException"/>. Idempotent.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _records.Clear();
        return ValueTask.CompletedTask;
    }

    private FeatureRecord? Visible(string key, Instant now) =>
        _records.TryGetValue(key, out var record) && FeatureStoreRules.IsVisible(record.EventTime, Ttl, now) ? record : null;
}
