namespace Cep.HBaseRestServer.Store;

/// <summary>
/// One in-memory table: rows sorted bytewise, columns by family then qualifier, versions newest first.
/// Delete markers hide every version at or below their timestamp, including versions written later
/// with an older timestamp (as in HBase before a major compaction). All members lock the table.
/// </summary>
internal sealed partial class StoredTable
{
    private readonly object _gate = new();
    private readonly SortedDictionary<byte[], StoredRow> _rows = new(ByteArrayComparer.Instance);

    /// <summary>The same rows by key hash, for point reads; rows are only ever added, to both at once.</summary>
    private readonly Dictionary<byte[], StoredRow> _index;

    /// <summary>The same index, looked up by a span (a key decoded from a request into a scratch buffer).</summary>
    private readonly Dictionary<byte[], StoredRow>.AlternateLookup<ReadOnlySpan<byte>> _indexBySpan;
    /// <summary>Written by <see cref="GetMany"/> so that its pass over the rows' columns is not optimized away.</summary>
    private int _columnsTouched;
    private readonly Dictionary<ColumnKey, ColumnKey> _columnKeys = new(ColumnKeyComparer.Instance);
    private SortedDictionary<string, ColumnFamilyDescriptor> _families = new(StringComparer.Ordinal);
    private Dictionary<string, string> _attributes = new(StringComparer.Ordinal);

    public StoredTable(string name, IEnumerable<ColumnFamilyDescriptor> families, IReadOnlyDictionary<string, string>? attributes = null)
    {
        _index = new Dictionary<byte[], StoredRow>(ByteArrayComparer.Instance);
        _indexBySpan = _index.GetAlternateLookup<ReadOnlySpan<byte>>();
        Name = name;
        foreach (var family in families)
        {
            _families[family.Name] = family.Validate();
        }
        if (attributes is not null)
        {
            _attributes = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        }
    }

    public string Name { get; }

    public IReadOnlyList<ColumnFamilyDescriptor> Families
    {
        get
        {
            lock (_gate)
            {
                return [.. _families.Values];
            }
        }
    }

    public IReadOnlyDictionary<string, string> Attributes
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_attributes, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Full replace (PUT schema): families not listed are dropped with their data.</summary>
    public void ReplaceSchema(IEnumerable<ColumnFamilyDescriptor> families, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_gate)
        {
            var next = new SortedDictionary<string, ColumnFamilyDescriptor>(StringComparer.Ordinal);
            foreach (var family in families)
            {
                next[family.Name] = family.Validate();
            }
            foreach (var row in _rows.Values)
            {
                foreach (var key in row.Columns.Keys.Where(k => !next.ContainsKey(k.Family)).ToList())
                {
                    row.Columns.Remove(key);
                }
            }
            _families = next;
            _attributes = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        }
    }

    /// <summary>Add or modify the listed families only (POST schema).</summary>
    public void AddOrModifyFamilies(IEnumerable<ColumnFamilyDescriptor> families, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_gate)
        {
            foreach (var family in families)
            {
                _families[family.Name] = family.Validate();
            }
            foreach (var (key, value) in attributes)
            {
                _attributes[key] = value;
            }
        }
    }

    /// <summary>The visible cells of one row, in column order, newest version first.</summary>
    public List<ResultCell> Get(byte[] row, ReadSpec spec, long now)
    {
        lock (_gate)
        {
            CheckFamilies(spec.Columns);
            return _index.TryGetValue(row, out var stored) ? ReadRow(row, stored, spec, now) : [];
        }
    }

    /// <summary>Reads many rows under one lock: key <c>i</c> is <c>keys[ends[i-1]..ends[i]]</c>. Every key gets a
    /// <see cref="IRowVisitor.BeginRow"/>, the visible cells of its row if it exists, and an <see cref="IRowVisitor.EndRow"/>.</summary>
    public void GetMany<TVisitor>(ReadOnlySpan<byte> keys, ReadOnlySpan<int> ends, ReadSpec spec, long now, ref TVisitor visitor)
        where TVisitor : struct, IRowVisitor
    {
        var rows = System.Buffers.ArrayPool<StoredRow?>.Shared.Rent(ends.Length);
        try
        {
            lock (_gate)
            {
                CheckFamilies(spec.Columns);

                // First every row, then every row's columns, then the cells: the look-ups of different keys do not
                // depend on each other, so the processor can wait for their cache misses together.
                var start = 0;
                for (var i = 0; i < ends.Length; i++)
                {
                    rows[i] = _indexBySpan.TryGetValue(keys[start..ends[i]], out var stored) ? stored : null;
                    start = ends[i];
                }
                var columns = 0;
                for (var i = 0; i < ends.Length; i++)
                {
                    columns += rows[i]?.Columns.Count ?? 0;
                }
                _columnsTouched = columns;
                start = 0;
                for (var i = 0; i < ends.Length; i++)
                {
                    visitor.BeginRow(keys[start..ends[i]]);
                    if (rows[i] is { } row)
                    {
                        ReadRow(row, spec, now, ref visitor);
                    }
                    visitor.EndRow();
                    start = ends[i];
                }
            }
        }
        finally
        {
            Array.Clear(rows, 0, ends.Length);
            System.Buffers.ArrayPool<StoredRow?>.Shared.Return(rows);
        }
    }

    /// <summary>The visible cells of rows in [start, end) (null end = to the last row), rows with none skipped.</summary>
    public List<List<ResultCell>> Scan(byte[] start, byte[]? end, ReadSpec spec, long now)
    {
        lock (_gate)
        {
            CheckFamilies(spec.Columns);
            var result = new List<List<ResultCell>>();
            foreach (var (key, stored) in _rows)
            {
                if (ByteArrayComparer.Instance.Compare(key, start) < 0)
                {
                    continue;
                }
                if (end is { Length: > 0 } && ByteArrayComparer.Instance.Compare(key, end) >= 0)
                {
                    break;
                }
                var cells = ReadRow(key, stored, spec, now);
                if (cells.Count > 0)
                {
                    result.Add(cells);
                }
            }
            return result;
        }
    }

    /// <summary>Writes all cells or none: every family is checked before anything is stored.</summary>
    public void Put(IReadOnlyList<PutCell> cells, long now)
    {
        lock (_gate)
        {
            foreach (var cell in cells)
            {
                FamilyOf(cell.Column.Family);
            }
            foreach (var cell in cells)
            {
                PutOne(cell, now);
            }
        }
    }

    /// <summary>Applies the deletes to one row (a missing row is fine, as in HBase).</summary>
    public void Delete(byte[] row, IReadOnlyList<DeleteOp> deletes, long now)
    {
        lock (_gate)
        {
            foreach (var op in deletes)
            {
                if (op.Family is not null)
                {
                    FamilyOf(op.Family);
                }
            }
            ApplyDeletes(row, deletes, now);
        }
    }

    /// <summary>Puts when the newest visible value of <paramref name="check"/> equals <paramref name="expected"/>
    /// (an empty or null expected value means "absent or empty").</summary>
    public bool CheckAndPut(byte[] row, ColumnKey check, byte[]? expected, IReadOnlyList<PutCell> cells, long now)
    {
        lock (_gate)
        {
            FamilyOf(check.Family);
            foreach (var cell in cells)
            {
                FamilyOf(cell.Column.Family);
            }
            if (!ConditionHolds(row, check, expected, now))
            {
                return false;
            }
            foreach (var cell in cells)
            {
                PutOne(cell, now);
            }
            return true;
        }
    }

    /// <summary>Deletes when the newest visible value of <paramref name="check"/> equals <paramref name="expected"/>.</summary>
    public bool CheckAndDelete(byte[] row, ColumnKey check, byte[]? expected, IReadOnlyList<DeleteOp> deletes, long now)
    {
        lock (_gate)
        {
            FamilyOf(check.Family);
            foreach (var op in deletes)
            {
                if (op.Family is not null)
                {
                    FamilyOf(op.Family);
                }
            }
            if (!ConditionHolds(row, check, expected, now))
            {
                return false;
            }
            ApplyDeletes(row, deletes, now);
            return true;
        }
    }
}
