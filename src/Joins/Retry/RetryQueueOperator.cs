using Cep.Joins.Lookup;
using Cep.Operators;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>
/// A multi-level retry queue for lookup misses: each record waits its level's delay, is looked up again in an
/// <see cref="IAsyncLookupSource{TKey, TValue}"/>, and leaves joined with the value it finds or expired with a reason when
/// the exit policy says so. Delays widen level by level, to spare the store.
/// </summary>
/// <typeparam name="TKey">The lookup key type.</typeparam>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TValue">The store's value type.</typeparam>
/// <remarks>
/// <para><b>The ladder.</b> A record enters the first level; attempt <c>n</c> of a level is due its backoff (see
/// <see cref="RetryLevelOptions"/>) after the previous attempt, or after the record's timestamp (event time) or arrival
/// (processing time) for the very first attempt. Found: the record goes to
/// <see cref="IRetryQueueOutput{TKey, TIn, TValue}.OnJoined"/>. A miss (the key absent from the answer) or a failed round
/// trip (the source threw): the exit predicate is asked, then the next attempt of the level is scheduled, or the first
/// of the next level, or on the last level the record exits with <see cref="RetryExitReason.AttemptsExhausted"/>. A
/// record older than the TTL exits with <see cref="RetryExitReason.TtlExceeded"/> as soon as the clock passes its
/// timestamp plus the TTL, even while it waits. No attempt is made before it is due, and none after its record exited.</para>
/// <para><b>Batching.</b> All attempts due at the same time form a round: their distinct keys (in the order of the records'
/// due times, then arrival) are split into multi-gets of at most <see cref="RetryQueueOptions{TKey, TIn, TValue}.MaxBatchSize"/>
/// keys, all started together; every record of a key shares that key's outcome. Attempts made due by the round itself
/// (a zero wait) form the next round at the same time.</para>
/// <para><b>Order.</b> Records leave in the order they are done (in a round, in the order of their due times, then
/// arrival). With <see cref="RetryQueueOptions{TKey, TIn, TValue}.PreserveKeyOrder"/>, a done record waits, still pending,
/// until every earlier record of its key has left, so the records of a key leave in arrival order.</para>
/// <para><b>Time.</b> In event time the clock is the watermark: <see cref="OnWatermarkAsync"/> runs every round due at
/// or before it. In processing time the clock is the scheduler's: its timers wake the queue at the earliest due time (or
/// TTL deadline), and watermarks matter only at the end. Records may come with any timestamp, below the watermark too;
/// the queue has no notion of lateness.</para>
/// <para><b>End of input.</b> The final watermark (<see cref="Instant.MaxValue"/>) makes one last round: every pending
/// record is attempted once more, whatever its due time and age (this is the only attempt made before its due time, as
/// in Flink, which fires pending retries once at end of input); found records are joined, the others expire with
/// <see cref="RetryExitReason.EndOfInput"/>. Nothing is left pending, and no record is accepted afterwards.</para>
/// <para><b>Threading.</b> Call the public methods from one thread, one at a time, awaiting each. Processing-time timers
/// run on the scheduler; the operator serializes them with the calls through an internal asynchronous gate, so a timer
/// that fires during a call waits for it. Lookups of a round run concurrently with each other; the operator awaits them
/// all and applies their outcomes, and calls the output, inside the call (or timer) that started them, never
/// concurrently. An exception thrown by the output from a timer is rethrown by the next call.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time (its own timers are serialized with the calls).</threadsafety>
public sealed partial class RetryQueueOperator<TKey, TIn, TValue>
    where TKey : notnull
{
    private readonly Func<TIn, TKey> _keySelector;
    private readonly IAsyncLookupSource<TKey, TValue> _source;
    private readonly IRetryQueueOutput<TKey, TIn, TValue> _output;
    private readonly RetryQueueOptions<TKey, TIn, TValue> _options;
    private readonly RetryLevelOptions[] _levels;
    private readonly long _ttl;
    private readonly int _maxBatch;
    private readonly bool _keyOrder;
    private readonly Func<double> _randomizer;
    private readonly Func<RetryAttemptContext<TKey, TIn>, bool>? _shouldExit;
    private readonly PriorityQueue<RetryEntry<TKey, TIn, TValue>, (long Wake, long Seq)> _waiting = new();
    private readonly Dictionary<TKey, Queue<RetryEntry<TKey, TIn, TValue>>> _byKey = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _watermark = long.MinValue;
    private long _nextSeq;
    private long _round;
    private bool _ended;

    /// <summary>Creates a retry queue and validates its options.</summary>
    /// <param name="keySelector">Extracts a record's lookup key.</param>
    /// <param name="source">The store to look keys up in.</param>
    /// <param name="output">Receives joined and expired records.</param>
    /// <param name="options">The levels, clock, exit policy, batching and serializers.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid; the message
    /// lists every violation, one per line, after "The 'RetryQueueOptions' are invalid.".</exception>
    public RetryQueueOperator(
        Func<TIn, TKey> keySelector,
        IAsyncLookupSource<TKey, TValue> source,
        IRetryQueueOutput<TKey, TIn, TValue> output,
        RetryQueueOptions<TKey, TIn, TValue> options)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        RetryQueueOptionsValidator.Validate(options);
        _keySelector = keySelector;
        _source = source;
        _output = output;
        _options = options;
        // The settings are captured here, so that later changes to the options cannot affect a running queue.
        _levels = [.. options.Levels.Select(l => new RetryLevelOptions
        {
            Delay = l.Delay, MaxAttempts = l.MaxAttempts, BackoffType = l.BackoffType, UseJitter = l.UseJitter, MaxDelay = l.MaxDelay,
        })];
        _maxBatch = options.MaxBatchSize;
        _keyOrder = options.PreserveKeyOrder;
        _randomizer = options.Randomizer;
        _shouldExit = options.ShouldExit;
        _ttl = options.Ttl is { } ttl ? ttl.BclCompatibleTicks : long.MaxValue;
        Counters = new RetryQueueCounters(_levels.Length);
    }

    /// <summary>Gets the counters; see <see cref="RetryQueueCounters"/> for how they balance.</summary>
    public RetryQueueCounters Counters { get; }

    /// <summary>Gets the latest watermark given to the queue; <see cref="Instant.MinValue"/> before the first.</summary>
    public Instant Watermark => EventTicks.ToInstant(_watermark);

    /// <summary>Gets whether the final watermark has come (no record is accepted any more).</summary>
    public bool Ended => _ended;

    /// <summary>Gets or sets a hook told of every attempt (for tests).</summary>
    internal Action<RetryAttemptTrace<TIn>>? Trace { get; set; }

    private bool ProcessingTime => _options.TimeMode == TimeMode.ProcessingTime;

    /// <summary>Puts a record whose key was missed into the first level.</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">Its event timestamp; the TTL is measured from it, and in event time its first attempt is due
    /// the first level's first wait after it.</param>
    /// <returns>A task that completes when the record is queued (or, if the key selector throws or the timestamp is a
    /// sentinel, expired with <see cref="RetryExitReason.KeySelectorFailed"/> or <see cref="RetryExitReason.InvalidTimestamp"/>).</returns>
    /// <exception cref="InvalidOperationException">The final watermark has come.</exception>
    /// <remarks>No lookup is made here: attempts are made when time advances.</remarks>
    public async ValueTask OnRecordAsync(TIn record, Instant timestamp)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (_ended)
            {
                throw new InvalidOperationException("The retry queue has seen the final watermark and accepts no more records.");
            }

            Accept(record, timestamp);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Advances event time; in <see cref="TimeMode.EventTime"/>, runs every round of attempts due at or before it
    /// (and expires records older than the TTL). <see cref="Instant.MaxValue"/> ends the input (see the remarks of the class).</summary>
    /// <param name="watermark">The watermark; a value at or below the previous one is ignored, except that the final
    /// watermark always runs the last round once.</param>
    /// <returns>A task that completes when the rounds are done and their records have left.</returns>
    public async ValueTask OnWatermarkAsync(Instant watermark)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            var ticks = EventTicks.ToTicks(watermark);
            if (_ended || ticks <= _watermark)
            {
                return;
            }

            _watermark = ticks;
            if (ticks == long.MaxValue)
            {
                _ended = true;
                await RunAsync(ProcessingTime ? ProcessingNow() : long.MaxValue, final: true).ConfigureAwait(false);
            }
            else if (!ProcessingTime)
            {
                await RunAsync(ticks, final: false).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits for work started by processing-time timers, then runs every round due at the current time (the
    /// watermark, or the scheduler's clock). Afterwards no lookup is in flight.</summary>
    /// <returns>A task that completes when that is done.</returns>
    public async ValueTask FlushAsync()
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (!_ended && (ProcessingTime || _watermark != long.MinValue))
            {
                await RunAsync(ProcessingTime ? ProcessingNow() : _watermark, final: false).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The pending records in arrival order (for tests).</summary>
    internal IEnumerable<TIn> PendingRecords() =>
        _waiting.UnorderedItems.Select(i => i.Element).Concat(_byKey.Values.SelectMany(q => q).Where(e => e.Done))
            .OrderBy(e => e.Seq).Select(e => e.Record);

    private void Accept(TIn record, Instant timestamp)
    {
        Counters.In++;
        var now = ProcessingTime ? ProcessingNow() : _watermark;
        TKey key;
        try
        {
            key = _keySelector(record);
        }
        catch (Exception error)
        {
            Reject(record, timestamp, default, RetryExitReason.KeySelectorFailed, error, now);
            return;
        }

        if (timestamp == Instant.MinValue || timestamp == Instant.MaxValue)
        {
            Reject(record, timestamp, key, RetryExitReason.InvalidTimestamp, null, now);
            return;
        }

        var entry = new RetryEntry<TKey, TIn, TValue>(_nextSeq++, key, record, EventTicks.ToTicks(timestamp));
        var from = ProcessingTime ? now : entry.Timestamp;
        entry.Due = EventTicks.Plus(from, RetryBackoff.DelayTicks(_levels[0], 1, _randomizer));
        Counters.PendingCount++;
        Counters.Levels[0].EnteredCount++;
        Counters.Levels[0].DepthCount++;
        if (_keyOrder)
        {
            if (!_byKey.TryGetValue(key, out var queue))
            {
                queue = new Queue<RetryEntry<TKey, TIn, TValue>>();
                _byKey.Add(key, queue);
            }

            queue.Enqueue(entry);
        }

        Wait(entry);
    }

    private void Reject(TIn record, Instant timestamp, TKey? key, RetryExitReason reason, Exception? error, long now)
    {
        Counters.ExpiredCount++;
        Counters.Rejected++;
        Counters.Levels[0].ExpirationCount++;
        _output.OnExpired(new RetryExpired<TKey, TIn>(key, record, timestamp, reason, 1, 0, 0, error, EventTicks.ToInstant(now)));
    }

    /// <summary>Puts an entry into the waiting heap, woken at its due time or its TTL deadline, whichever comes first.</summary>
    private void Wait(RetryEntry<TKey, TIn, TValue> entry)
    {
        var wake = Math.Min(entry.Due, TtlDeadline(entry));
        _waiting.Enqueue(entry, (wake, entry.Seq));
        if (ProcessingTime)
        {
            ScheduleWakeUp(wake);
        }
    }

    /// <summary>The first time at which the entry is older than the TTL.</summary>
    private long TtlDeadline(RetryEntry<TKey, TIn, TValue> entry) =>
        _ttl == long.MaxValue ? long.MaxValue : EventTicks.Plus(EventTicks.Plus(entry.Timestamp, _ttl), 1);

    private async ValueTask EnterAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        if (_timerError is { } error)
        {
            _timerError = null;
            _gate.Release();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }
}
