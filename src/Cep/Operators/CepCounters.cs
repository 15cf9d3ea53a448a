namespace Cep.Operators;

/// <summary>
/// The counters of a <see cref="CepOperator{TKey, T}"/>. They balance:
/// <c>RecordsIn = RecordsProcessed + RecordsLate + RecordsFailed + RecordsBuffered</c>.
/// </summary>
/// <threadsafety>Read them on the thread that drives the operator, or accept slightly stale values.</threadsafety>
public sealed class CepCounters
{
    internal long In;
    internal long Processed;
    internal long Late;
    internal long Failed;
    internal long Buffered;
    internal long MatchCount;
    internal long TimeoutCount;

    /// <summary>Gets the number of records given to the operator.</summary>
    public long RecordsIn => Volatile.Read(ref In);

    /// <summary>Gets the number of records released from the buffer and fed to the automaton.</summary>
    public long RecordsProcessed => Volatile.Read(ref Processed);

    /// <summary>Gets the number of records that arrived at or below the watermark and went to the late output.</summary>
    public long RecordsLate => Volatile.Read(ref Late);

    /// <summary>Gets the number of records whose key selector or condition threw, sent to the error output.</summary>
    public long RecordsFailed => Volatile.Read(ref Failed);

    /// <summary>Gets the number of records waiting in the event-time buffer.</summary>
    public long RecordsBuffered => Volatile.Read(ref Buffered);

    /// <summary>Gets the number of matches emitted.</summary>
    public long Matches => Volatile.Read(ref MatchCount);

    /// <summary>Gets the number of timed-out partial matches emitted.</summary>
    public long Timeouts => Volatile.Read(ref TimeoutCount);

    /// <summary>Gets the number of partial matches alive.</summary>
    public long PartialMatches { get; internal set; }

    /// <summary>Gets the number of events held by the shared buffer.</summary>
    public long SharedBufferEvents { get; internal set; }

    /// <summary>Gets the number of nodes (event-under-stage entries) held by the shared buffer.</summary>
    public long SharedBufferEntries { get; internal set; }

    /// <summary>Gets the number of keys with live state.</summary>
    public long Keys { get; internal set; }

    /// <summary>Gets whether the counters balance: every record is processed, late, failed or buffered.</summary>
    public bool Balanced => RecordsIn == RecordsProcessed + RecordsLate + RecordsFailed + RecordsBuffered;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in={RecordsIn} processed={RecordsProcessed} late={RecordsLate} failed={RecordsFailed} buffered={RecordsBuffered} " +
        $"matches={Matches} timeouts={Timeouts} partial={PartialMatches} sharedEvents={SharedBufferEvents} sharedEntries={SharedBufferEntries} keys={Keys}";
}
