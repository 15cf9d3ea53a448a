using System.Collections.Concurrent;
using System.Text;

namespace Cep.HBaseRestServer.Store;

/// <summary>
/// The in-memory "cluster" behind one or more gateways: named tables of versioned cells.
/// Two gateways over one store behave like two REST servers in front of one HBase cluster.
/// </summary>
/// <remarks>Thread-safe: tables lock themselves; the table map is concurrent.</remarks>
public sealed class HBaseStore
{
    private readonly ConcurrentDictionary<string, StoredTable> _tables = new(StringComparer.Ordinal);
    private long _reads;
    private long _writes;

    /// <summary>The names of all tables, sorted ordinally.</summary>
    public IReadOnlyList<string> TableNames => [.. _tables.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether a table exists.</summary>
    public bool TableExists(string table) => _tables.ContainsKey(table);

    /// <summary>Creates a table.</summary>
    /// <exception cref="ArgumentException">The name is empty, a family is invalid or repeated, or no family is given.</exception>
    /// <exception cref="InvalidOperationException">The table already exists.</exception>
    public void CreateTable(string table, params ColumnFamilyDescriptor[] families)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(families);
        if (families.Length == 0)
        {
            throw new ArgumentException($"Table '{table}' needs at least one column family.", nameof(families));
        }
        if (families.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != families.Length)
        {
            throw new ArgumentException($"Table '{table}' lists a column family twice.", nameof(families));
        }
        if (!_tables.TryAdd(table, new StoredTable(table, families)))
        {
            throw new InvalidOperationException($"Table '{table}' already exists.");
        }
    }

    /// <summary>Drops a table and its data; <c>false</c> when it did not exist.</summary>
    public bool DeleteTable(string table) => _tables.TryRemove(table, out _);

    /// <summary>Writes one cell directly (for seeding benchmarks and tests).</summary>
    /// <param name="table">Table name.</param>
    /// <param name="row">Row key bytes.</param>
    /// <param name="column"><c>family:qualifier</c>.</param>
    /// <param name="timestampMs">Cell timestamp in Unix milliseconds.</param>
    /// <param name="value">Cell value.</param>
    /// <exception cref="ArgumentException"><paramref name="column"/> has no colon.</exception>
    /// <exception cref="KeyNotFoundException">The table or the family does not exist.</exception>
    public void Put(string table, byte[] row, string column, long timestampMs, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(value);
        if (!ColumnKey.TryParse(Encoding.UTF8.GetBytes(column), out var key))
        {
            throw new ArgumentException($"Column '{column}' must be 'family:qualifier'.", nameof(column));
        }
        try
        {
            Require(table).Put([new PutCell(row, key, timestampMs, value)], timestampMs);
        }
        catch (StoreException e)
        {
            throw new KeyNotFoundException(e.Message, e);
        }
    }

    /// <summary>Read requests served by every gateway over this store.</summary>
    public long ReadRequests => Interlocked.Read(ref _reads);

    /// <summary>Write requests served by every gateway over this store.</summary>
    public long WriteRequests => Interlocked.Read(ref _writes);

    internal void CountRead() => Interlocked.Increment(ref _reads);

    internal void CountWrite() => Interlocked.Increment(ref _writes);

    internal StoredTable? Find(string table) => _tables.TryGetValue(table, out var t) ? t : null;

    internal StoredTable Require(string table) => Find(table) ?? throw StoreException.TableNotFound(table);

    /// <summary>Creates the table unless it exists; <c>true</c> when this call created it.</summary>
    internal bool TryCreate(StoredTable table) => _tables.TryAdd(table.Name, table);

    internal IEnumerable<StoredTable> Tables => _tables.Values;
}
