using System.Buffers;

namespace Cep.State;

/// <summary>
/// Turns values of a user type (a key or an event type) into bytes for an operator snapshot, and back.
/// </summary>
/// <typeparam name="T">The type of the values.</typeparam>
/// <remarks>
/// <para>The snapshot frames every value: <see cref="Write"/> appends the bytes of one value and <see cref="Read"/> is
/// given exactly those bytes again, so an implementation needs neither a length prefix nor an end marker, and cannot
/// read past its value.</para>
/// <para><see cref="StateSerializer.Default{T}"/> gives a binary serializer for primitives, strings and
/// <see cref="NodaTime.Instant"/>, and System.Text.Json for any other type. Implement this interface for types that
/// JSON cannot round-trip (no public constructor, polymorphism, private state) or to make snapshots smaller.</para>
/// </remarks>
/// <threadsafety>Called on the thread that takes or restores the snapshot; an instance may be shared by operators that
/// are snapshotted one at a time.</threadsafety>
public interface IStateSerializer<T>
{
    /// <summary>Appends the bytes of <paramref name="value"/> to <paramref name="destination"/>.</summary>
    /// <param name="destination">The buffer to append to; only this value's bytes go here.</param>
    /// <param name="value">The value; may be null if <typeparamref name="T"/> allows it.</param>
    void Write(IBufferWriter<byte> destination, T value);

    /// <summary>Reads a value back from exactly the bytes <see cref="Write"/> produced for it.</summary>
    /// <param name="source">The bytes of one value.</param>
    /// <returns>The value.</returns>
    /// <exception cref="Exception">Any exception for malformed bytes; the operator reports it as a
    /// <see cref="SnapshotFormatException"/> that names the offset of the value.</exception>
    T Read(ReadOnlySpan<byte> source);
}
