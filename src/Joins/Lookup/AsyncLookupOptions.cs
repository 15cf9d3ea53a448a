using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>What an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/> does with a record when
/// <see cref="AsyncLookupOptions.Capacity"/> records are already in flight.</summary>
public enum LookupFullMode
{
    /// <summary>The call that gives the record waits until a record leaves (back-pressure), as Flink's async operator does.</summary>
    Wait,

    /// <summary>The record goes at once to <see cref="ILookupOutput{TIn, TValue}.OnRejected"/> with
    /// <see cref="LookupRejectReason.CapacityFull"/>, and is counted.</summary>
    Reject,
}

/// <summary>Options of an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/>: output order, capacity, timeout, batching,
/// cache and processing time.</summary>
/// <remarks>
/// <para>Setters accept any value; the operator validates the whole object when it is built and reports every
/// violation in one <see cref="ValidationException"/> whose message starts with "The 'AsyncLookupOptions' are invalid."
/// and lists one violation per line.</para>
/// <para>Processing time (the linger of a batch, the timeout of a round trip and the age of cache entries) all come
/// from <see cref="Scheduler"/>, so tests drive them with a virtual-time scheduler.</para>
/// </remarks>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class AsyncLookupOptions
{
    /// <summary>Gets or sets whether results leave in input order (<see langword="true"/>) or as they complete
    /// (<see langword="false"/>; watermarks stay barriers that no result crosses in either direction).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Ordered { get; set; } = true;

    /// <summary>Gets or sets the largest number of records in flight: accepted and not yet emitted (waiting for a batch,
    /// for an answer, or for earlier records in ordered mode).</summary>
    /// <value>The default value is 100 (Flink's default async buffer capacity). It must be at least 1.</value>
    public int Capacity { get; set; } = 100;

    /// <summary>Gets or sets what happens to a record that arrives when <see cref="Capacity"/> records are in flight.</summary>
    /// <value>The default value is <see cref="LookupFullMode.Wait"/>.</value>
    public LookupFullMode FullMode { get; set; } = LookupFullMode.Wait;

    /// <summary>Gets or sets the longest a round trip may take, in processing time from when its batch is sent. When it
    /// elapses the round trip is cancelled through its token, every record waiting on it fails with
    /// <see cref="LookupFailureReason.Timeout"/>, and a later answer is ignored (and counted).</summary>
    /// <value>The default value is 30 seconds. It must be positive.</value>
    public Duration Timeout { get; set; } = Duration.FromSeconds(30);

    /// <summary>Gets or sets the largest number of distinct keys in one call of
    /// <see cref="IAsyncLookupSource{TKey, TValue}.LookupAsync"/>; a batch that reaches it is sent at once.</summary>
    /// <value>The default value is 100. It must be at least 1.</value>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Gets or sets how long a batch waits for more keys after its first key, before it is sent partly full
    /// (it may leave up to a millisecond later, never earlier). Zero sends every key on its own as soon as it is asked for.</summary>
    /// <value>The default value is 5 milliseconds. It must not be negative, and must be less than <see cref="Timeout"/>.</value>
    public Duration Linger { get; set; } = Duration.FromMilliseconds(5);

    /// <summary>Gets or sets the lookup cache; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>: every lookup goes to the source.</value>
    public LookupCacheOptions? Cache { get; set; }

    /// <summary>Gets or sets the scheduler whose clock and timers give processing time (linger, timeout, cache age).</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>Gets or sets whether a call that waits (a full operator in <see cref="LookupFullMode.Wait"/> mode, or
    /// <c>FlushAsync</c>) may resume on the thread that delivered the answer or timer that woke it, as
    /// <c>System.Threading.Channels</c> allows with its option of the same name.</summary>
    /// <value>The default value is <see langword="false"/>: the waiting call resumes on the thread pool.</value>
    public bool AllowSynchronousContinuations { get; set; }

    /// <summary>Checks every option and throws one exception that lists every violation.</summary>
    /// <exception cref="ValidationException">An option is out of range or missing; the message lists each one.</exception>
    internal void Validate()
    {
        var errors = new List<string>();
        if (Capacity < 1)
        {
            errors.Add($"Capacity must be at least 1; it is {Capacity}.");
        }

        if (!Enum.IsDefined(FullMode))
        {
            errors.Add($"FullMode must be Wait or Reject; it is {(int)FullMode}.");
        }

        if (Timeout <= Duration.Zero)
        {
            errors.Add($"Timeout must be positive; it is {Timeout}.");
        }

        if (MaxBatchSize < 1)
        {
            errors.Add($"MaxBatchSize must be at least 1; it is {MaxBatchSize}.");
        }

        if (Linger < Duration.Zero)
        {
            errors.Add($"Linger must not be negative; it is {Linger}.");
        }
        else if (Timeout > Duration.Zero && Linger >= Timeout)
        {
            errors.Add($"Linger ({Linger}) must be less than Timeout ({Timeout}).");
        }

        Cache?.Validate(errors);
        if (Scheduler is null)
        {
            errors.Add("Scheduler is required: processing time (linger, timeout, cache age) comes from it.");
        }

        if (errors.Count > 0)
        {
            throw new ValidationException($"The 'AsyncLookupOptions' are invalid.{Environment.NewLine}{Environment.NewLine}Validation Errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }
    }
}
