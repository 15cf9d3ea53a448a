using System.Buffers.Binary;
using System.Text;

namespace Cep.Connectors.Faster;

/// <summary>
/// The bytes a <see cref="FasterFeatureStore"/> keeps: the key as UTF-8; the value as the event time in Unix ticks
/// (8 bytes), the length of the features (4 bytes), the features, then possibly unused padding.
/// </summary>
/// <remarks>
/// The explicit length lets an update reuse a stored value that is longer than the new one without changing the
/// length FASTER records for it (FASTER sizes a copied value as the larger of the old and the new), so the log's
/// record sizes never change in place.
/// </remarks>
internal static class FeatureValueCodec
{
    /// <summary>The size of the event time and length that precede the features.</summary>
    public const int HeaderSize = sizeof(long) + sizeof(int);

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the stored form of a value into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteValue(Span<byte> destination, long eventTicks, ReadOnlySpan<byte> features)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, eventTicks);
        BinaryPrimitives.WriteInt32LittleEndian(destination[sizeof(long)..], features.Length);
        features.CopyTo(destination[HeaderSize..]);
        return HeaderSize + features.Length;
    }

    /// <summary>Reads the event time of a stored or incoming value.</summary>
    public static long EventTicks(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64LittleEndian(value);

    /// <summary>Gets the number of meaningful bytes of a stored or incoming value (header and features, no padding).</summary>
    public static int UsedLength(ReadOnlySpan<byte> value) => HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(value[sizeof(long)..]);

    /// <summary>Gets the features of a stored value.</summary>
    public static ReadOnlyMemory<byte> Features(byte[] value) => value.AsMemory(HeaderSize, UsedLength(value) - HeaderSize);
}
