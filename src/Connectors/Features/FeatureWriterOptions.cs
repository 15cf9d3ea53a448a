using NodaTime;

namespace Cep.Connectors.Features;

/// <summary>The parameters of a <see cref="FeatureWriter"/>: batch size, linger time and the bounded retry of a failed batch.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record FeatureWriterOptions
{
    /// <summary>Gets the number of records that closes a batch at once.</summary>
    /// <value>The default value is 500; at least 1.</value>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>Gets how long the first record of a batch waits (on the writer's scheduler) for the batch to fill before it is written anyway.</summary>
    /// <value>The default value is 100 milliseconds; positive.</value>
    public Duration Linger { get; init; } = Duration.FromMilliseconds(100);

    /// <summary>Gets how many times a batch is written at most (the first attempt included) before it goes to the error output.</summary>
    /// <value>The default value is 3; at least 1.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Gets the wait before the first retry; each further retry waits twice as long as the one before.</summary>
    /// <value>The default value is 200 milliseconds; not negative.</value>
    public Duration RetryDelay { get; init; } = Duration.FromMilliseconds(200);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range (see each property).</exception>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, $"MaxBatchSize must be at least 1; it was {MaxBatchSize}.");
        }

        if (Linger <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Linger), Linger, $"Linger must be positive; it was {Linger}.");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, $"MaxAttempts must be at least 1; it was {MaxAttempts}.");
        }

        if (RetryDelay < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, $"RetryDelay must not be negative; it was {RetryDelay}.");
        }
    }
}

/// <summary>Records a <see cref="FeatureWriter"/> could not write, and why.</summary>
/// <param name="Records">The records, in the order received.</param>
/// <param name="Reason">What went wrong, for people.</param>
/// <param name="Error">The last exception, or null when the records were refused before any write (an invalid key).</param>
/// <param name="Attempts">How many writes were tried (0 for a refused record).</param>
public sealed record FeatureWriteFailure(IReadOnlyList<FeatureRecord> Records, string Reason, Exception? Error, int Attempts);

/// <summary>
/// The counters of a <see cref="FeatureWriter"/>. Every record received ends in exactly one place, so
/// <c>Received = Written + Failed + Pending</c> at every moment the writer is not inside a call.
/// </summary>
/// <threadsafety>Safe to read from any thread; values read while the writer works may be momentarily out of balance.</threadsafety>
public sealed class FeatureWriterCounters
{
    internal long ReceivedCount;
    internal long WrittenCount;
    internal long FailedCount;
    internal long PendingCount;
    internal long BatchCount;
    internal long RetryCount;

    /// <summary>Gets the number of records given to the writer.</summary>
    public long Received => Interlocked.Read(ref ReceivedCount);

    /// <summary>Gets the number of records the store accepted.</summary>
    public long Written => Interlocked.Read(ref WrittenCount);

    /// <summary>Gets the number of records sent to the error output.</summary>
    public long Failed => Interlocked.Read(ref FailedCount);

    /// <summary>Gets the number of records buffered or being written (a gauge).</summary>
    public long Pending => Interlocked.Read(ref PendingCount);

    /// <summary>Gets the number of batch writes that succeeded.</summary>
    public long Batches => Interlocked.Read(ref BatchCount);

    /// <summary>Gets the number of batch writes retried after a failure.</summary>
    public long Retries => Interlocked.Read(ref RetryCount);

    /// <summary>Gets a value indicating whether <c>Received = Written + Failed + Pending</c>.</summary>
    public bool Balanced => Received == Written + Failed + Pending;

    /// <inheritdoc/>
    public override string ToString() => $"received {Received} = written {Written} + failed {Failed} + pending {Pending}; batches {Batches}, retries {Retries}";
}
