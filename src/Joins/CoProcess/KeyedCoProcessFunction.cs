using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>
/// The user function of a <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/>: processes the records of two
/// connected streams keyed the same way, with keyed state and timers (Flink's <c>KeyedCoProcessFunction</c>).
/// </summary>
/// <typeparam name="TKey">The key type both inputs are keyed by.</typeparam>
/// <typeparam name="T1">The record type of the first input.</typeparam>
/// <typeparam name="T2">The record type of the second input.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
/// <remarks>
/// <para>Records reach the function in arrival order, as in Flink; to act in event-time order, keep state and register an
/// event-time timer. Records that are late for their input never reach the function (see
/// <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/>).</para>
/// <para>An exception thrown by a callback is caught by the operator and sent to the error output with the record or
/// timer; outputs emitted and state written before the exception stay.</para>
/// </remarks>
/// <threadsafety>The operator calls one method at a time. An instance is bound to one operator by
/// <see cref="Open"/>: do not share it between operators that run at the same time.</threadsafety>
public abstract class KeyedCoProcessFunction<TKey, T1, T2, TOut>
{
    /// <summary>Declares the function's keyed states; called once, by the operator's constructor.</summary>
    /// <param name="state">Where to declare states and get their handles; keep the handles in fields.</param>
    public virtual void Open(IKeyedStateRegistry state)
    {
    }

    /// <summary>Processes one record of the first input.</summary>
    /// <param name="value">The record.</param>
    /// <param name="context">The key, the record's timestamp, timers and outputs; valid only during this call.</param>
    public abstract void ProcessElement1(T1 value, ICoProcessContext<TKey, TOut> context);

    /// <summary>Processes one record of the second input.</summary>
    /// <param name="value">The record.</param>
    /// <param name="context">The key, the record's timestamp, timers and outputs; valid only during this call.</param>
    public abstract void ProcessElement2(T2 value, ICoProcessContext<TKey, TOut> context);

    /// <summary>Called when a timer the function registered fires; does nothing unless overridden.</summary>
    /// <param name="timestamp">The timer's time.</param>
    /// <param name="context">The key that registered the timer, <see cref="ICoProcessContext{TKey, TOut}.TimerDomain"/>,
    /// the watermark that fired it (event time), timers and outputs; valid only during this call.</param>
    public virtual void OnTimer(Instant timestamp, ICoProcessContext<TKey, TOut> context)
    {
    }
}

/// <summary>What a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/> sees and can do during a callback.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
/// <threadsafety>Valid only during the callback it was given to, on the operator's thread.</threadsafety>
public interface ICoProcessContext<TKey, TOut>
{
    /// <summary>Gets the key being processed: the record's key, or the key that registered the timer.</summary>
    TKey CurrentKey { get; }

    /// <summary>Gets the record's timestamp, or the timer's time in <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.OnTimer"/>.</summary>
    Instant Timestamp { get; }

    /// <summary>Gets the domain of the timer being fired, or null while a record is processed.</summary>
    TimeDomain? TimerDomain { get; }

    /// <summary>Gets the operator's watermark: the minimum of both inputs' watermarks; during an event-time timer, the watermark that fired it.</summary>
    Instant CurrentWatermark { get; }

    /// <summary>Gets the timer service: register and delete timers of the current key, read processing time.</summary>
    ITimerService TimerService { get; }

    /// <summary>Emits a record on the main output, stamped with <see cref="Timestamp"/>.</summary>
    /// <param name="value">The record.</param>
    void Emit(TOut value);

    /// <summary>Emits a record on a side output, stamped with <see cref="Timestamp"/>.</summary>
    /// <param name="tag">The side output's name (for example a reason); not null or empty.</param>
    /// <param name="value">The record.</param>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is null or empty.</exception>
    void EmitSide(string tag, TOut value);
}

/// <summary>
/// Timers of the current key. At most one timer exists per (key, time, domain): registering it again does nothing, and
/// deleting a timer that does not exist does nothing.
/// </summary>
/// <threadsafety>Valid only during the callback it was given to, on the operator's thread.</threadsafety>
public interface ITimerService
{
    /// <summary>Gets the operator's watermark.</summary>
    Instant CurrentWatermark { get; }

    /// <summary>Gets the scheduler's current time.</summary>
    /// <exception cref="InvalidOperationException">The operator has no scheduler.</exception>
    Instant CurrentProcessingTime { get; }

    /// <summary>Registers an event-time timer; it fires when the operator's watermark reaches <paramref name="time"/>. A timer
    /// at or below the watermark registered in <c>OnTimer</c> fires in the same watermark advance; one registered while a
    /// record is processed fires at the next advance (as in Flink).</summary>
    /// <param name="time">The timer's time.</param>
    void RegisterEventTimeTimer(Instant time);

    /// <summary>Deletes an event-time timer of the current key; nothing happens if there is none.</summary>
    /// <param name="time">The timer's time.</param>
    void DeleteEventTimeTimer(Instant time);

    /// <summary>Registers a processing-time timer; it fires when the scheduler's clock reaches <paramref name="time"/>.</summary>
    /// <param name="time">The timer's time.</param>
    /// <exception cref="InvalidOperationException">The operator has no scheduler.</exception>
    void RegisterProcessingTimeTimer(Instant time);

    /// <summary>Deletes a processing-time timer of the current key; nothing happens if there is none.</summary>
    /// <param name="time">The timer's time.</param>
    void DeleteProcessingTimeTimer(Instant time);
}
