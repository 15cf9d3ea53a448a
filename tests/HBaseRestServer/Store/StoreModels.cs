namespace Cep.HBaseRestServer.Store;

/// <summary>One cell version as a read returns it.</summary>
internal sealed record ResultCell(byte[] Row, ColumnKey Column, long Timestamp, byte[] Value);

/// <summary>Receives the visible cells of a row as a read finds them (the value array is the store's: do not change it).</summary>
internal interface ICellVisitor
{
    void Cell(ColumnKey column, long timestamp, byte[] value);
}

/// <summary>Receives the rows of a multi-row read in the order asked, each with its visible cells (none for a missing row).</summary>
internal interface IRowVisitor : ICellVisitor
{
    void BeginRow(ReadOnlySpan<byte> key);

    void EndRow();
}

/// <summary>One cell to write; a null timestamp means "the server's current time".</summary>
internal sealed record PutCell(byte[] Row, ColumnKey Column, long? Timestamp, byte[] Value);

/// <summary>A column requested by a read: a whole family (null qualifier) or one column.</summary>
internal readonly record struct ColumnSelector(string Family, byte[]? Qualifier)
{
    public static ColumnSelector Parse(ReadOnlySpan<byte> column) =>
        ColumnKey.TryParse(column, out var key)
            ? new ColumnSelector(key.Family, key.Qualifier)
            : new ColumnSelector(System.Text.Encoding.UTF8.GetString(column), null);

    public bool Matches(ColumnKey key) =>
        key.Family == Family && (Qualifier is null || ByteArrayComparer.Instance.Equals(Qualifier, key.Qualifier));
}

/// <summary>What a get or scan returns of each row: columns, time range and versions.</summary>
internal sealed class ReadSpec
{
    public IReadOnlyList<ColumnSelector> Columns { get; init; } = [];

    /// <summary>Exactly this version, when set; otherwise the range [<see cref="StartTime"/>, <see cref="EndTime"/>).</summary>
    public long? Timestamp { get; init; }

    public long StartTime { get; init; }

    public long EndTime { get; init; } = long.MaxValue;

    public int MaxVersions { get; init; } = 1;

    public bool InTimeRange(long ts) => Timestamp is { } exact ? ts == exact : ts >= StartTime && ts < EndTime;
}

/// <summary>What a delete removes; every kind hides the versions at or below its timestamp, except <see cref="DeleteKind.LatestVersion"/>.</summary>
internal enum DeleteKind
{
    Row,
    Family,
    Column,
    LatestVersion,
}

/// <summary>One delete; a null timestamp means "the server's current time".</summary>
internal sealed record DeleteOp(DeleteKind Kind, string? Family = null, byte[]? Qualifier = null, long? Timestamp = null);

/// <summary>A failure the REST layer maps onto a status code (404 for missing tables/families, 400 for bad requests).</summary>
internal sealed class StoreException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static StoreException TableNotFound(string table) => new(404, $"Not found: table '{table}' does not exist");

    public static StoreException NoSuchFamily(string table, string family) =>
        new(404, $"Not found: column family '{family}' does not exist in table '{table}'");
}
