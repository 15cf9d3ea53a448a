using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Cep.State;

/// <summary>
/// Writes the snapshot format: little-endian fixed-width integers, unsigned LEB128 counts, length-prefixed UTF-8
/// strings and length-prefixed user values. See <see cref="SnapshotFormat"/> for the layout.
/// </summary>
internal sealed class SnapshotWriter
{
    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    public int Position => _out.WrittenCount;

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    public void WriteByte(byte value) => _out.Write([value]);

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_out.GetSpan(2), value);
        _out.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_out.GetSpan(4), value);
        _out.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_out.GetSpan(8), value);
        _out.Advance(8);
    }

    /// <summary>Writes a non-negative count or index as unsigned LEB128.</summary>
    public void WriteCount(long value)
    {
        var span = _out.GetSpan(10);
        var n = 0;
        var v = (ulong)value;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[n++] = (byte)v;
        _out.Advance(n);
    }

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteCount(bytes.Length);
        _out.Write(bytes);
    }

    /// <summary>Writes a user value framed by its length.</summary>
    public void WriteValue<T>(IStateSerializer<T> serializer, T value)
    {
        _scratch.ResetWrittenCount();
        serializer.Write(_scratch, value);
        WriteCount(_scratch.WrittenCount);
        _out.Write(_scratch.WrittenSpan);
    }

    /// <summary>Patches the total length into the header, appends the checksum and returns the bytes.</summary>
    public byte[] Finish()
    {
        var length = _out.WrittenCount + 8;
        var result = new byte[length];
        _out.WrittenSpan.CopyTo(result);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(SnapshotFormat.LengthOffset), length);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(length - 8), SnapshotFormat.Checksum(result.AsSpan(0, length - 8)));
        return result;
    }
}
