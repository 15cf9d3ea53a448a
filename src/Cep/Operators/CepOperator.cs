using Cep.Compiler;
using Cep.Nfa;
using Cep.Patterns;
using Cep.Time;
using NodaTime;

namespace Cep.Operators;

/// <summary>
/// A keyed complex-event-processing operator: records in, watermarks in, matches, timed-out partial matches, late
/// records and errors out through an <see cref="ICepOutput{TKey, T}"/>.
/// </summary>
/// <typeparam name="TKey">The key type; patterns are matched per key.</typeparam>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// <para>In event time, a record is buffered until a watermark passes its timestamp; then the records of each key are
/// processed in timestamp order, records with equal timestamps in the order of <see cref="CepOperatorOptions{T}.Comparer"/>
/// and then of arrival. So an exposure and a click in the same millisecond match <c>exposure → click</c> when the
/// exposure arrived first. A record whose timestamp is at or below the current watermark is late: it goes to
/// <see cref="ICepOutput{TKey, T}.OnLate"/> and is counted, never silently dropped.</para>
/// <para>Before the records of a timestamp are processed, and at every watermark, partial matches whose window has
/// passed are emitted as timeouts. A final watermark of <see cref="Instant.MaxValue"/> marks the end of input: every
/// buffered record is processed, and every partial match that is left ends as a timeout (at first event + window, or at
/// <see cref="Instant.MaxValue"/> for a pattern without a window), so that nothing stays in state and no match is held
/// back by a skip strategy. (FlinkCEP keeps partial matches of patterns without a window forever.)</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time (processing-time timers run on the
/// scheduler, which must therefore be the driving thread's, or calls must be serialized).</threadsafety>
public sealed partial class CepOperator<TKey, T> : IRuntimeSink<TKey, T>
    where TKey : notnull
{
    private readonly Func<T, TKey> _keySelector;
    private readonly ICepOutput<TKey, T> _output;
    private readonly CepOperatorOptions<T> _options;
    private readonly NfaRuntime<TKey, T> _runtime;
    // Key -> slot, and per slot the key's state and its buffered record count (-1 for a retained key, see
    // ReleaseIfEmpty). The count is kept apart from the state so that a record's arrival touches the key's table
    // entry only, not its state.
    private readonly KeyTable<TKey> _slots = new();
    private int _retained;
    private const int MaxSpareStates = 1024;
    private readonly Stack<int> _freeSlots = new();
    private readonly Stack<KeyState<TKey>> _spareStates = new();
    private readonly RecordHeap<T> _buffer;
    private readonly TimerHeap _timers = new();
    private readonly bool _hasWindows;
    private readonly bool _hasLocalWindows;
    private long _watermark = long.MinValue;
    private long _arrivalSeq;
    private long _eventId;

    /// <summary>Creates an operator that matches <paramref name="pattern"/> per key.</summary>
    /// <param name="pattern">The pattern; compiled here.</param>
    /// <param name="keySelector">Extracts a record's key.</param>
    /// <param name="output">Receives matches, timeouts, late records and errors.</param>
    /// <param name="options">Options; defaults if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/>, <paramref name="keySelector"/> or <paramref name="output"/> is null.</exception>
    /// <exception cref="PatternException">The pattern is malformed.</exception>
    /// <exception cref="ArgumentException">Processing time is selected without a scheduler.</exception>
    public CepOperator(Pattern<T> pattern, Func<T, TKey> keySelector, ICepOutput<TKey, T> output, CepOperatorOptions<T>? options = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(output);
        _options = options ?? new CepOperatorOptions<T>();
        if (_options.TimeMode == TimeMode.ProcessingTime && _options.Scheduler is null)
        {
            throw new ArgumentException("Processing time needs a scheduler: set CepOperatorOptions.Scheduler.", nameof(options));
        }

        _keySelector = keySelector;
        _output = output;
        Pattern = pattern;
        var nfa = NfaCompiler.Compile(pattern);
        _runtime = new NfaRuntime<TKey, T>(nfa, new SharedBuffer.SharedBuffer<T>(), this);
        _buffer = new RecordHeap<T>(_options.Comparer);
        _hasWindows = nfa.WindowTicks > 0 || nfa.HasLocalWindows;
        _hasLocalWindows = nfa.HasLocalWindows;
    }

    /// <summary>Gets the pattern this operator matches.</summary>
    public Pattern<T> Pattern { get; }

    /// <summary>Gets the counters; see <see cref="CepCounters"/> for how they balance.</summary>
    public CepCounters Counters { get; } = new();

    /// <summary>Gets the current watermark; <see cref="Instant.MinValue"/> before the first one.</summary>
    public Instant Watermark => EventTicks.ToInstant(_watermark);

    /// <summary>Gives the operator one record with its event timestamp.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp; ignored in processing time, where the scheduler's time is used.</param>
    public void OnRecord(T value, Instant timestamp)
    {
        Counters.In++;
        TKey key;
        try
        {
            key = _keySelector(value);
        }
        catch (Exception error)
        {
            Counters.Failed++;
            _output.OnError(default, value, timestamp, error);
            return;
        }

        if (_options.TimeMode == TimeMode.ProcessingTime)
        {
            OnProcessingTimeRecord(key, value);
            return;
        }

        var ticks = EventTicks.ToTicks(timestamp);
        if (ticks <= _watermark)
        {
            Counters.Late++;
            _output.OnLate(key, value, timestamp, EventTicks.ToInstant(_watermark));
            return;
        }

        var slot = _slots.Find(key);
        if (slot < 0)
        {
            slot = NewSlot(key);
        }

        ref var buffered = ref _slots[slot].Buffered;
        if (buffered < 0)
        {
            buffered = 0;
            _retained--;
        }

        buffered++;
        Counters.Buffered++;
        _buffer.Push(ticks, _arrivalSeq++, slot, value);
    }

    /// <summary>
    /// Advances event time to <paramref name="watermark"/>: processes every buffered record with a timestamp at or below
    /// it in timestamp order, then times out partial matches whose window has passed. A watermark at or below the current
    /// one is ignored.
    /// </summary>
    /// <param name="watermark">The promise that no more records with a timestamp at or below it will come.</param>
    /// <exception cref="InvalidOperationException">The operator runs in processing time.</exception>
    public void OnWatermark(Instant watermark)
    {
        if (_options.TimeMode == TimeMode.ProcessingTime)
        {
            throw new InvalidOperationException("A processing-time operator does not accept watermarks.");
        }

        var w = EventTicks.ToTicks(watermark);
        if (w <= _watermark)
        {
            return;
        }

        _watermark = w;
        // No slot is added while records are drained (a record that arrives meanwhile is later than w), so the
        // key table can be read as an array.
        var slots = _slots.AsSpan();
        while (true)
        {
            PrefetchAhead(slots);
            if (!_buffer.TryPopAtOrBefore(w, out var record))
            {
                break;
            }

            ref var entry = ref slots[record.Slot];
            var state = entry.State!;
            entry.Buffered--;
            Counters.Buffered--;
            ProcessRecord(state, record.Value, record.Ticks);
            ReleaseIfEmpty(state);
        }

        FireTimers(w);
        if (w == long.MaxValue)
        {
            EndOfInput();
        }

        UpdateGauges();
    }

    private const int EntryPrefetchDistance = 32;
    private const int StatePrefetchDistance = 16;
    private const int PartialPrefetchDistance = 8;

    /// <summary>
    /// Prefetches, in stages, what the records popped next will read: the key-table entry of the record
    /// <see cref="EntryPrefetchDistance"/> pops ahead, the key state of the one <see cref="StatePrefetchDistance"/> ahead
    /// (its entry is in the cache by then), and the (rest of the) partial matches of the one
    /// <see cref="PartialPrefetchDistance"/> ahead (its state is in the cache by then). With many keys each of these is
    /// a cache miss; prefetched, the misses of consecutive records overlap. Shared-buffer nodes are not prefetched here:
    /// only an event that completes or extends partial matches reads them, and the runtime reads those of all the
    /// matches it completes together (see NfaRuntime.TouchChains).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PrefetchAhead(ReadOnlySpan<KeySlot<TKey>> slots)
    {
        if (_buffer.TryPeekRunSlot(EntryPrefetchDistance, out var slot))
        {
            _slots.Prefetch(slot); // the key-table entry, which the next stage reads for the state
        }

        if (_buffer.TryPeekRunSlot(StatePrefetchDistance, out slot))
        {
            CacheHints.Object(slots[slot].State, 2); // the fields and the first inline partial matches
        }

        if (_buffer.TryPeekRunSlot(PartialPrefetchDistance, out slot) && slots[slot].State is { } partialOf)
        {
            // The rest of the inline partial matches, or the array they spilled to.
            if (partialOf.SpilledPartials is { } spilled)
            {
                CacheHints.Elements(spilled, partialOf.PartialCount, 4);
            }
            else if (partialOf.PartialCount > 1)
            {
                CacheHints.Object(partialOf, Math.Min(partialOf.PartialCount, KeyState<TKey>.InlinePartials) / 2, firstLine: 2);
            }
        }
    }

    /// <summary>
    /// After the final watermark no record can arrive, so no partial match can complete: each one ends as a timeout
    /// (or a match, for a trailing NotFollowedBy), which also releases any match a skip strategy was holding back.
    /// </summary>
    private void EndOfInput()
    {
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot].State is { } state && (state.PartialCount > 0 || state.CompletedCount > 0))
            {
                state.TimerAt = long.MaxValue;
                _runtime.Advance(state, long.MaxValue);
                ReleaseIfEmpty(state);
            }
        }
    }

    /// <summary>Processes one record of a key: fires its due timer first, then feeds the automaton.</summary>
    private void ProcessRecord(KeyState<TKey> state, T value, long ticks)
    {
        if (ticks >= state.TimerAt)
        {
            state.TimerAt = long.MaxValue;
            _runtime.Advance(state, ticks);
        }

        var error = _runtime.Process(state, value, ticks, _eventId++);
        if (error is null)
        {
            Counters.Processed++;
        }
        else
        {
            Counters.Failed++;
            _output.OnError(state.Key, value, EventTicks.ToInstant(ticks), error);
        }

        RefreshTimer(state);
    }

    private void FireTimers(long now)
    {
        while (_timers.Count > 0 && _timers.PeekTime <= now)
        {
            var (time, slot) = _timers.Pop();
            var state = _slots[slot].State;
            if (state is null || state.TimerAt != time)
            {
                continue; // stale: the key was released or its timer moved
            }

            state.TimerAt = long.MaxValue;
            _runtime.Advance(state, now);
            RefreshTimer(state);
            ReleaseIfEmpty(state);
        }
    }

    /// <summary>Makes sure the key has a timer at or before the earliest time one of its partial matches can time out.</summary>
    private void RefreshTimer(KeyState<TKey> state)
    {
        if (!_hasWindows || state.PartialCount == 0 || (!_hasLocalWindows && state.TimerAt != long.MaxValue))
        {
            return;
        }

        var deadline = _runtime.NextDeadline(state);
        if (deadline < state.TimerAt)
        {
            state.TimerAt = deadline;
            _timers.Push(deadline, state.Slot);
            OnTimerRegistered(deadline);
        }
    }

    partial void OnTimerRegistered(long deadline);

    private KeyState<TKey> Acquire(TKey key)
    {
        var slot = _slots.Find(key);
        if (slot < 0)
        {
            slot = NewSlot(key);
        }

        ref var entry = ref _slots[slot];
        if (entry.Buffered < 0)
        {
            entry.Buffered = 0;
            _retained--;
        }

        return entry.State!;
    }

    /// <summary>Enters a new key in the key table, with a slot and a state.</summary>
    private int NewSlot(TKey key)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
        KeyState<TKey> state;
        if (_spareStates.TryPop(out var spare))
        {
            spare.Reuse(key, slot);
            state = spare;
        }
        else
        {
            state = new KeyState<TKey>(key, slot);
        }

        _slots.Add(key, slot, state, 0);
        return slot;
    }

    /// <summary>
    /// A key that holds nothing any more is retained, not removed: it keeps its slot and state, so a key that comes back
    /// soon (the usual case) costs no removal and re-insertion. Retained keys count as absent for the key gauge and
    /// are trimmed once they outnumber the live ones (see <see cref="TrimRetained"/>).
    /// </summary>
    private void ReleaseIfEmpty(KeyState<TKey> state)
    {
        ref var buffered = ref _slots[state.Slot].Buffered;
        if (buffered != 0 || state.PartialCount != 0 || state.CompletedCount != 0 || state.TimerAt != long.MaxValue)
        {
            return; // live, or already retained
        }

        buffered = -1;
        _retained++;
    }

    /// <summary>Removes retained keys once they outnumber the live keys (and a floor), which costs O(1) per release amortized.</summary>
    private void TrimRetained()
    {
        if (_retained > Math.Max(MaxSpareStates, _slots.KeyCount - _retained))
        {
            RemoveRetained();
        }
    }

    private void RemoveRetained()
    {
        for (var slot = 0; slot < _slots.Count && _retained > 0; slot++)
        {
            ref var entry = ref _slots[slot];
            if (entry.Buffered >= 0 || entry.State is not { } state)
            {
                continue;
            }

            _slots.Remove(slot);
            _retained--;
            _freeSlots.Push(slot);
            if (_spareStates.Count < MaxSpareStates)
            {
                _spareStates.Push(state);
            }
        }
    }

    private void UpdateGauges()
    {
        TrimRetained();
        Counters.PartialMatches = _runtime.PartialMatches;
        Counters.SharedBufferEvents = _runtime.Buffer.LiveEvents;
        Counters.SharedBufferEntries = _runtime.Buffer.LiveNodes;
        Counters.Keys = _slots.KeyCount - _retained;
    }

    void IRuntimeSink<TKey, T>.OnMatch(KeyState<TKey> key, MatchView<T> match)
    {
        Counters.MatchCount++;
        _output.OnMatch(key.Key, match);
    }

    void IRuntimeSink<TKey, T>.OnTimeout(KeyState<TKey> key, MatchView<T> partialMatch, long timedOutAtTicks)
    {
        Counters.TimeoutCount++;
        _output.OnTimeout(key.Key, partialMatch, EventTicks.ToInstant(timedOutAtTicks));
    }
}
