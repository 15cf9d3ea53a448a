using System.Buffers;
using System.Text;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Formats;

/// <summary>
/// Builds a protobuf <c>CellSet</c> row by row in a pooled buffer, byte for byte what
/// <see cref="ProtobufCellSetWriter"/> writes, without result objects: a row's cells are gathered, then the row is
/// written with its length; a row without cells is left out. <see cref="Detach"/> hands the buffer over.
/// </summary>
/// <remarks>Not thread-safe: one per response.</remarks>
internal sealed class ProtobufCellSetBuffer
{
    private const byte RowTag = (1 << 3) | 2;
    private const byte KeyTag = (1 << 3) | 2;
    private const byte CellTag = (2 << 3) | 2;
    private const byte ColumnTag = (2 << 3) | 2;
    private const byte TimestampTag = 3 << 3;
    private const byte DataTag = (4 << 3) | 2;

    private readonly List<(ColumnKey Column, long Timestamp, byte[] Value)> _cells = [];
    private byte[] _buffer;
    private int _length;
    private byte[] _key = [];
    private int _keyLength;
    private string? _family;
    private byte[] _familyBytes = [];

    public ProtobufCellSetBuffer(int capacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>Gets the number of rows written.</summary>
    public int Rows { get; private set; }

    /// <summary>Starts a row; its cells follow, then <see cref="EndRow"/>.</summary>
    public void BeginRow(ReadOnlySpan<byte> key)
    {
        if (_key.Length < key.Length)
        {
            _key = new byte[Math.Max(key.Length, 64)];
        }

        key.CopyTo(_key);
        _keyLength = key.Length;
        _cells.Clear();
    }

    /// <summary>A cell of the current row, in the order it is to be written.</summary>
    public void Cell(ColumnKey column, long timestamp, byte[] value) => _cells.Add((column, timestamp, value));

    /// <summary>Writes the current row, unless it has no cells.</summary>
    public void EndRow()
    {
        if (_cells.Count == 0)
        {
            return;
        }

        var rowSize = BytesFieldSize(_keyLength);
        foreach (var (column, timestamp, value) in _cells)
        {
            var cellSize = CellSize(column, timestamp, value);
            rowSize += 1 + VarintSize((ulong)cellSize) + cellSize;
        }

        Ensure(1 + VarintSize((ulong)rowSize) + rowSize);
        _buffer[_length++] = RowTag;
        WriteVarint((ulong)rowSize);
        WriteBytes(KeyTag, _key.AsSpan(0, _keyLength));
        foreach (var (column, timestamp, value) in _cells)
        {
            _buffer[_length++] = CellTag;
            WriteVarint((ulong)CellSize(column, timestamp, value));
            var family = FamilyBytes(column.Family);
            _buffer[_length++] = ColumnTag;
            WriteVarint((ulong)(family.Length + 1 + column.Qualifier.Length));
            family.CopyTo(_buffer, _length);
            _length += family.Length;
            _buffer[_length++] = (byte)':';
            column.Qualifier.CopyTo(_buffer, _length);
            _length += column.Qualifier.Length;
            _buffer[_length++] = TimestampTag;
            WriteVarint(unchecked((ulong)timestamp));
            WriteBytes(DataTag, value);
        }

        _cells.Clear();
        Rows++;
    }

    /// <summary>Hands over the pooled buffer and the length written; the buffer goes back to
    /// <see cref="ArrayPool{T}.Shared"/> once sent. This builder must not be used afterwards.</summary>
    public (byte[] Buffer, int Length) Detach()
    {
        var result = (_buffer, _length);
        _buffer = [];
        _length = 0;
        return result;
    }

    private int CellSize(ColumnKey column, long timestamp, byte[] value) =>
        BytesFieldSize(FamilyBytes(column.Family).Length + 1 + column.Qualifier.Length)
        + 1 + VarintSize(unchecked((ulong)timestamp))
        + BytesFieldSize(value.Length);

    /// <summary>The family's UTF-8, kept for the last family seen: the cells of an answer mostly share one.</summary>
    private byte[] FamilyBytes(string family)
    {
        if (!ReferenceEquals(family, _family) && family != _family)
        {
            _familyBytes = Encoding.UTF8.GetBytes(family);
        }

        _family = family;
        return _familyBytes;
    }

    private static int BytesFieldSize(int length) => ProtobufCellSetWriter.BytesFieldSize(length);

    private static int VarintSize(ulong value) => ProtobufCellSetWriter.VarintSize(value);

    private void Ensure(int more)
    {
        if (_buffer.Length - _length >= more)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private void WriteBytes(byte tag, ReadOnlySpan<byte> value)
    {
        _buffer[_length++] = tag;
        WriteVarint((ulong)value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }
}
