namespace Cep.HBaseRestServer.Store;

internal sealed partial class StoredTable
{
    private ColumnFamilyDescriptor FamilyOf(string family) =>
        _families.TryGetValue(family, out var descriptor) ? descriptor : throw StoreException.NoSuchFamily(Name, family);

    private void CheckFamilies(IReadOnlyList<ColumnSelector> columns)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            FamilyOf(columns[i].Family);
        }
    }

    private static bool Expired(ColumnFamilyDescriptor family, long ts, long now) =>
        family.TtlSeconds != ColumnFamilyDescriptor.Forever && ts < now - (family.TtlSeconds * 1000L);

    private static long MarkerFor(StoredRow row, ColumnKey key, StoredColumn column)
    {
        var marker = Math.Max(row.RowMarker, column.Marker);
        return row.FamilyMarkers is { } markers && markers.TryGetValue(key.Family, out var family) ? Math.Max(marker, family) : marker;
    }

    /// <summary>The table's one instance of a column key: rows share their family names and qualifiers.</summary>
    private ColumnKey Intern(ColumnKey key)
    {
        ref var known = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_columnKeys, key, out var exists);
        if (!exists)
        {
            known = key;
        }
        return known;
    }

    private StoredRow AddRow(byte[] key)
    {
        var row = new StoredRow();
        _rows.Add(key, row);
        _index.Add(key, row);
        return row;
    }

    private static bool Selected(IReadOnlyList<ColumnSelector> columns, ColumnKey key)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Matches(key))
            {
                return true;
            }
        }
        return columns.Count == 0;
    }

    private List<ResultCell> ReadRow(byte[] rowKey, StoredRow row, ReadSpec spec, long now)
    {
        var result = new ResultList(rowKey, []);
        ReadRow(row, spec, now, ref result);
        return result.Cells;
    }

    /// <summary>Hands the visible cells of a row to <paramref name="visitor"/>, in column order, newest version first.</summary>
    private void ReadRow<TVisitor>(StoredRow row, ReadSpec spec, long now, ref TVisitor visitor)
        where TVisitor : struct, ICellVisitor
    {
        var columns = row.Columns;
        for (var c = 0; c < columns.Count; c++)
        {
            var key = columns.GetKeyAtIndex(c);
            if (!Selected(spec.Columns, key))
            {
                continue;
            }
            if (!_families.TryGetValue(key.Family, out var family))
            {
                continue;
            }
            var column = columns.GetValueAtIndex(c);
            var marker = MarkerFor(row, key, column);
            int kept = 0, returned = 0;
            foreach (var version in column.Versions)
            {
                if (version.Timestamp <= marker || Expired(family, version.Timestamp, now))
                {
                    continue;
                }
                if (++kept > family.MaxVersions)
                {
                    break;
                }
                if (!spec.InTimeRange(version.Timestamp))
                {
                    continue;
                }
                visitor.Cell(key, version.Timestamp, version.Value);
                if (++returned >= spec.MaxVersions)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Collects a row's cells as <see cref="ResultCell"/>s.</summary>
    private readonly struct ResultList(byte[] row, List<ResultCell> cells) : ICellVisitor
    {
        public List<ResultCell> Cells { get; } = cells;

        public void Cell(ColumnKey column, long timestamp, byte[] value) => Cells.Add(new ResultCell(row, column, timestamp, value));
    }

    private void PutOne(PutCell cell, long now)
    {
        var family = FamilyOf(cell.Column.Family);
        var ts = cell.Timestamp ?? now;
        if (!_index.TryGetValue(cell.Row, out var row))
        {
            row = AddRow(cell.Row);
        }
        if (!row.Columns.TryGetValue(cell.Column, out var column))
        {
            column = new StoredColumn();
            row.Columns.Add(Intern(cell.Column), column);
        }
        if (ts <= MarkerFor(row, cell.Column, column))
        {
            return; // hidden by a delete marker from the moment it is written
        }
        var versions = column.Versions;
        var index = 0;
        while (index < versions.Count && versions[index].Timestamp > ts)
        {
            index++;
        }
        if (index < versions.Count && versions[index].Timestamp == ts)
        {
            versions[index] = new CellVersion(ts, cell.Value);
        }
        else
        {
            versions.Insert(index, new CellVersion(ts, cell.Value));
        }
        if (versions.Count > family.MaxVersions)
        {
            versions.RemoveRange(family.MaxVersions, versions.Count - family.MaxVersions);
        }
    }

    private void ApplyDeletes(byte[] rowKey, IReadOnlyList<DeleteOp> deletes, long now)
    {
        if (!_index.TryGetValue(rowKey, out var row))
        {
            row = AddRow(rowKey);
        }
        foreach (var op in deletes)
        {
            var ts = op.Timestamp ?? now;
            switch (op.Kind)
            {
                case DeleteKind.Row:
                    row.RowMarker = Math.Max(row.RowMarker, ts);
                    break;
                case DeleteKind.Family:
                    var markers = row.FamilyMarkers ??= new(StringComparer.Ordinal);
                    markers[op.Family!] = markers.TryGetValue(op.Family!, out var old) ? Math.Max(old, ts) : ts;
                    break;
                case DeleteKind.Column:
                    var key = new ColumnKey(op.Family!, op.Qualifier!);
                    if (!row.Columns.TryGetValue(key, out var column))
                    {
                        column = new StoredColumn();
                        row.Columns.Add(key, column);
                    }
                    column.Marker = Math.Max(column.Marker, ts);
                    break;
                case DeleteKind.LatestVersion:
                    DeleteLatest(row, new ColumnKey(op.Family!, op.Qualifier!), now);
                    break;
            }
        }
        foreach (var (key, column) in row.Columns)
        {
            var marker = MarkerFor(row, key, column);
            column.Versions.RemoveAll(v => v.Timestamp <= marker);
        }
    }

    private void DeleteLatest(StoredRow row, ColumnKey key, long now)
    {
        if (!row.Columns.TryGetValue(key, out var column))
        {
            return;
        }
        var family = FamilyOf(key.Family);
        var marker = MarkerFor(row, key, column);
        var index = column.Versions.FindIndex(v => v.Timestamp > marker && !Expired(family, v.Timestamp, now));
        if (index >= 0)
        {
            column.Versions.RemoveAt(index);
        }
    }

    private bool ConditionHolds(byte[] rowKey, ColumnKey check, byte[]? expected, long now)
    {
        var cells = _index.TryGetValue(rowKey, out var row)
            ? ReadRow(rowKey, row, new ReadSpec { Columns = [new ColumnSelector(check.Family, check.Qualifier)] }, now)
            : [];
        if (expected is null || expected.Length == 0)
        {
            return cells.Count == 0 || cells[0].Value.Length == 0;
        }
        return cells.Count > 0 && cells[0].Value.AsSpan().SequenceEqual(expected);
    }

    private sealed class StoredRow
    {
        public long RowMarker { get; set; } = long.MinValue;

        /// <summary>Family delete markers; null until the first (most rows never have one).</summary>
        public Dictionary<string, long>? FamilyMarkers { get; set; }

        public SortedList<ColumnKey, StoredColumn> Columns { get; } = new(ColumnKeyComparer.Instance);
    }

    private sealed class StoredColumn
    {
        public long Marker { get; set; } = long.MinValue;

        /// <summary>Newest first; never holds a version hidden by a marker.</summary>
        public List<CellVersion> Versions { get; } = [];
    }

    private readonly record struct CellVersion(long Timestamp, byte[] Value);
}
