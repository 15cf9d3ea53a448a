namespace Cep.Connectors.HBase.Internal;

/// <summary>A cell ready for the wire: its column encoded, its timestamp in milliseconds or null.</summary>
internal readonly record struct WireCell(byte[] Column, ReadOnlyMemory<byte> Value, long? Timestamp);

/// <summary>A row ready for the wire.</summary>
internal sealed record WireRow(byte[] Key, IReadOnlyList<WireCell> Cells);

/// <summary>A scanner specification ready for the wire.</summary>
internal sealed record WireScanner(
    byte[]? StartRow, byte[]? EndRow, IReadOnlyList<byte[]> Columns, int Batch, long? StartTime, long? EndTime, int? MaxVersions, string? Filter);

/// <summary>The answer's body does not have the expected shape.</summary>
internal sealed class MalformedBodyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Encodes requests and decodes answers in one media type.</summary>
internal interface IHBaseCodec
{
    /// <summary>Gets the media type of <c>Accept</c> and <c>Content-Type</c>.</summary>
    string MediaType { get; }

    byte[] WriteCellSet(IReadOnlyList<WireRow> rows);

    List<HBaseRow> ReadCellSet(byte[] body);

    byte[] WriteScanner(WireScanner scanner);

    byte[] WriteSchema(HBaseTableSchema schema);

    HBaseTableSchema ReadSchema(byte[] body);

    List<string> ReadTableList(byte[] body);

    HBaseVersionInfo ReadVersion(byte[] body);

    HBaseClusterStatus ReadStatus(byte[] body);
}

/// <summary>Receives the rows of a multi-get as they are decoded: each row's key is the string that was asked for.</summary>
/// <remarks>A value span points into the answer and is valid only during the call.</remarks>
internal interface IRowSink
{
    /// <summary>A row begins; its cells follow, then <see cref="EndRow"/>.</summary>
    void BeginRow(string key);

    /// <summary>One cell of the current row; the timestamp in milliseconds, or null if the answer has none.</summary>
    void Cell(string column, long? timestamp, ReadOnlySpan<byte> value);

    /// <summary>The current row has no more cells.</summary>
    void EndRow();
}
