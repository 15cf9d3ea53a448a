using System.Runtime.InteropServices;
using Cep.Connectors.Features;
using NodaTime;

namespace Cep.Connectors.HBase;

/// <summary>
/// An <see cref="IFeatureStore"/> on HBase through its REST gateway: one row per key, one cell per row whose timestamp is
/// the record's event time (milliseconds) and whose column family has the store's TTL, so HBase expires each record a
/// TTL after its event time.
/// </summary>
/// <remarks>
/// <para>Writes go in one batched put; <see cref="LookupAsync"/> is one multi-get. Reads return the newest version, so the
/// record with the latest event time wins whatever the order of writes; two writes with the same key and event time
/// (to the millisecond) overwrite each other, the later one winning.</para>
/// <para>Event times are kept to the millisecond: a record read back has its event time truncated to milliseconds.</para>
/// </remarks>
/// <threadsafety>Safe for concurrent reads and writes.</threadsafety>
public sealed class HBaseFeatureStore : IFeatureStore
{
    private readonly HBaseRestClient _client;
    private readonly bool _ownsClient;
    private readonly HBaseFeatureStoreOptions _options;
    private readonly string _column;
    private readonly HBaseGetOptions _get;

    private HBaseFeatureStore(HBaseRestClient client, HBaseFeatureStoreOptions options, bool ownsClient)
    {
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
        _column = $"{options.ColumnFamily}:{options.Qualifier}";
        _get = new HBaseGetOptions { Columns = [_column] };
    }

    /// <inheritdoc/>
    public Duration Ttl => _options.Ttl;

    /// <summary>Opens a store: creates its table and column family (with the TTL, one version) if the table is missing.</summary>
    /// <param name="client">The gateway client.</param>
    /// <param name="options">The table, column and TTL.</param>
    /// <param name="ownsClient">Whether disposing the store disposes <paramref name="client"/>.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="HBaseFeatureStoreOptions.Validate"/>).</exception>
    /// <exception cref="InvalidOperationException">The table exists without the column family, or with another TTL.</exception>
    /// <exception cref="HBaseRestException">A call to the gateway failed.</exception>
    public static async Task<HBaseFeatureStore> OpenAsync(
        HBaseRestClient client, HBaseFeatureStoreOptions options, bool ownsClient = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var schema = await client.GetTableSchemaAsync(options.Table, cancellationToken).ConfigureAwait(false);
        if (schema is null)
        {
            var family = new HBaseColumnFamilySchema(options.ColumnFamily) { Ttl = options.FamilyTtl, MaxVersions = 1 };
            if (await client.CreateTableAsync(new HBaseTableSchema(options.Table, [family]), cancellationToken).ConfigureAwait(false))
            {
                return new HBaseFeatureStore(client, options, ownsClient);
            }

            schema = await client.GetTableSchemaAsync(options.Table, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The table '{options.Table}' was created concurrently and then deleted.");
        }

        var existing = schema.ColumnFamilies.FirstOrDefault(f => f.Name == options.ColumnFamily)
            ?? throw new InvalidOperationException(
                $"The table '{options.Table}' exists without the column family '{options.ColumnFamily}' (it has {string.Join(", ", schema.ColumnFamilies.Select(f => f.Name))}).");
        if (existing.Ttl != options.FamilyTtl)
        {
            throw new InvalidOperationException(
                $"The column family '{options.ColumnFamily}' of '{options.Table}' has the TTL {existing.Ttl?.ToString() ?? "forever"}, not the store's {options.FamilyTtl}; records would expire at the wrong time.");
        }

        return new HBaseFeatureStore(client, options, ownsClient);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A key is null, empty or cannot be encoded as an HBase row key, or an event time is before the Unix epoch.</exception>
    /// <exception cref="HBaseRestException">The batch put failed.</exception>
    public ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var rows = new HBaseRow[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentNullException(nameof(records), $"records[{i}] is null.");
            CheckKey(record.Key, $"{nameof(records)}[{i}].Key");
            if (record.EventTime < NodaTime.Instant.FromUnixTimeMilliseconds(0))
            {
                throw new ArgumentException($"records[{i}] ('{record.Key}') has the event time {record.EventTime}, before the Unix epoch where HBase timestamps start.", nameof(records));
            }

            rows[i] = new HBaseRow(record.Key, [new HBaseCell(_column, record.Value, record.EventTime)]);
        }

        return new ValueTask(_client.PutRowsAsync(_options.Table, rows, cancellationToken));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or cannot be encoded as an HBase row key.</exception>
    /// <exception cref="HBaseRestException">The read failed, or the store's table does not exist.</exception>
    public async ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var found = await LookupAsync([key], cancellationToken).ConfigureAwait(false);
        return found.TryGetValue(key, out var record) ? record : null;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is null, empty or cannot be encoded as an HBase row key.</exception>
    /// <exception cref="HBaseRestException">The multi-get failed, or the store's table does not exist (any more): a
    /// multi-get answered 404 is confirmed through the table's schema (see
    /// <see cref="HBaseRestClientOptions.TableExistenceTtl"/>), so that a deleted table is an error, not a batch of misses.</exception>
    public async ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys[i]))
            {
                throw new ArgumentException("A feature key must not be null or empty.", $"{nameof(keys)}[{i}]");
            }

            Internal.HBaseNames.CheckRowKey(keys[i], nameof(keys), i);
        }

        var result = new Dictionary<string, FeatureRecord>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }

        var sink = new NewestRecords(result, _column, _options.Ttl, _options.Clock?.GetCurrentInstant());
        await _client.MultiGetAsync(_options.Table, keys, _get, sink, cancellationToken, distinct: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>Disposes the client if the store owns it.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static void CheckKey(string key, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A feature key must not be null or empty.", paramName);
        }

        _ = Internal.HBaseNames.EncodeRowKey(key, paramName);
    }

    /// <summary>Keeps, per row, the newest cell of the store's column that has a timestamp, and per key the newest record
    /// that has not expired.</summary>
    private sealed class NewestRecords(Dictionary<string, FeatureRecord> result, string column, Duration ttl, Instant? now) : Internal.IRowSink
    {
        private string _key = string.Empty;
        private long _bestMs;
        private byte[]? _bestValue;

        public void BeginRow(string key)
        {
            _key = key;
            _bestValue = null;
        }

        public void Cell(string cellColumn, long? timestamp, ReadOnlySpan<byte> value)
        {
            if (timestamp is not { } ms)
            {
                return;
            }

            // Out of NodaTime's range: as malformed as the answer's other faults.
            _ = Instant.FromUnixTimeMilliseconds(ms);
            if (string.Equals(cellColumn, column, StringComparison.Ordinal) && (_bestValue is null || ms > _bestMs))
            {
                _bestMs = ms;
                _bestValue = value.ToArray();
            }
        }

        public void EndRow()
        {
            if (_bestValue is null)
            {
                return;
            }

            var eventTime = Instant.FromUnixTimeMilliseconds(_bestMs);
            if (now is { } n && eventTime + ttl <= n)
            {
                return;
            }

            ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(result, _key, out var exists);
            if (!exists || seen!.EventTime < eventTime)
            {
                seen = new FeatureRecord(_key, eventTime, _bestValue);
            }
        }
    }
}
