namespace Cep.Joins.Retry;

/// <summary>
/// The counters of a <see cref="RetryQueueOperator{TKey, TIn, TValue}"/>. They balance (see <see cref="Balanced"/>):
/// every record that entered is joined, expired or pending, <c>RecordsIn = Joined + Expired + Pending</c>; the pending
/// records are the sum of the levels' depths, and the joined and expired records the sums of the levels' successes and
/// expirations; the expired records are the sum of the per-reason counts.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class RetryQueueCounters
{
    internal long In;
    internal long JoinedCount;
    internal long ExpiredCount;
    internal long PendingCount;
    internal long HeldCount;
    internal long AttemptCount;
    internal long LookupCount;
    internal long LookupFailureCount;
    internal long Exhausted;
    internal long Ttl;
    internal long Predicate;
    internal long EndOfInput;
    internal long Rejected;

    internal RetryQueueCounters(int levels)
    {
        Levels = Enumerable.Range(1, levels).Select(l => new RetryLevelCounters(l)).ToArray();
    }

    /// <summary>Gets the counters of each level, the first level first.</summary>
    public IReadOnlyList<RetryLevelCounters> Levels { get; }

    /// <summary>Gets the number of records given to the queue.</summary>
    public long RecordsIn => Volatile.Read(ref In);

    /// <summary>Gets the number of records joined with a value.</summary>
    public long Joined => Volatile.Read(ref JoinedCount);

    /// <summary>Gets the number of records that left through the expired output, for any reason.</summary>
    public long Expired => Volatile.Read(ref ExpiredCount);

    /// <summary>Gets the number of records in the queue: waiting for an attempt, or done and waiting for earlier records of
    /// their key (<see cref="Held"/>).</summary>
    public long Pending => Volatile.Read(ref PendingCount);

    /// <summary>Gets the number of pending records that are done and wait for earlier records of their key.</summary>
    public long Held => Volatile.Read(ref HeldCount);

    /// <summary>Gets the number of attempts (one per record per try) over all levels.</summary>
    public long Attempts => Volatile.Read(ref AttemptCount);

    /// <summary>Gets the number of round trips to the store (multi-gets).</summary>
    public long Lookups => Volatile.Read(ref LookupCount);

    /// <summary>Gets the number of round trips that failed.</summary>
    public long LookupFailures => Volatile.Read(ref LookupFailureCount);

    /// <summary>Gets the number of records expired with <see cref="RetryExitReason.AttemptsExhausted"/>.</summary>
    public long ExpiredAttemptsExhausted => Volatile.Read(ref Exhausted);

    /// <summary>Gets the number of records expired with <see cref="RetryExitReason.TtlExceeded"/>.</summary>
    public long ExpiredTtlExceeded => Volatile.Read(ref Ttl);

    /// <summary>Gets the number of records expired with <see cref="RetryExitReason.Predicate"/>.</summary>
    public long ExpiredPredicate => Volatile.Read(ref Predicate);

    /// <summary>Gets the number of records expired with <see cref="RetryExitReason.EndOfInput"/>.</summary>
    public long ExpiredEndOfInput => Volatile.Read(ref EndOfInput);

    /// <summary>Gets the number of records expired with <see cref="RetryExitReason.KeySelectorFailed"/> or
    /// <see cref="RetryExitReason.InvalidTimestamp"/>.</summary>
    public long ExpiredRejected => Volatile.Read(ref Rejected);

    /// <summary>Gets whether the counters balance (see the class remarks).</summary>
    public bool Balanced =>
        RecordsIn == Joined + Expired + Pending
        && Pending == Levels.Sum(l => l.Depth)
        && Joined == Levels.Sum(l => l.Successes)
        && Expired == Levels.Sum(l => l.Expirations)
        && Attempts == Levels.Sum(l => l.Attempts)
        && Expired == ExpiredAttemptsExhausted + ExpiredTtlExceeded + ExpiredPredicate + ExpiredEndOfInput + ExpiredRejected;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in={RecordsIn} joined={Joined} expired={Expired} (exhausted {ExpiredAttemptsExhausted}, ttl {ExpiredTtlExceeded}, predicate {ExpiredPredicate}, " +
        $"end {ExpiredEndOfInput}, rejected {ExpiredRejected}) pending={Pending} held={Held} attempts={Attempts} lookups={Lookups} " +
        $"failures={LookupFailures} levels=[{string.Join("; ", Levels)}]";

    internal long[] ToArray() =>
    [
        In, JoinedCount, ExpiredCount, PendingCount, HeldCount, AttemptCount, LookupCount, LookupFailureCount, Exhausted, Ttl, Predicate,
        EndOfInput, Rejected, .. Levels.SelectMany(l => l.ToArray()),
    ];

    internal void Load(long[] v)
    {
        (In, JoinedCount, ExpiredCount, PendingCount, HeldCount, AttemptCount, LookupCount, LookupFailureCount, Exhausted, Ttl, Predicate, EndOfInput, Rejected) =
            (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
        for (var i = 0; i < Levels.Count; i++)
        {
            Levels[i].Load(v.AsSpan(TotalCount + (i * RetryLevelCounters.Count), RetryLevelCounters.Count));
        }
    }

    internal int Length => TotalCount + (Levels.Count * RetryLevelCounters.Count);

    private const int TotalCount = 13;
}

/// <summary>The counters of one level of a retry queue.</summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class RetryLevelCounters
{
    internal long DepthCount;
    internal long EnteredCount;
    internal long AttemptCount;
    internal long MissCount;
    internal long FailureCount;
    internal long SuccessCount;
    internal long ExpirationCount;

    internal RetryLevelCounters(int level) => Level = level;

    /// <summary>Gets the level, 1 for the first.</summary>
    public int Level { get; }

    /// <summary>Gets the number of records at this level now (pending).</summary>
    public long Depth => Volatile.Read(ref DepthCount);

    /// <summary>Gets the number of records that entered this level.</summary>
    public long Entered => Volatile.Read(ref EnteredCount);

    /// <summary>Gets the number of attempts made at this level.</summary>
    public long Attempts => Volatile.Read(ref AttemptCount);

    /// <summary>Gets the number of attempts at this level whose key was not found.</summary>
    public long Misses => Volatile.Read(ref MissCount);

    /// <summary>Gets the number of attempts at this level whose round trip failed.</summary>
    public long Failures => Volatile.Read(ref FailureCount);

    /// <summary>Gets the number of records joined by an attempt of this level (counted when they leave the queue).</summary>
    public long Successes => Volatile.Read(ref SuccessCount);

    /// <summary>Gets the number of records that expired at this level (counted when they leave the queue).</summary>
    public long Expirations => Volatile.Read(ref ExpirationCount);

    /// <inheritdoc/>
    public override string ToString() =>
        $"level {Level}: depth={Depth} entered={Entered} attempts={Attempts} misses={Misses} failures={Failures} successes={Successes} expirations={Expirations}";

    internal long[] ToArray() => [DepthCount, EnteredCount, AttemptCount, MissCount, FailureCount, SuccessCount, ExpirationCount];

    internal void Load(ReadOnlySpan<long> v) =>
        (DepthCount, EnteredCount, AttemptCount, MissCount, FailureCount, SuccessCount, ExpirationCount) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);

    internal const int Count = 7;
}
