using System.Reactive.Concurrency;

namespace Cep.Operators;

/// <summary>Which clock drives a <see cref="CepOperator{TKey, T}"/>.</summary>
public enum TimeMode
{
    /// <summary>
    /// Event time (the default): records carry timestamps, are buffered per key until a watermark passes them, and are
    /// then processed in timestamp order; windows are measured in event time.
    /// </summary>
    EventTime,

    /// <summary>
    /// Processing time: each record is processed when it arrives, stamped with the scheduler's current time, and windows
    /// are measured by the scheduler. Watermarks are not accepted.
    /// </summary>
    ProcessingTime,
}

/// <summary>Options of a <see cref="CepOperator{TKey, T}"/>.</summary>
/// <typeparam name="T">The event type.</typeparam>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class CepOperatorOptions<T>
{
    /// <summary>Gets or sets which clock drives the operator.</summary>
    /// <value>The default value is <see cref="TimeMode.EventTime"/>.</value>
    public TimeMode TimeMode { get; set; } = TimeMode.EventTime;

    /// <summary>
    /// Gets or sets the scheduler that supplies processing time and runs processing-time timers; required in
    /// <see cref="TimeMode.ProcessingTime"/>. Tests pass a virtual-time scheduler.
    /// </summary>
    /// <value>The default value is null.</value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>
    /// Gets or sets an optional order for records with equal timestamps of the same key, applied before arrival order
    /// (which decides among records the comparer finds equal). Used in event time.
    /// </summary>
    /// <value>The default value is null: equal timestamps keep arrival order.</value>
    public IComparer<T>? Comparer { get; set; }
}
