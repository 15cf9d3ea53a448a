using Cep.Time;
using NodaTime;

namespace Cep.Joins.Window;

/// <summary>
/// Joins two keyed streams per event-time window, like Flink's <c>a.join(b).where(k1).equalTo(k2).window(assigner)</c>
/// (inner mode) and <c>a.coGroup(b)...</c> (co-group mode).
/// </summary>
/// <typeparam name="TKey">The key type; records join only with records of an equal key.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <remarks>
/// <para>Each record goes into the windows the <see cref="WindowAssigner"/> gives it (session windows of a key merge
/// when they overlap). The operator's watermark is the minimum of the two inputs' watermarks (an input marked idle with
/// <see cref="SetLeftIdle"/> or <see cref="SetRightIdle"/> does not hold it back). A window fires when the
/// watermark reaches its maximum timestamp (end − 1 tick), as Flink's event-time trigger does: in inner mode every
/// (left, right) pair of the key and window goes to <see cref="IWindowJoinOutput{TKey, TLeft, TRight}.OnPair"/>, left
/// records in arrival order in the outer loop; in co-group mode both lists go to
/// <see cref="IWindowJoinOutput{TKey, TLeft, TRight}.OnCoGroup"/>, also when one is empty. Windows due at the same
/// watermark fire in the order of their maximum timestamp, then of creation.</para>
/// <para>A window's state is kept until the watermark reaches its maximum timestamp plus
/// <see cref="WindowJoinOptions{TKey, TLeft, TRight}.AllowedLateness"/>, then removed; a key without windows is
/// removed too. A record that arrives for a window that fired but is still kept is added and fires the window again at
/// once. In inner mode only the new pairs are emitted then (<see cref="LateFiringMode.NewPairsOnly"/>, the default), or
/// every pair again as in Flink (<see cref="LateFiringMode.AllPairs"/>); a co-group always sees both full lists, with
/// its firing number. A record none of whose windows is kept any more goes to the rejected output with
/// <see cref="RejectReason.Late"/>, and is counted; a record is never dropped silently.</para>
/// <para>A final watermark of <see cref="Instant.MaxValue"/> on both inputs fires and removes every window, so that no
/// state is left. See <see cref="WindowJoinCounters"/> for the balance of the counters.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time.</threadsafety>
public sealed partial class WindowJoinOperator<TKey, TLeft, TRight>
    where TKey : notnull
{
    private readonly WindowAssigner _assigner;
    private readonly Func<TLeft, TKey> _leftKey;
    private readonly Func<TRight, TKey> _rightKey;
    private readonly IWindowJoinOutput<TKey, TLeft, TRight> _output;
    private readonly WindowJoinOptions<TKey, TLeft, TRight> _options;
    private readonly long _lateness;
    private readonly JoinIntake _intake = new(2);
    private readonly Dictionary<TKey, KeyPanes<TKey, TLeft, TRight>> _keys = [];
    private readonly PriorityQueue<Pane<TKey, TLeft, TRight>, (long Time, long Seq)> _timers = new();
    private readonly List<TickWindow> _windows = [];
    private readonly List<Pane<TKey, TLeft, TRight>> _targets = [];
    private long _nextSeq;
    private long _nextGroup;

    /// <summary>Creates a window join.</summary>
    /// <param name="assigner">Assigns records to windows.</param>
    /// <param name="leftKeySelector">Extracts a left record's key.</param>
    /// <param name="rightKeySelector">Extracts a right record's key.</param>
    /// <param name="output">Receives pairs or co-groups, and rejected records.</param>
    /// <param name="options">Mode, allowed lateness, late-firing mode and snapshot serializers; defaults if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="assigner"/>, a key selector or <paramref name="output"/> is null.</exception>
    public WindowJoinOperator(
        WindowAssigner assigner,
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        IWindowJoinOutput<TKey, TLeft, TRight> output,
        WindowJoinOptions<TKey, TLeft, TRight>? options = null)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        ArgumentNullException.ThrowIfNull(leftKeySelector);
        ArgumentNullException.ThrowIfNull(rightKeySelector);
        ArgumentNullException.ThrowIfNull(output);
        _assigner = assigner;
        _leftKey = leftKeySelector;
        _rightKey = rightKeySelector;
        _output = output;
        _options = options ?? new WindowJoinOptions<TKey, TLeft, TRight>();
        _lateness = _options.AllowedLateness.BclCompatibleTicks;
    }

    /// <summary>Gets the window assigner.</summary>
    public WindowAssigner Assigner => _assigner;

    /// <summary>Gets the counters; see <see cref="WindowJoinCounters"/> for how they balance.</summary>
    public WindowJoinCounters Counters { get; } = new();

    /// <summary>Gets the operator's watermark: the largest value reached by the minimum of the watermarks of the inputs
    /// that are not idle; <see cref="Instant.MinValue"/> until both have reported one. It never decreases.</summary>
    public Instant Watermark => _intake.Watermark;

    /// <summary>Gives the operator one left record.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    public void OnLeft(TLeft value, Instant timestamp)
    {
        Counters.LeftIn++;
        if (!JoinIntake.TrySelectKey(_leftKey, value, out var key, out var error))
        {
            Counters.Failed++;
            _output.OnLeftRejected(new(0, default, value, timestamp, Watermark, RejectReason.KeySelectorFailed, error));
            return;
        }

        var reason = Route(key, timestamp);
        if (reason is { } r)
        {
            _output.OnLeftRejected(new(0, key, value, timestamp, Watermark, r, null));
            return;
        }

        foreach (var pane in _targets)
        {
            pane.Lefts.Add(value);
            pane.LeftGroups.Add(0);
        }

        Settle();
    }

    /// <summary>Gives the operator one right record.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    public void OnRight(TRight value, Instant timestamp)
    {
        Counters.RightIn++;
        if (!JoinIntake.TrySelectKey(_rightKey, value, out var key, out var error))
        {
            Counters.Failed++;
            _output.OnRightRejected(new(1, default, value, timestamp, Watermark, RejectReason.KeySelectorFailed, error));
            return;
        }

        var reason = Route(key, timestamp);
        if (reason is { } r)
        {
            _output.OnRightRejected(new(1, key, value, timestamp, Watermark, r, null));
            return;
        }

        foreach (var pane in _targets)
        {
            pane.Rights.Add(value);
            pane.RightGroups.Add(0);
        }

        Settle();
    }

    /// <summary>Advances the left input's watermark; windows fire if the operator's watermark advances.</summary>
    /// <param name="watermark">The promise that no more left records with a timestamp at or below it will come. A value
    /// below the left input's previous watermark is ignored.</param>
    public void OnLeftWatermark(Instant watermark)
    {
        if (_intake.Update(0, watermark))
        {
            Advance();
        }
    }

    /// <summary>Advances the right input's watermark; windows fire if the operator's watermark advances.</summary>
    /// <param name="watermark">The promise that no more right records with a timestamp at or below it will come. A value
    /// below the right input's previous watermark is ignored.</param>
    public void OnRightWatermark(Instant watermark)
    {
        if (_intake.Update(1, watermark))
        {
            Advance();
        }
    }

    /// <summary>Advances both inputs' watermarks at once, e.g. to <see cref="Instant.MaxValue"/> at the end of input.
    /// Since both inputs promise it, the operator's watermark reaches it even if an input is idle.</summary>
    /// <param name="watermark">The watermark of both inputs.</param>
    public void OnWatermark(Instant watermark)
    {
        if (_intake.UpdateAll(watermark))
        {
            Advance();
        }
    }

    /// <summary>
    /// Marks the left input idle or active again. An idle input does not hold the operator's watermark back (as with
    /// Flink's source idleness), so windows can fire while it sends nothing; its records are still accepted, and a
    /// watermark it sends while idle is kept and counts once it is active again. The watermark never goes back: an input
    /// that becomes active while behind holds it in place until it catches up.
    /// </summary>
    /// <param name="idle">True to mark the input idle, false to mark it active.</param>
    public void SetLeftIdle(bool idle) => SetIdle(0, idle);

    /// <summary>Marks the right input idle or active again; see <see cref="SetLeftIdle"/>.</summary>
    /// <param name="idle">True to mark the input idle, false to mark it active.</param>
    public void SetRightIdle(bool idle) => SetIdle(1, idle);

    private void SetIdle(int input, bool idle)
    {
        if (_intake.SetIdle(input, idle))
        {
            Advance();
        }
    }

    /// <summary>Fires and purges every window that the new watermark makes due, in order of due time then creation.</summary>
    private void Advance()
    {
        var w = _intake.Ticks;
        while (_timers.TryPeek(out var pane, out var due) && due.Time <= w)
        {
            _timers.Dequeue();
            if (pane.Removed || pane.TimerAt != due.Time)
            {
                continue; // stale: merged away, purged, or its timer moved
            }

            if (pane.Dirty)
            {
                Fire(pane);
            }

            var cleanup = EventTicks.Plus(pane.MaxTicks, _lateness);
            if (cleanup <= w)
            {
                Purge(pane);
            }
            else
            {
                Schedule(pane, cleanup);
            }
        }
    }

    /// <summary>After a record was added to <see cref="_targets"/>: fire the windows that are already due, schedule the others.</summary>
    private void Settle()
    {
        Counters.Accepted++;
        foreach (var pane in _targets)
        {
            Counters.EntriesAdded++;
            Counters.EntriesLive++;
            pane.Dirty = true;
            if (pane.MaxTicks <= _intake.Ticks)
            {
                Fire(pane);
                Schedule(pane, EventTicks.Plus(pane.MaxTicks, _lateness));
            }
            else
            {
                Schedule(pane, pane.MaxTicks);
            }
        }
    }

    private void Schedule(Pane<TKey, TLeft, TRight> pane, long time)
    {
        if (pane.TimerAt != time)
        {
            pane.TimerAt = time;
            _timers.Enqueue(pane, (time, pane.Seq));
        }
    }

    private void Fire(Pane<TKey, TLeft, TRight> pane)
    {
        pane.Dirty = false;
        pane.Firings++;
        Counters.FiringCount++;
        var window = pane.Window.ToTimeWindow();
        var key = pane.Owner.Key;
        if (_options.Mode == WindowJoinMode.CoGroup)
        {
            Counters.CoGroupCount++;
            _output.OnCoGroup(key, window, pane.Lefts, pane.Rights, pane.Firings);
            return;
        }

        var all = _options.LateFiring == LateFiringMode.AllPairs;
        var group = ++_nextGroup;
        var lg = pane.LeftGroups;
        var rg = pane.RightGroups;
        for (var i = 0; i < pane.Lefts.Count; i++)
        {
            for (var j = 0; j < pane.Rights.Count; j++)
            {
                if (all || lg[i] == 0 || lg[i] != rg[j])
                {
                    Counters.PairCount++;
                    _output.OnPair(key, window, pane.Lefts[i], pane.Rights[j]);
                }
            }
        }

        lg.Clear();
        rg.Clear();
        for (var i = 0; i < pane.Lefts.Count; i++)
        {
            lg.Add(group);
        }

        for (var j = 0; j < pane.Rights.Count; j++)
        {
            rg.Add(group);
        }
    }

    private void Purge(Pane<TKey, TLeft, TRight> pane)
    {
        pane.Removed = true;
        Counters.EntriesPurged += pane.EntryCount;
        Counters.EntriesLive -= pane.EntryCount;
        Counters.PaneCount--;
        var owner = pane.Owner;
        owner.Panes.Remove(pane);
        if (owner.Panes.Count == 0)
        {
            _keys.Remove(owner.Key);
            Counters.KeyCount--;
        }
    }
}
