namespace Cep.Connectors.HBase.Internal;

/// <summary>Receives the rows and cells of a protobuf <c>CellSet</c> as <see cref="ProtobufCellSetReader"/> decodes them.</summary>
/// <remarks>The spans point into the body and are valid only during the call.</remarks>
internal interface ICellSetSink
{
    /// <summary>A row begins; its cells follow, then <see cref="EndRow"/>.</summary>
    void BeginRow(ReadOnlySpan<byte> key);

    /// <summary>One cell of the current row.</summary>
    void Cell(ReadOnlySpan<byte> column, long? timestamp, ReadOnlySpan<byte> data);

    /// <summary>The current row has no more cells.</summary>
    void EndRow();
}

/// <summary>
/// Decodes a protobuf <c>CellSet</c> straight from the body's bytes, without building message objects: rows (field 1)
/// with their key (1) and cells (2), cells with column (2), timestamp (3) and data (4). It reads what the generated
/// parser reads: fields in any order, the last of a repeated scalar wins, unknown fields (groups included) are skipped,
/// and every malformation the generated parser rejects (truncation, bad varints, lengths or wire types, a stray end
/// group, a row without its required key) throws a <see cref="MalformedBodyException"/>; a cell without a column is
/// rejected too, as the client always did.
/// </summary>
/// <threadsafety>Stateless; safe for concurrent use.</threadsafety>
internal static class ProtobufCellSetReader
{
    private const uint RowTag = (1 << 3) | 2;
    private const uint KeyTag = (1 << 3) | 2;
    private const uint ValuesTag = (2 << 3) | 2;
    private const uint CellRowTag = (1 << 3) | 2;
    private const uint ColumnTag = (2 << 3) | 2;
    private const uint TimestampTag = 3 << 3;
    private const uint DataTag = (4 << 3) | 2;

    /// <summary>Decodes <paramref name="body"/> into <paramref name="sink"/>, row by row in body order.</summary>
    /// <exception cref="MalformedBodyException">The body is not a well-formed <c>CellSet</c>.</exception>
    public static void Read<TSink>(ReadOnlySpan<byte> body, ref TSink sink)
        where TSink : ICellSetSink, allows ref struct
    {
        var reader = new ProtoReader(body);
        while (reader.TryReadTag(out var tag))
        {
            if (tag == RowTag)
            {
                ReadRow(reader.ReadLengthDelimited(), ref sink);
            }
            else
            {
                reader.SkipField(tag);
            }
        }
    }

    private static void ReadRow<TSink>(ReadOnlySpan<byte> row, ref TSink sink)
        where TSink : ICellSetSink, allows ref struct
    {
        // The key may follow the cells and may be repeated (the last wins): find it first.
        var reader = new ProtoReader(row);
        var key = default(ReadOnlySpan<byte>);
        var hasKey = false;
        while (reader.TryReadTag(out var tag))
        {
            if (tag == KeyTag)
            {
                key = reader.ReadLengthDelimited();
                hasKey = true;
            }
            else
            {
                reader.SkipField(tag);
            }
        }

        if (!hasKey)
        {
            throw new MalformedBodyException("a row has no key");
        }

        sink.BeginRow(key);
        reader = new ProtoReader(row);
        while (reader.TryReadTag(out var tag))
        {
            if (tag == ValuesTag)
            {
                ReadCell(reader.ReadLengthDelimited(), ref sink);
            }
            else
            {
                reader.SkipField(tag);
            }
        }

        sink.EndRow();
    }

    private static void ReadCell<TSink>(ReadOnlySpan<byte> cell, ref TSink sink)
        where TSink : ICellSetSink, allows ref struct
    {
        var reader = new ProtoReader(cell);
        var column = default(ReadOnlySpan<byte>);
        var hasColumn = false;
        var data = default(ReadOnlySpan<byte>);
        long? timestamp = null;
        while (reader.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case ColumnTag:
                    column = reader.ReadLengthDelimited();
                    hasColumn = true;
                    break;
                case TimestampTag:
                    timestamp = unchecked((long)reader.ReadVarint64());
                    break;
                case DataTag:
                    data = reader.ReadLengthDelimited();
                    break;
                case CellRowTag:
                default:
                    reader.SkipField(tag);
                    break;
            }
        }

        if (!hasColumn)
        {
            throw new MalformedBodyException("a cell has no column");
        }

        sink.Cell(column, timestamp, data);
    }
}
