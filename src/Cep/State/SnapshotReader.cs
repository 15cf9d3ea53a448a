using System.Buffers.Binary;
using System.Text;

namespace Cep.State;

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote; every read checks bounds and reports the offset.</summary>
internal ref struct SnapshotReader(ReadOnlySpan<byte> data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    /// <summary>
    /// Opens an operator snapshot: checks the format header and checksum, then that the snapshot was taken by an
    /// operator of <paramref name="kind"/>; the reader stands after the kind.
    /// </summary>
    /// <exception cref="SnapshotFormatException">The bytes are not a snapshot, are corrupt, or are of another operator kind.</exception>
    public static SnapshotReader OpenOperator(ReadOnlySpan<byte> snapshot, string kind)
    {
        var r = new SnapshotReader(SnapshotFormat.Open(snapshot));
        r.Skip(SnapshotFormat.HeaderSize, "header");
        var at = r.Position;
        var found = r.ReadString("operator kind");
        if (found != kind)
        {
            throw new SnapshotFormatException($"The snapshot was taken by a '{found}' operator, not by a '{kind}' operator", at);
        }

        return r;
    }

    /// <summary>Reads the settings fingerprint and checks that it is <paramref name="expected"/>.</summary>
    /// <exception cref="SnapshotFormatException">The snapshot was taken with other settings.</exception>
    public void ExpectFingerprint(string expected)
    {
        var at = Position;
        var fingerprint = ReadString("fingerprint");
        if (fingerprint != expected)
        {
            throw new SnapshotFormatException($"The snapshot was taken with other settings: it has {fingerprint}, this operator has {expected}", at);
        }
    }

    public readonly int Remaining => _data.Length - Position;

    public void Skip(int count, string what) => Take(count, what);

    public byte ReadByte(string what) => Take(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

    public long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    /// <summary>Reads an unsigned LEB128 value that must be at most <paramref name="max"/>.</summary>
    public int ReadCount(string what, long max)
    {
        var start = Position;
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = Take(1, what)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new SnapshotFormatException($"Corrupt snapshot: the {what} is not a valid count", start);
            }
        }

        if (value > (ulong)Math.Min(max, int.MaxValue))
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the {what} is {value}, at most {Math.Min(max, int.MaxValue)} is possible", start);
        }

        return (int)value;
    }

    /// <summary>Reads a count of items that each take at least one byte, so it cannot exceed the bytes left.</summary>
    public int ReadItemCount(string what) => ReadCount(what, Remaining);

    /// <summary>Reads an index into a table of <paramref name="count"/> entries.</summary>
    public int ReadIndex(string what, int count)
    {
        var start = Position;
        var value = ReadCount(what, long.MaxValue);
        return value < count ? value
            : throw new SnapshotFormatException($"Corrupt snapshot: the {what} is {value}, but there are only {count}", start);
    }

    public string ReadString(string what)
    {
        var length = ReadCount($"length of the {what}", Remaining);
        var start = Position;
        try
        {
            return StrictUtf8.GetString(Take(length, what));
        }
        catch (DecoderFallbackException error)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the {what} is not valid UTF-8", start, error);
        }
    }

    /// <summary>Reads a user value framed by its length; wraps the serializer's failure.</summary>
    public T ReadValue<T>(IStateSerializer<T> serializer, string what)
    {
        var length = ReadCount($"length of the {what}", Remaining);
        var start = Position;
        var bytes = Take(length, what);
        try
        {
            return serializer.Read(bytes);
        }
        catch (Exception error) when (error is not SnapshotFormatException)
        {
            throw new SnapshotFormatException($"The {what} serializer ({serializer.GetType().Name}) failed to read a value of {length} bytes: {error.Message}", start, error);
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new SnapshotFormatException($"Truncated snapshot: the {what} needs {count} bytes, only {Remaining} are left", Position);
        }

        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }
}
