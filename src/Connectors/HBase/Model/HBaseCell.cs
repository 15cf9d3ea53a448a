using NodaTime;

namespace Cep.Connectors.HBase;

/// <summary>One cell version: a column (<c>family:qualifier</c>), its value and its timestamp.</summary>
/// <param name="Column">The column as <c>family:qualifier</c> (the qualifier may be empty; a family alone, without the
/// colon, is allowed only where a whole family is meant, e.g. in deletes and column lists).</param>
/// <param name="Value">The value bytes.</param>
/// <param name="Timestamp">The cell timestamp, with millisecond precision (HBase stores milliseconds since the Unix
/// epoch; finer parts are truncated when written), or null when writing to let the gateway's region server assign its
/// own time.</param>
/// <remarks>Equality compares <see cref="Value"/> as a memory reference, not by content (a record over
/// <see cref="ReadOnlyMemory{T}"/>); compare <c>Value.Span.SequenceEqual(...)</c> for content.</remarks>
/// <threadsafety>Immutable as long as the value's buffer is not changed; safe to share.</threadsafety>
public sealed record HBaseCell(string Column, ReadOnlyMemory<byte> Value, Instant? Timestamp = null)
{
    /// <summary>Gets the column family: the part of <see cref="Column"/> before the first colon.</summary>
    public string Family => Column.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? Column[..i] : Column;

    /// <summary>Gets the qualifier: the part of <see cref="Column"/> after the first colon, or null if there is no colon.</summary>
    public string? Qualifier => Column.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? Column[(i + 1)..] : null;

    /// <summary>Gets the timestamp in milliseconds since the Unix epoch, or null when none is set.</summary>
    public long? TimestampMilliseconds => Timestamp?.ToUnixTimeMilliseconds();
}
