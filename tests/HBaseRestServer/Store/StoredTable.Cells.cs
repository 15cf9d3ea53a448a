namespace Cep.HBaseRestServer.Store;

internal sealed partial class StoredTable
{
    private ColumnFamilyDescriptor FamilyOf(string family) =>
        _families.TryGetValue(family, out var descriptor) ? descriptor : throw StoreException.NoSuchFamily(Name, family);

    private void CheckFamilies(IReadOnlyList<ColumnSelector> columns)
    {
        foreach (var column in columns)
        {
            FamilyOf(column.Family);
        }
    }

    private static bool Expired(ColumnFamilyDescriptor family, long ts, long now) =>
        family.TtlSeconds != ColumnFamilyDescriptor.Forever && ts < now - (family.TtlSeconds * 1000L);

    private static long MarkerFor(StoredRow row, ColumnKey key, StoredColumn column)
    {
        var marker = Math.Max(row.RowMarker, column.Marker);
        return row.FamilyMarkers.TryGetValue(key.Family, out var family) ? Math.Max(marker, family) : marker;
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
        var result = new List<ResultCell>();
        foreach (var (key, column) in row.Columns)
        {
            if (!Selected(spec.Columns, key))
            {
                continue;
            }
            if (!_families.TryGetValue(key.Family, out var family))
            {
                continue;
            }
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
                result.Add(new ResultCell(rowKey, key, version.Timestamp, version.Value));
                if (++returned >= spec.MaxVersions)
                {
                    break;
                }
            }
        }
        return result;
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
            row.Columns.Add(cell.Column, column);
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
                    row.FamilyMarkers[op.Family!] = row.FamilyMarkers.TryGetValue(op.Family!, out var old) ? Math.Max(old, ts) : ts;
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

        public Dictionary<string, long> FamilyMarkers { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<ColumnKey, StoredColumn> Columns { get; } = new(ColumnKeyComparer.Instance);
    }

    private sealed class StoredColumn
    {
        public long Marker { get; set; } = long.MinValue;

        /// <summary>Newest first; never holds a version hidden by a marker.</summary>
        public List<CellVersion> Versions { get; } = [];
    }

    private readonly record struct CellVersion(long Timestamp, byte[] Value);
}
