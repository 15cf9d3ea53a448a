namespace Cep.Joins.Lookup;

/// <summary>
/// The counters of an <see cref="AsyncLookupOperator{TIn, TKey, TValue}"/>. Every record given to the operator is
/// joined, missed, failed, rejected or still in flight: <c>RecordsIn = Joined + Missed + Failed + Rejected + InFlight</c>
/// (see <see cref="Balanced"/>). Outcomes are counted when they are emitted.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class AsyncLookupCounters
{
    internal long In;
    internal long JoinedCount;
    internal long MissedCount;
    internal long FailedCount;
    internal long RejectedCount;
    internal long InFlightCount;
    internal long TimeoutCount;
    internal long CacheHitCount;
    internal long CacheMissCount;
    internal long CallCount;
    internal long KeyCount;
    internal long LateAnswerCount;
    internal long WaitCount;

    /// <summary>Gets the number of records given to the operator.</summary>
    public long RecordsIn => Volatile.Read(ref In);

    /// <summary>Gets the number of records emitted joined with a value.</summary>
    public long Joined => Volatile.Read(ref JoinedCount);

    /// <summary>Gets the number of records emitted as misses.</summary>
    public long Missed => Volatile.Read(ref MissedCount);

    /// <summary>Gets the number of records emitted as failed (timeouts included).</summary>
    public long Failed => Volatile.Read(ref FailedCount);

    /// <summary>Gets the number of records rejected because the operator was full.</summary>
    public long Rejected => Volatile.Read(ref RejectedCount);

    /// <summary>Gets the number of records accepted and not yet emitted.</summary>
    public long InFlight => Volatile.Read(ref InFlightCount);

    /// <summary>Gets the number of round trips that timed out.</summary>
    public long TimedOutCalls => Volatile.Read(ref TimeoutCount);

    /// <summary>Gets the number of lookups the cache answered (found values and cached misses).</summary>
    public long CacheHits => Volatile.Read(ref CacheHitCount);

    /// <summary>Gets the number of lookups the cache could not answer (zero without a cache).</summary>
    public long CacheMisses => Volatile.Read(ref CacheMissCount);

    /// <summary>Gets the number of round trips to the source (calls of <c>LookupAsync</c>).</summary>
    public long LookupCalls => Volatile.Read(ref CallCount);

    /// <summary>Gets the number of keys asked of the source, over all round trips.</summary>
    public long KeysLookedUp => Volatile.Read(ref KeyCount);

    /// <summary>Gets the number of answers that arrived after their round trip timed out, and were ignored.</summary>
    public long LateAnswers => Volatile.Read(ref LateAnswerCount);

    /// <summary>Gets the number of records that had to wait for room (<see cref="LookupFullMode.Wait"/>).</summary>
    public long Waits => Volatile.Read(ref WaitCount);

    /// <summary>Gets whether every record is accounted for: <c>RecordsIn = Joined + Missed + Failed + Rejected + InFlight</c>.</summary>
    public bool Balanced => RecordsIn == Joined + Missed + Failed + Rejected + InFlight;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in={RecordsIn} joined={Joined} missed={Missed} failed={Failed} rejected={Rejected} inFlight={InFlight} " +
        $"timedOutCalls={TimedOutCalls} cacheHits={CacheHits} cacheMisses={CacheMisses} calls={LookupCalls} keys={KeysLookedUp} " +
        $"lateAnswers={LateAnswers} waits={Waits}";

    internal long[] ToArray() =>
    [
        In, JoinedCount, MissedCount, FailedCount, RejectedCount, InFlightCount, TimeoutCount, CacheHitCount, CacheMissCount,
        CallCount, KeyCount, LateAnswerCount, WaitCount,
    ];

    internal void Load(long[] v) =>
        (In, JoinedCount, MissedCount, FailedCount, RejectedCount, InFlightCount, TimeoutCount, CacheHitCount, CacheMissCount,
            CallCount, KeyCount, LateAnswerCount, WaitCount) =
        (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);

    internal const int Count = 13;
}
