using NodaTime;

namespace Cep.Connectors.HBase.Internal;

/// <summary>Collects a decoded <c>CellSet</c> as <see cref="HBaseRow"/>s, one per row of the body, each value in its own array.</summary>
internal struct RowListSink() : ICellSetSink
{
    private readonly ColumnNames _columns = new();
    private string? _key;
    private List<HBaseCell>? _cells;

    /// <summary>Gets the rows decoded so far.</summary>
    public List<HBaseRow> Rows { get; } = [];

    public void BeginRow(ReadOnlySpan<byte> key)
    {
        _key = HBaseNames.Decode(key);
        _cells = [];
    }

    public readonly void Cell(ReadOnlySpan<byte> column, long? timestamp, ReadOnlySpan<byte> data) =>
        _cells!.Add(new HBaseCell(_columns.Decode(column), data.ToArray(), timestamp is { } ts ? Instant.FromUnixTimeMilliseconds(ts) : null));

    public void EndRow()
    {
        Rows.Add(new HBaseRow(_key!, _cells!));
        _key = null;
        _cells = null;
    }
}

/// <summary>Decodes column names, reusing the last string: most cells of an answer name the same column.</summary>
internal sealed class ColumnNames
{
    private byte[] _lastBytes = [];
    private string? _last;

    public string Decode(ReadOnlySpan<byte> column)
    {
        if (_last is null || !column.SequenceEqual(_lastBytes))
        {
            _last = HBaseNames.Decode(column);
            _lastBytes = column.ToArray();
        }

        return _last;
    }
}
