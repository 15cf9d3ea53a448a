using System.Buffers.Binary;

namespace Cep.State;

/// <summary>
/// The envelope of an operator snapshot. All integers are little-endian; counts and indexes are unsigned LEB128.
/// </summary>
/// <remarks>
/// <code>
/// offset 0   4 bytes  magic "CEPS"
/// offset 4   uint16   format version (<see cref="Version"/>)
/// offset 6   uint16   reserved, 0
/// offset 8   int64    total length of the snapshot in bytes, checksum included
/// offset 16  ...      payload (see <see cref="OperatorSnapshotCodec"/>)
/// last 8     uint64   FNV-1a 64 checksum of every byte before it
/// </code>
/// </remarks>
internal static class SnapshotFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The offset of the total length in the header.</summary>
    public const int LengthOffset = 8;

    /// <summary>The size of the header.</summary>
    public const int HeaderSize = 16;

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Gets the magic bytes: "CEPS".</summary>
    public static ReadOnlySpan<byte> Magic => "CEPS"u8;

    /// <summary>Writes the header; the length is patched in by <see cref="SnapshotWriter.Finish"/>.</summary>
    public static void WriteHeader(SnapshotWriter writer)
    {
        writer.WriteBytes(Magic);
        writer.WriteUInt16(Version);
        writer.WriteUInt16(0);
        writer.WriteInt64(0);
    }

    /// <summary>Checks magic, version, length and checksum, in that order, and returns the bytes before the checksum.</summary>
    /// <exception cref="SnapshotFormatException">Any check fails.</exception>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.Length < Magic.Length || !snapshot[..Magic.Length].SequenceEqual(Magic))
        {
            throw new SnapshotFormatException(
                $"Not a CEP operator snapshot: it does not start with the magic \"CEPS\" ({snapshot.Length} bytes given)", 0);
        }

        if (snapshot.Length < HeaderSize)
        {
            throw new SnapshotFormatException($"Truncated snapshot: the header needs {HeaderSize} bytes, only {snapshot.Length} are present", snapshot.Length);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(snapshot[4..]);
        if (version != Version)
        {
            throw new SnapshotFormatException($"Unsupported snapshot format version {version}; this library reads version {Version}", 4);
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(snapshot[LengthOffset..]);
        if (length < HeaderSize + 8)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the header declares an impossible length of {length} bytes", LengthOffset);
        }

        if (length > snapshot.Length)
        {
            throw new SnapshotFormatException($"Truncated snapshot: the header declares {length} bytes, only {snapshot.Length} are present", snapshot.Length);
        }

        if (length < snapshot.Length)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: the header declares {length} bytes, but {snapshot.Length} were given", length);
        }

        var body = snapshot[..(snapshot.Length - 8)];
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(snapshot[^8..]);
        var actual = Checksum(body);
        if (stored != actual)
        {
            throw new SnapshotFormatException($"Corrupt snapshot: checksum mismatch (stored {stored:x16}, computed {actual:x16})", body.Length);
        }

        return body;
    }

    /// <summary>Computes the FNV-1a 64 hash of <paramref name="data"/>.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> data)
    {
        var hash = FnvOffset;
        foreach (var b in data)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }
}
