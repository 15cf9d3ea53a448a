namespace Cep.State;

/// <summary>
/// A snapshot cannot be restored: it is not a snapshot, its format version is not supported, it was taken with a
/// different pattern or time mode, or it is truncated or corrupt. The message says what is wrong and where.
/// </summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SnapshotFormatException()
        : base("The snapshot cannot be restored.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong with the snapshot.</param>
    public SnapshotFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong with the snapshot.</param>
    /// <param name="innerException">The exception that caused it, e.g. thrown by a user serializer.</param>
    public SnapshotFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a problem found at <paramref name="offset"/>.</summary>
    /// <param name="message">What is wrong with the snapshot.</param>
    /// <param name="offset">The byte offset in the snapshot where the problem was found.</param>
    /// <param name="innerException">The exception that caused it, or null.</param>
    public SnapshotFormatException(string message, long offset, Exception? innerException = null)
        : base($"{message} (at offset {offset}).", innerException)
    {
        Offset = offset;
    }

    /// <summary>Gets the byte offset in the snapshot where the problem was found, or -1 if it concerns the whole snapshot.</summary>
    public long Offset { get; } = -1;
}
