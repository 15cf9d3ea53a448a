using Cep.Time;
using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>
/// A keyed event-time interval join (Flink's <c>intervalJoin(...).between(lower, upper)</c>): a left record <c>l</c> and a
/// right record <c>r</c> with equal keys join iff <c>l.ts + lower &lt;= r.ts &lt;= l.ts + upper</c> (see
/// <see cref="JoinBounds"/>), whatever order they arrive in.
/// </summary>
/// <typeparam name="TKey">The key type; pairs are only formed within one key.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <remarks>
/// <para><b>Time.</b> Each input has its own watermark; the operator's watermark is the minimum of the two
/// (<see cref="WatermarkTracker"/>). A record whose timestamp is at or below the watermark of its own input is late: it
/// goes to <see cref="IIntervalJoinOutput{TKey, TLeft, TRight}.OnLateLeft"/> or <c>OnLateRight</c> and is counted, never
/// joined and never silently dropped. Time is compared in ticks (100 ns).</para>
/// <para><b>Joining.</b> A record that is not late is joined at once against every buffered record of the other side of
/// its key within the bounds, in timestamp order, and then buffered for partners that may still arrive. A pair is
/// therefore emitted when its second record arrives, with timestamp <c>max(l.ts, r.ts)</c>, which is above the operator's
/// watermark at that moment.</para>
/// <para><b>Cleanup.</b> A left record at <c>t</c> can only be joined by right records up to <c>t + upper</c>, and a right
/// record at <c>t</c> only by left records from <c>t - lower</c>; every future record is above the operator's watermark.
/// So a left record leaves the state when the operator's watermark reaches <c>t + upper</c>, and a right record when it
/// reaches <c>t - lower</c> (one event-time timer per buffered record, like Flink's cleanup timers); a record whose time
/// has already come when it arrives is never buffered. In an outer join, a record that joined nothing is reported as
/// unmatched at exactly that moment: once, and never before a match (no spurious results). A final watermark of
/// <see cref="Instant.MaxValue"/> on both inputs empties the state.</para>
/// <para><b>Accounting.</b> <see cref="Counters"/> balance for each side: in = late + buffered + released joined +
/// released unmatched (see <see cref="IntervalJoinCounters"/>). If a key selector throws, the exception propagates to the
/// caller and the record is not counted.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time. The output is called on that thread.</threadsafety>
public sealed partial class IntervalJoinOperator<TKey, TLeft, TRight>
    where TKey : notnull
{
    private const int MaxSpareStates = 1024;
    private readonly Func<TLeft, TKey> _leftKeySelector;
    private readonly Func<TRight, TKey> _rightKeySelector;
    private readonly IIntervalJoinOutput<TKey, TLeft, TRight> _output;
    private readonly IntervalJoinOptions<TKey, TLeft, TRight> _options;
    private readonly long _lower;
    private readonly long _upper;
    private readonly bool _reportLeft;
    private readonly bool _reportRight;
    private readonly Dictionary<TKey, IntervalKeyState<TKey, TLeft, TRight>> _keys;
    private readonly List<IntervalKeyState<TKey, TLeft, TRight>?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Stack<IntervalKeyState<TKey, TLeft, TRight>> _spareStates = new();
    private readonly CleanupTimers _timers = new();
    private readonly WatermarkTracker _tracker = new(2);
    private readonly CleanupTimer[] _batch = new CleanupTimer[64];
    private readonly IntervalKeyState<TKey, TLeft, TRight>?[] _batchStates = new IntervalKeyState<TKey, TLeft, TRight>?[64];
    private long _touched;
    private long _leftWatermark = long.MinValue;
    private long _rightWatermark = long.MinValue;
    private long _watermark = long.MinValue;

    /// <summary>Creates an interval join.</summary>
    /// <param name="leftKeySelector">Extracts a left record's key.</param>
    /// <param name="rightKeySelector">Extracts a right record's key.</param>
    /// <param name="bounds">Where a right record may be relative to a left record to join it.</param>
    /// <param name="output">Receives pairs, unmatched records and late records.</param>
    /// <param name="options">The join type, key comparer and snapshot serializers; defaults (an inner join) if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="leftKeySelector"/>, <paramref name="rightKeySelector"/> or <paramref name="output"/> is null.</exception>
    public IntervalJoinOperator(
        Func<TLeft, TKey> leftKeySelector,
        Func<TRight, TKey> rightKeySelector,
        JoinBounds bounds,
        IIntervalJoinOutput<TKey, TLeft, TRight> output,
        IntervalJoinOptions<TKey, TLeft, TRight>? options = null)
    {
        ArgumentNullException.ThrowIfNull(leftKeySelector);
        ArgumentNullException.ThrowIfNull(rightKeySelector);
        ArgumentNullException.ThrowIfNull(output);
        _leftKeySelector = leftKeySelector;
        _rightKeySelector = rightKeySelector;
        _output = output;
        _options = options ?? new IntervalJoinOptions<TKey, TLeft, TRight>();
        Bounds = bounds;
        JoinType = _options.JoinType;
        _lower = bounds.LowerTicks;
        _upper = bounds.UpperTicks;
        _reportLeft = JoinType is IntervalJoinType.LeftOuter or IntervalJoinType.FullOuter;
        _reportRight = JoinType is IntervalJoinType.RightOuter or IntervalJoinType.FullOuter;
        _keys = new Dictionary<TKey, IntervalKeyState<TKey, TLeft, TRight>>(_options.KeyComparer);
    }

    /// <summary>Gets the join bounds.</summary>
    public JoinBounds Bounds { get; }

    /// <summary>Gets the join type.</summary>
    public IntervalJoinType JoinType { get; }

    /// <summary>Gets the counters; see <see cref="IntervalJoinCounters"/> for how they balance.</summary>
    public IntervalJoinCounters Counters { get; } = new();

    /// <summary>Gets the operator's watermark: the minimum of the two inputs' watermarks; <see cref="Instant.MinValue"/> until both reported one.</summary>
    public Instant Watermark => _tracker.Current;

    /// <summary>Gets the left input's watermark; <see cref="Instant.MinValue"/> before the first one.</summary>
    public Instant LeftWatermark => _tracker.GetInputWatermark(0);

    /// <summary>Gets the right input's watermark; <see cref="Instant.MinValue"/> before the first one.</summary>
    public Instant RightWatermark => _tracker.GetInputWatermark(1);

    /// <summary>Gives the operator one left record.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    /// <exception cref="Exception">The left key selector threw; its exception is passed on and the record is not counted.</exception>
    public void OnLeft(TLeft value, Instant timestamp)
    {
        var key = _leftKeySelector(value);
        var counters = Counters;
        counters.LeftInCount++;
        var ticks = EventTicks.ToTicks(timestamp);
        if (ticks <= _leftWatermark)
        {
            counters.LeftLateCount++;
            _output.OnLateLeft(key, value, timestamp, LeftWatermark);
            return;
        }

        var matched = false;
        var upper = Plus(ticks, _upper);
        if (_keys.TryGetValue(key, out var state) && state.Right.Count > 0)
        {
            ref var right = ref state.Right;
            for (var i = right.LowerBound(Plus(ticks, _lower)); i < right.Count; i++)
            {
                ref var r = ref right[i];
                if (r.Ticks > upper)
                {
                    break;
                }

                r.Matched = true;
                matched = true;
                counters.PairCount++;
                var rightTimestamp = r.Timestamp;
                _output.OnJoined(key, value, timestamp, r.Value, rightTimestamp, timestamp >= rightTimestamp ? timestamp : rightTimestamp);
            }
        }

        if (upper <= _watermark)
        {
            ReleaseLeft(key, value, timestamp, matched);
            return;
        }

        state ??= Acquire(key);
        state.Left.Insert(ticks, JoinEntry<TLeft>.SubTickOf(timestamp, ticks), value, matched);
        counters.LeftBufferedCount++;
        _timers.Push(upper, state.Slot << 1);
        counters.TimerCount++;
    }

    /// <summary>Gives the operator one right record.</summary>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    /// <exception cref="Exception">The right key selector threw; its exception is passed on and the record is not counted.</exception>
    public void OnRight(TRight value, Instant timestamp)
    {
        var key = _rightKeySelector(value);
        var counters = Counters;
        counters.RightInCount++;
        var ticks = EventTicks.ToTicks(timestamp);
        if (ticks <= _rightWatermark)
        {
            counters.RightLateCount++;
            _output.OnLateRight(key, value, timestamp, RightWatermark);
            return;
        }

        var matched = false;
        var lower = Plus(ticks, -_lower);
        if (_keys.TryGetValue(key, out var state) && state.Left.Count > 0)
        {
            ref var left = ref state.Left;
            for (var i = left.LowerBound(Plus(ticks, -_upper)); i < left.Count; i++)
            {
                ref var l = ref left[i];
                if (l.Ticks > lower)
                {
                    break;
                }

                l.Matched = true;
                matched = true;
                counters.PairCount++;
                var leftTimestamp = l.Timestamp;
                _output.OnJoined(key, l.Value, leftTimestamp, value, timestamp, timestamp >= leftTimestamp ? timestamp : leftTimestamp);
            }
        }

        if (lower <= _watermark)
        {
            ReleaseRight(key, value, timestamp, matched);
            return;
        }

        state ??= Acquire(key);
        state.Right.Insert(ticks, JoinEntry<TRight>.SubTickOf(timestamp, ticks), value, matched);
        counters.RightBufferedCount++;
        _timers.Push(lower, (state.Slot << 1) | 1);
        counters.TimerCount++;
    }

    /// <summary>Advances the left input's watermark; a value at or below its current one is ignored.</summary>
    /// <param name="watermark">The promise that no more left records with a timestamp at or below it will come.</param>
    /// <remarks>If the operator's watermark (the minimum of both inputs) advances, every record that no future record can
    /// join leaves the state, in the order of the times at which that became so; in an outer join the unmatched ones are
    /// reported.</remarks>
    public void OnLeftWatermark(Instant watermark) => OnWatermark(0, watermark);

    /// <summary>Advances the right input's watermark; a value at or below its current one is ignored.</summary>
    /// <param name="watermark">The promise that no more right records with a timestamp at or below it will come.</param>
    /// <remarks>See <see cref="OnLeftWatermark"/>.</remarks>
    public void OnRightWatermark(Instant watermark) => OnWatermark(1, watermark);

    /// <summary>Gets the timestamps buffered for one key and side, oldest first; for tests.</summary>
    internal List<Instant> BufferedTimestamps(TKey key, bool right)
    {
        var result = new List<Instant>();
        if (_keys.TryGetValue(key, out var state))
        {
            for (var i = 0; i < (right ? state.Right.Count : state.Left.Count); i++)
            {
                result.Add(right ? state.Right[i].Timestamp : state.Left[i].Timestamp);
            }
        }

        return result;
    }

    /// <summary>Adds ticks, saturating at the sentinels; a sentinel stays a sentinel. <paramref name="delta"/> is within ±6.5e18.</summary>
    private static long Plus(long ticks, long delta)
    {
        if (ticks == long.MinValue || ticks == long.MaxValue)
        {
            return ticks;
        }

        return delta >= 0
            ? (ticks > EventTicks.MaxFiniteTicks - delta ? long.MaxValue : ticks + delta)
            : (ticks < EventTicks.MinFiniteTicks - delta ? long.MinValue : ticks + delta);
    }

    private void OnWatermark(int input, Instant watermark)
    {
        var advanced = _tracker.Update(input, watermark);
        var ticks = EventTicks.ToTicks(_tracker.GetInputWatermark(input));
        if (input == 0)
        {
            _leftWatermark = ticks;
        }
        else
        {
            _rightWatermark = ticks;
        }

        if (advanced)
        {
            _watermark = EventTicks.ToTicks(_tracker.Current);
            FireTimers(_watermark);
        }
    }
}
