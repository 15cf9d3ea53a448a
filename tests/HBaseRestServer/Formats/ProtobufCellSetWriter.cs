using System.Text;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Formats;

/// <summary>
/// Writes a protobuf <c>CellSet</c> straight into one array, byte for byte what the generated message classes
/// write (rows with their key, cells with column, timestamp and data, in field order), without building them.
/// </summary>
internal static class ProtobufCellSetWriter
{
    private const byte RowTag = (1 << 3) | 2;         // CellSet.rows, length-delimited
    private const byte KeyTag = (1 << 3) | 2;         // Row.key
    private const byte CellTag = (2 << 3) | 2;        // Row.values
    private const byte ColumnTag = (2 << 3) | 2;      // Cell.column
    private const byte TimestampTag = 3 << 3;         // Cell.timestamp, varint
    private const byte DataTag = (4 << 3) | 2;        // Cell.data

    public static byte[] Write(IReadOnlyList<IReadOnlyList<ResultCell>> rows)
    {
        var total = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var rowSize = RowSize(rows[r]);
            total += 1 + VarintSize((ulong)rowSize) + rowSize;
        }

        var buffer = new byte[total];
        var at = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            buffer[at++] = RowTag;
            at = WriteVarint(buffer, at, (ulong)RowSize(row));
            at = WriteBytes(buffer, at, KeyTag, row[0].Row);
            for (var c = 0; c < row.Count; c++)
            {
                var cell = row[c];
                var familyBytes = Encoding.UTF8.GetByteCount(cell.Column.Family);
                buffer[at++] = CellTag;
                at = WriteVarint(buffer, at, (ulong)CellSize(cell, familyBytes));
                buffer[at++] = ColumnTag;
                at = WriteVarint(buffer, at, (ulong)(familyBytes + 1 + cell.Column.Qualifier.Length));
                at += Encoding.UTF8.GetBytes(cell.Column.Family, buffer.AsSpan(at));
                buffer[at++] = (byte)':';
                cell.Column.Qualifier.CopyTo(buffer, at);
                at += cell.Column.Qualifier.Length;
                buffer[at++] = TimestampTag;
                at = WriteVarint(buffer, at, unchecked((ulong)cell.Timestamp));
                at = WriteBytes(buffer, at, DataTag, cell.Value);
            }
        }

        return at == total ? buffer : throw new InvalidOperationException($"CellSet size {total} computed, {at} written.");
    }

    private static int RowSize(IReadOnlyList<ResultCell> row)
    {
        var size = BytesFieldSize(row[0].Row.Length);
        for (var c = 0; c < row.Count; c++)
        {
            var cellSize = CellSize(row[c], Encoding.UTF8.GetByteCount(row[c].Column.Family));
            size += 1 + VarintSize((ulong)cellSize) + cellSize;
        }

        return size;
    }

    private static int CellSize(ResultCell cell, int familyBytes) =>
        BytesFieldSize(familyBytes + 1 + cell.Column.Qualifier.Length)
        + 1 + VarintSize(unchecked((ulong)cell.Timestamp))
        + BytesFieldSize(cell.Value.Length);

    /// <summary>Gets the size of a length-delimited field of <paramref name="length"/> bytes with a one-byte tag.</summary>
    internal static int BytesFieldSize(int length) => 1 + VarintSize((ulong)length) + length;

    /// <summary>Gets the size of <paramref name="value"/> as a varint.</summary>
    internal static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(byte[] buffer, int at, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        return at;
    }

    private static int WriteBytes(byte[] buffer, int at, byte tag, byte[] value)
    {
        buffer[at++] = tag;
        at = WriteVarint(buffer, at, (ulong)value.Length);
        value.CopyTo(buffer, at);
        return at + value.Length;
    }
}
