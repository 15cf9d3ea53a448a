using System.ComponentModel.DataAnnotations;
using System.Reactive.Concurrency;
using Cep.Operators;
using Cep.State;
using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>
/// Options of a <see cref="RetryQueueOperator{TKey, TIn, TValue}"/>: its levels, the clock that drives it, its exit
/// policy, batching, ordering, jitter and snapshot serializers.
/// </summary>
/// <typeparam name="TKey">The lookup key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The store's value type.</typeparam>
/// <remarks>
/// <para>The options are validated when the operator is built: every violation is reported together in one
/// <see cref="ValidationException"/> whose message starts with "The 'RetryQueueOptions' are invalid." and lists one
/// violation per line.</para>
/// <para>The exit policy: a record exits with <see cref="RetryExitReason.AttemptsExhausted"/> when the last attempt of
/// the last level missed or failed; with <see cref="RetryExitReason.TtlExceeded"/> as soon as it is older than
/// <see cref="Ttl"/>; with <see cref="RetryExitReason.Predicate"/> when <see cref="ShouldExit"/> says so after a miss or a
/// failure. The predicate is asked first, then the attempts are counted.</para>
/// </remarks>
/// <threadsafety>Read when the operator is built; do not change it afterwards.</threadsafety>
public sealed class RetryQueueOptions<TKey, TIn, TValue>
{
    /// <summary>Gets or sets the levels in the order records walk them.</summary>
    /// <value>The default value is an empty list; at least one level is required.</value>
    [Required]
    public IList<RetryLevelOptions> Levels { get; set; } = [];

    /// <summary>Gets or sets the clock that drives the queue: in <see cref="TimeMode.EventTime"/> due times are compared with
    /// watermarks; in <see cref="TimeMode.ProcessingTime"/> with the clock of <see cref="Scheduler"/>, whose timers wake the
    /// queue.</summary>
    /// <value>The default value is <see cref="TimeMode.EventTime"/>.</value>
    public TimeMode TimeMode { get; set; } = TimeMode.EventTime;

    /// <summary>Gets or sets the scheduler of <see cref="TimeMode.ProcessingTime"/>; required there, ignored in event time.</summary>
    /// <value>The default value is null.</value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>Gets or sets the longest age of a record, from its timestamp to the operator's time (the watermark in event
    /// time, the scheduler's clock in processing time), beyond which its value cannot be in the store any more (e.g. the
    /// store's 7-day TTL); null for no limit. A record older than this exits with <see cref="RetryExitReason.TtlExceeded"/>.</summary>
    /// <value>The default value is null.</value>
    /// <remarks>Must be positive when set.</remarks>
    public Duration? Ttl { get; set; }

    /// <summary>Gets or sets a predicate asked after every attempt that missed or failed (before the attempt count is
    /// checked); true makes the record exit with <see cref="RetryExitReason.Predicate"/>. Null for none.</summary>
    /// <value>The default value is null.</value>
    /// <remarks>An exception thrown by the predicate also makes the record exit with that reason, carrying the exception.</remarks>
    public Func<RetryAttemptContext<TKey, TIn>, bool>? ShouldExit { get; set; }

    /// <summary>Gets or sets the largest number of distinct keys in one multi-get.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, int.MaxValue)]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Gets or sets whether the records of one key leave the queue (joined or expired) in the order they entered
    /// it. A record that is done waits, still pending, for the earlier records of its key.</summary>
    /// <value>The default value is false: records leave as soon as they are done.</value>
    public bool PreserveKeyOrder { get; set; }

    /// <summary>Gets or sets the source of jitter: a function returning a number in [0, 1).</summary>
    /// <value>The default value draws from <see cref="Random.Shared"/>.</value>
    [Required]
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>Gets or sets the serializer of keys in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TKey"/>.</value>
    [Required]
    public IStateSerializer<TKey> KeySerializer { get; set; } = StateSerializer.Default<TKey>();

    /// <summary>Gets or sets the serializer of records in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TIn"/>.</value>
    [Required]
    public IStateSerializer<TIn> RecordSerializer { get; set; } = StateSerializer.Default<TIn>();

    /// <summary>Gets or sets the serializer in snapshots of values found for records that wait for earlier records of their
    /// key (<see cref="PreserveKeyOrder"/>).</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TValue"/>.</value>
    [Required]
    public IStateSerializer<TValue> ValueSerializer { get; set; } = StateSerializer.Default<TValue>();
}
