using Cep.Time;
using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>
/// Connects two streams keyed the same way and runs a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/> over
/// them, with keyed state (optionally with a time-to-live), event-time and processing-time timers, a late output, an
/// error output and snapshots (Flink's <c>connect</c> + <c>KeyedCoProcessOperator</c>).
/// </summary>
/// <typeparam name="TKey">The key type both inputs are keyed by.</typeparam>
/// <typeparam name="T1">The record type of the first input.</typeparam>
/// <typeparam name="T2">The record type of the second input.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
/// <remarks>
/// <para><b>Records</b> are given to the function when they arrive (not buffered or sorted, as in Flink). Each input has
/// its own watermark; the operator's watermark is the minimum of both (a <see cref="WatermarkTracker"/>), and never
/// decreases.</para>
/// <para><b>Late records.</b> A record whose timestamp is at or below the watermark of its own input broke that input's
/// promise: it goes to <see cref="ICoProcessOutput{TKey, T1, T2, TOut}.OnLate1"/> or <c>OnLate2</c> with the watermark it
/// was late against, and the function does <i>not</i> see it. (Flink's co-process passes late records to the function; this
/// library's contract is that every record ends in exactly one place, and a late record's place is the late output.)</para>
/// <para><b>Timers</b> fire in time order; equal times fire in the order they were first registered. There is at most
/// one timer per (key, time, domain). Event-time timers fire when the operator's watermark reaches them, after the
/// watermark is set, so <c>OnTimer</c> sees the watermark that fired it; a timer registered in <c>OnTimer</c> at or below
/// that watermark fires in the same advance. Processing-time timers fire when the scheduler of
/// <see cref="KeyedCoProcessOptions{TKey}.Scheduler"/> reaches them (one scheduled wake-up for the earliest).</para>
/// <para><b>Errors.</b> An exception from a key selector, <c>ProcessElement1/2</c> or <c>OnTimer</c> never escapes: it goes
/// to the error output. <b>Counters</b> balance: records in = processed + late + failed.</para>
/// <para>A final watermark of <see cref="Instant.MaxValue"/> on both inputs fires every event-time timer and expires
/// every event-time TTL value.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time (processing-time timers run on the
/// scheduler, which must therefore be the driving thread's, or calls must be serialized).</threadsafety>
public sealed partial class KeyedCoProcessOperator<TKey, T1, T2, TOut>
    where TKey : notnull
{
    private readonly Func<T1, TKey> _keySelector1;
    private readonly Func<T2, TKey> _keySelector2;
    private readonly KeyedCoProcessFunction<TKey, T1, T2, TOut> _function;
    private readonly ICoProcessOutput<TKey, T1, T2, TOut> _output;
    private readonly KeyedCoProcessOptions<TKey> _options;
    private readonly List<StateDescriptor> _descriptors = [];
    private readonly Dictionary<TKey, KeyEntry<TKey>> _keys = [];
    private readonly JoinIntake _intake = new(2);
    private readonly TimerQueue<TKey> _eventTimers = new();
    private readonly TimerQueue<TKey> _processingTimers = new();
    private readonly PriorityQueue<(TKey Key, int State), long> _eventExpiry = new();
    private readonly PriorityQueue<(TKey Key, int State), long> _processingExpiry = new();
    private readonly Context _context;
    private long _timerSeq;

    /// <summary>Creates an operator and opens <paramref name="function"/> (which declares its states).</summary>
    /// <param name="keySelector1">Extracts the key of a record of the first input.</param>
    /// <param name="keySelector2">Extracts the key of a record of the second input.</param>
    /// <param name="function">The user function.</param>
    /// <param name="output">Receives outputs, side outputs, late records and errors.</param>
    /// <param name="options">Options (scheduler, key serializer); defaults if null.</param>
    /// <exception cref="ArgumentNullException">A key selector, <paramref name="function"/> or <paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException">The function declared two states with the same name.</exception>
    /// <exception cref="InvalidOperationException">The function declared a processing-time TTL and there is no scheduler.</exception>
    public KeyedCoProcessOperator(
        Func<T1, TKey> keySelector1,
        Func<T2, TKey> keySelector2,
        KeyedCoProcessFunction<TKey, T1, T2, TOut> function,
        ICoProcessOutput<TKey, T1, T2, TOut> output,
        KeyedCoProcessOptions<TKey>? options = null)
    {
        ArgumentNullException.ThrowIfNull(keySelector1);
        ArgumentNullException.ThrowIfNull(keySelector2);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(output);
        _keySelector1 = keySelector1;
        _keySelector2 = keySelector2;
        _function = function;
        _output = output;
        _options = options ?? new KeyedCoProcessOptions<TKey>();
        _context = new Context(this);
        var registry = new Registry(this);
        function.Open(registry);
        registry.Close();
    }

    /// <summary>Gets the counters; see <see cref="CoProcessCounters"/> for how they balance.</summary>
    public CoProcessCounters Counters { get; } = new();

    /// <summary>Gets the operator's watermark: the minimum of both inputs' watermarks; <see cref="Instant.MinValue"/> until both have one.</summary>
    public Instant Watermark => _intake.Combined;

    /// <summary>Gets the states the function declared, in declaration order.</summary>
    public IReadOnlyList<StateDescriptor> States => _descriptors;

    /// <summary>Gives the operator one record of the first input.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    public void OnInput1(T1 value, Instant timestamp)
    {
        Counters.In1++;
        if (!JoinIntake.TrySelectKey(_keySelector1, value, out var key, out var keyError))
        {
            Counters.Failed++;
            _output.OnError1(default, value, timestamp, keyError);
            return;
        }

        PurgeProcessingTime();
        if (_intake.IsLateForInput(0, timestamp, out var watermark))
        {
            Counters.Late++;
            _output.OnLate1(key, value, timestamp, watermark);
            return;
        }

        var entry = Enter(key, EventTicks.ToTicks(timestamp), null);
        try
        {
            _function.ProcessElement1(value, _context);
            Counters.Processed++;
        }
        catch (Exception error)
        {
            Counters.Failed++;
            _output.OnError1(key, value, timestamp, error);
        }
        finally
        {
            Exit(entry);
        }
    }

    /// <summary>Gives the operator one record of the second input.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    public void OnInput2(T2 value, Instant timestamp)
    {
        Counters.In2++;
        if (!JoinIntake.TrySelectKey(_keySelector2, value, out var key, out var keyError))
        {
            Counters.Failed++;
            _output.OnError2(default, value, timestamp, keyError);
            return;
        }

        PurgeProcessingTime();
        if (_intake.IsLateForInput(1, timestamp, out var watermark))
        {
            Counters.Late++;
            _output.OnLate2(key, value, timestamp, watermark);
            return;
        }

        var entry = Enter(key, EventTicks.ToTicks(timestamp), null);
        try
        {
            _function.ProcessElement2(value, _context);
            Counters.Processed++;
        }
        catch (Exception error)
        {
            Counters.Failed++;
            _output.OnError2(key, value, timestamp, error);
        }
        finally
        {
            Exit(entry);
        }
    }

    /// <summary>Advances the first input's watermark; when the operator's watermark (the minimum of both) advances, due
    /// event-time timers fire and expired event-time state is removed. A watermark at or below the input's current one is ignored.</summary>
    /// <param name="watermark">The first input's promise that no more records with a timestamp at or below it will come.</param>
    public void OnWatermark1(Instant watermark) => OnWatermark(0, watermark);

    /// <summary>Advances the second input's watermark; when the operator's watermark (the minimum of both) advances, due
    /// event-time timers fire and expired event-time state is removed. A watermark at or below the input's current one is ignored.</summary>
    /// <param name="watermark">The second input's promise that no more records with a timestamp at or below it will come.</param>
    public void OnWatermark2(Instant watermark) => OnWatermark(1, watermark);

    /// <summary>Counts the state values held (set values, list elements, map entries), expired ones not yet removed included.</summary>
    /// <returns>The number of values over every key and state.</returns>
    /// <remarks>Walks every key: meant for tests and diagnostics.</remarks>
    public long CountStateValues()
    {
        long n = 0;
        foreach (var entry in _keys.Values)
        {
            foreach (var cell in entry.Cells)
            {
                n += cell?.Count ?? 0;
            }
        }

        return n;
    }

    private void OnWatermark(int input, Instant watermark)
    {
        PurgeProcessingTime();
        if (!_intake.Update(input, watermark))
        {
            UpdateGauges();
            return;
        }

        var w = _intake.Ticks;
        while (_eventTimers.Count > 0 && _eventTimers.PeekTime <= w)
        {
            Fire(_eventTimers.Pop(), TimeDomain.EventTime);
        }

        Purge(_eventExpiry, TimeDomain.EventTime, w);
        UpdateGauges();
    }

    private void Fire(CoTimer<TKey> timer, TimeDomain domain)
    {
        Counters.Fired++;
        var entry = Enter(timer.Key, timer.Time, domain);
        entry.Timers--;
        try
        {
            _function.OnTimer(EventTicks.ToInstant(timer.Time), _context);
        }
        catch (Exception error)
        {
            Counters.TimerFailed++;
            _output.OnTimerError(timer.Key, EventTicks.ToInstant(timer.Time), domain, error);
        }
        finally
        {
            Exit(entry);
        }
    }

    private KeyEntry<TKey> Enter(TKey key, long timestamp, TimeDomain? domain)
    {
        var entry = Acquire(key);
        _context.Set(entry, timestamp, domain);
        return entry;
    }

    private void Exit(KeyEntry<TKey> entry)
    {
        _context.Clear();
        ReleaseIfEmpty(entry);
        UpdateGauges();
    }

    private KeyEntry<TKey> Acquire(TKey key)
    {
        if (!_keys.TryGetValue(key, out var entry))
        {
            entry = new KeyEntry<TKey>(key, _descriptors.Count);
            _keys.Add(key, entry);
        }

        return entry;
    }

    private void ReleaseIfEmpty(KeyEntry<TKey> entry)
    {
        if (entry.IsEmpty)
        {
            _keys.Remove(entry.Key);
        }
    }

    /// <summary>Removes expired values whose expiry is at or below <paramref name="now"/>.</summary>
    private void Purge(PriorityQueue<(TKey Key, int State), long> queue, TimeDomain domain, long now)
    {
        while (queue.TryPeek(out var item, out var expiry) && expiry <= now)
        {
            queue.Dequeue();
            if (_keys.TryGetValue(item.Key, out var entry) && entry.Cells[item.State] is { } cell)
            {
                Counters.Expired += cell.Purge(_descriptors[item.State].Ttl!.TtlTicks, now);
                ReleaseIfEmpty(entry);
            }
        }

        if (domain == TimeDomain.EventTime)
        {
            Counters.Keys = _keys.Count;
        }
    }

    private void UpdateGauges()
    {
        Counters.Keys = _keys.Count;
        Counters.PendingEventTimers = _eventTimers.Count;
        Counters.PendingProcessingTimers = _processingTimers.Count;
    }
}
