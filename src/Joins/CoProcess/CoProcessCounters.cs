namespace Cep.Joins.CoProcess;

/// <summary>
/// The counters of a <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/>. They balance:
/// <c>RecordsIn1 + RecordsIn2 = RecordsProcessed + RecordsLate + RecordsFailed</c>.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class CoProcessCounters
{
    internal long In1;
    internal long In2;
    internal long Processed;
    internal long Late;
    internal long Failed;
    internal long OutputCount;
    internal long SideOutputCount;
    internal long Fired;
    internal long TimerFailed;
    internal long Expired;

    /// <summary>Gets the number of records given to the first input.</summary>
    public long RecordsIn1 => Volatile.Read(ref In1);

    /// <summary>Gets the number of records given to the second input.</summary>
    public long RecordsIn2 => Volatile.Read(ref In2);

    /// <summary>Gets the number of records the function processed without throwing.</summary>
    public long RecordsProcessed => Volatile.Read(ref Processed);

    /// <summary>Gets the number of records that were late for their input and went to the late output.</summary>
    public long RecordsLate => Volatile.Read(ref Late);

    /// <summary>Gets the number of records for which the key selector or the function threw, sent to the error output.</summary>
    public long RecordsFailed => Volatile.Read(ref Failed);

    /// <summary>Gets the number of records emitted on the main output.</summary>
    public long Outputs => Volatile.Read(ref OutputCount);

    /// <summary>Gets the number of records emitted on side outputs.</summary>
    public long SideOutputs => Volatile.Read(ref SideOutputCount);

    /// <summary>Gets the number of timers fired (successfully or not).</summary>
    public long TimersFired => Volatile.Read(ref Fired);

    /// <summary>Gets the number of timers whose <c>OnTimer</c> threw.</summary>
    public long TimerFailures => Volatile.Read(ref TimerFailed);

    /// <summary>Gets the number of state values (values, list elements, map entries) removed because their time-to-live ran out.</summary>
    public long ExpiredStateValues => Volatile.Read(ref Expired);

    /// <summary>Gets the number of pending event-time timers.</summary>
    public long PendingEventTimers { get; internal set; }

    /// <summary>Gets the number of pending processing-time timers.</summary>
    public long PendingProcessingTimers { get; internal set; }

    /// <summary>Gets the number of keys with state or timers.</summary>
    public long Keys { get; internal set; }

    /// <summary>Gets whether the counters balance: every record was processed, late or failed.</summary>
    public bool Balanced => RecordsIn1 + RecordsIn2 == RecordsProcessed + RecordsLate + RecordsFailed;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in1={RecordsIn1} in2={RecordsIn2} processed={RecordsProcessed} late={RecordsLate} failed={RecordsFailed} outputs={Outputs} " +
        $"side={SideOutputs} timersFired={TimersFired} timerFailures={TimerFailures} expired={ExpiredStateValues} " +
        $"eventTimers={PendingEventTimers} processingTimers={PendingProcessingTimers} keys={Keys}";

    internal long[] ToArray() => [In1, In2, Processed, Late, Failed, OutputCount, SideOutputCount, Fired, TimerFailed, Expired];

    internal void Load(long[] values) =>
        (In1, In2, Processed, Late, Failed, OutputCount, SideOutputCount, Fired, TimerFailed, Expired) =
        (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8], values[9]);

    internal const int Count = 10;
}
