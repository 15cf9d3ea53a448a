using Cep.Joins.CoProcess;
using NodaTime;

namespace Cep.Joins.AdAnalytics;

/// <summary>
/// Decides which clicks are valid: a click is valid when its user watched the clicked title for at least
/// <see cref="ValidClickOptions.RequiredWatchTime"/> after it, as told by play heartbeats. Input 1 is clicks, input 2 is
/// heartbeats, both keyed by <see cref="WatchKey"/> (user, title).
/// </summary>
/// <remarks>
/// <para><b>What counts as watching.</b> Each distinct heartbeat timestamp <c>h</c> stands for the interval
/// <c>[h, h + HeartbeatInterval)</c>. The watching time of a click at <c>c</c> is the length of the union of those
/// intervals over the heartbeats with <c>c &lt;= h &lt; c + ClickTtl</c>, cut at <c>c + ClickTtl</c>. So a duplicated
/// heartbeat counts once, overlapping heartbeats are not counted twice, a gap longer than the interval is not watching,
/// and a heartbeat before the click (even by less than one interval) does not count. With the defaults, 120 heartbeats 3
/// seconds apart from the click on make exactly 6 minutes: valid; 119 make 5:57: not valid.</para>
/// <para><b>When verdicts come out.</b> A valid click is emitted as soon as the counted watching reaches the required time
/// (when the click arrives, if enough heartbeats came before it, or at the heartbeat that reaches it), stamped with that
/// record's timestamp. A click that does not get there is emitted as not valid, with its watching time, by an event-time
/// timer at <c>c + ClickTtl</c>, when the watermark has passed every heartbeat that could count. Since watching only grows,
/// whether a click is valid does not depend on arrival order; only heartbeats that are late for their input (and so
/// never reach the function) are missed. Every click that reaches the function gets exactly one verdict; several clicks of
/// one key each get their own.</para>
/// <para><b>State.</b> Per key: the clicks waiting for a verdict, and the distinct heartbeat times. A heartbeat that
/// arrives before its click is kept until the watermark passes it (after that no click it could count for can arrive
/// without being late), or longer while a waiting click at or before it needs it; the check runs on one cleanup timer per
/// key, rounded up to the next minute. A click is dropped at its verdict. After
/// a final watermark of <see cref="Instant.MaxValue"/> no state and no timer is left.</para>
/// </remarks>
/// <threadsafety>One instance per operator (see <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>).</threadsafety>
public sealed class ValidClickFunction : KeyedCoProcessFunction<WatchKey, Click, PlayHeartbeat, ClickVerdict>
{
    private readonly long _required;
    private readonly long _interval;
    private readonly long _ttl;
    private IListState<PendingClick> _pending = null!;
    private IValueState<List<long>> _heartbeats = null!;
    private IValueState<long> _cleanupAt = null!;

    /// <summary>Initializes the function.</summary>
    /// <param name="options">The parameters; defaults (6 minutes, 3 seconds, 3 hours) if null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid (see <see cref="ValidClickOptions.Validate"/>).</exception>
    public ValidClickFunction(ValidClickOptions? options = null)
    {
        Options = options ?? new ValidClickOptions();
        Options.Validate();
        _required = Options.RequiredWatchTime.BclCompatibleTicks;
        _interval = Options.HeartbeatInterval.BclCompatibleTicks;
        _ttl = Options.ClickTtl.BclCompatibleTicks;
    }

    /// <summary>Gets the parameters.</summary>
    public ValidClickOptions Options { get; }

    /// <summary>Creates a co-process operator running a new <see cref="ValidClickFunction"/>, keyed by <see cref="WatchKey"/>.</summary>
    /// <param name="output">Receives the verdicts, late records and errors.</param>
    /// <param name="options">The parameters; defaults if null.</param>
    /// <param name="operatorOptions">The operator's options; defaults if null.</param>
    /// <returns>The operator: clicks on input 1, heartbeats on input 2.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public static KeyedCoProcessOperator<WatchKey, Click, PlayHeartbeat, ClickVerdict> CreateOperator(
        ICoProcessOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict> output,
        ValidClickOptions? options = null,
        KeyedCoProcessOptions<WatchKey>? operatorOptions = null) =>
        new(static c => c.Key, static h => h.Key, new ValidClickFunction(options), output, operatorOptions);

    /// <inheritdoc/>
    public override void Open(IKeyedStateRegistry state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _pending = state.GetListState(new ListStateDescriptor<PendingClick>("pending-clicks"));
        _heartbeats = state.GetValueState(new ValueStateDescriptor<List<long>>("heartbeats"));
        _cleanupAt = state.GetValueState(new ValueStateDescriptor<long>("cleanup-at"));
    }

    /// <inheritdoc/>
    public override void ProcessElement1(Click value, ICoProcessContext<WatchKey, ClickVerdict> context)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(context);
        var c = value.Timestamp.ToUnixTimeTicks();
        var watched = _heartbeats.TryGetValue(out var beats) ? Measure(beats, c) : 0;
        if (watched >= _required)
        {
            context.Emit(new ClickVerdict(value, true, Duration.FromTicks(watched), context.Timestamp));
            return;
        }

        _pending.Add(new PendingClick(value, watched));
        context.TimerService.RegisterEventTimeTimer(Instant.FromUnixTimeTicks(c + _ttl));
    }

    /// <inheritdoc/>
    public override void ProcessElement2(PlayHeartbeat value, ICoProcessContext<WatchKey, ClickVerdict> context)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(context);
        var h = value.Timestamp.ToUnixTimeTicks();
        if (!_heartbeats.TryGetValue(out var beats))
        {
            beats = [];
        }

        var at = beats.BinarySearch(h);
        if (at >= 0)
        {
            return; // a duplicate counts once
        }

        at = ~at;
        beats.Insert(at, h);
        _heartbeats.Update(beats);
        long? before = at > 0 ? beats[at - 1] : null;
        var after = at + 1 < beats.Count ? beats[at + 1] : long.MaxValue;
        var pending = _pending.Get();
        if (pending.Count > 0)
        {
            var changed = false;
            List<long>? decided = null;
            var kept = new List<PendingClick>(pending.Count);
            foreach (var p in pending)
            {
                var c = p.Click.Timestamp.ToUnixTimeTicks();
                if (h < c || h >= c + _ttl)
                {
                    kept.Add(p);
                    continue;
                }

                // The new part of the union: [h, h + interval) minus the previous heartbeat's interval (if it counts for
                // this click) and minus everything from the next heartbeat on, cut at the click's expiry.
                var from = before is { } b && b >= c ? Math.Max(h, b + _interval) : h;
                var to = Math.Min(Math.Min(h + _interval, after), c + _ttl);
                var watched = p.WatchedTicks + Math.Max(0, to - from);
                changed = true;
                if (watched >= _required)
                {
                    context.Emit(new ClickVerdict(p.Click, true, Duration.FromTicks(watched), context.Timestamp));
                    (decided ??= []).Add(c + _ttl);
                }
                else
                {
                    kept.Add(p with { WatchedTicks = watched });
                }
            }

            if (changed)
            {
                _pending.Update(kept);
            }

            // A decided click's expiry timer is no longer needed, unless another click or the cleanup shares its time.
            var hasCleanup = _cleanupAt.TryGetValue(out var cleanupAt);
            foreach (var expiry in decided ?? [])
            {
                if (!(hasCleanup && cleanupAt == expiry) && !kept.Any(k => k.Click.Timestamp.ToUnixTimeTicks() + _ttl == expiry))
                {
                    context.TimerService.DeleteEventTimeTimer(Instant.FromUnixTimeTicks(expiry));
                }
            }
        }

        if (!_cleanupAt.TryGetValue(out _))
        {
            var cleanup = CleanupTime(h);
            _cleanupAt.Update(cleanup);
            context.TimerService.RegisterEventTimeTimer(Instant.FromUnixTimeTicks(cleanup));
        }
    }

    /// <inheritdoc/>
    public override void OnTimer(Instant timestamp, ICoProcessContext<WatchKey, ClickVerdict> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var t = timestamp.ToUnixTimeTicks();
        var pending = _pending.Get();
        var kept = new List<PendingClick>(pending.Count);
        foreach (var p in pending)
        {
            if (p.Click.Timestamp.ToUnixTimeTicks() + _ttl <= t)
            {
                context.Emit(new ClickVerdict(p.Click, false, Duration.FromTicks(p.WatchedTicks), timestamp));
            }
            else
            {
                kept.Add(p);
            }
        }

        if (kept.Count != pending.Count)
        {
            _pending.Update(kept);
        }

        Prune(kept, context);
    }

    /// <summary>
    /// Drops the heartbeats at or below the watermark that no waiting click needs, and keeps one cleanup timer at the
    /// latest heartbeat above the watermark, if any.
    /// </summary>
    private void Prune(List<PendingClick> pending, ICoProcessContext<WatchKey, ClickVerdict> context)
    {
        if (pending.Count == 0)
        {
            _pending.Clear();
        }

        var hadCleanup = _cleanupAt.TryGetValue(out var cleanupAt);
        if (!_heartbeats.TryGetValue(out var beats))
        {
            beats = [];
        }

        var watermark = context.CurrentWatermark == Instant.MaxValue ? long.MaxValue : context.CurrentWatermark.ToUnixTimeTicks();
        var firstNeeded = pending.Count == 0 ? long.MaxValue : pending.Min(p => p.Click.Timestamp.ToUnixTimeTicks());
        beats.RemoveAll(h => h <= watermark && h < firstNeeded);
        if (beats.Count == 0)
        {
            _heartbeats.Clear();
        }
        else
        {
            _heartbeats.Update(beats);
        }

        long? next = beats.Count > 0 && beats[^1] > watermark ? CleanupTime(beats[^1]) : null;
        if (hadCleanup && cleanupAt != next && !pending.Any(p => p.Click.Timestamp.ToUnixTimeTicks() + _ttl == cleanupAt))
        {
            context.TimerService.DeleteEventTimeTimer(Instant.FromUnixTimeTicks(cleanupAt));
        }

        if (next is { } n)
        {
            _cleanupAt.Update(n);
            context.TimerService.RegisterEventTimeTimer(Instant.FromUnixTimeTicks(n));
        }
        else
        {
            _cleanupAt.Clear();
        }
    }

    /// <summary>
    /// Rounds a heartbeat time up to the next multiple of the cleanup granularity (one minute, or the heartbeat interval if
    /// longer), so that one cleanup timer serves a key's heartbeats of a whole minute.
    /// </summary>
    private long CleanupTime(long h)
    {
        var step = Math.Max(_interval, NodaConstants.TicksPerMinute);
        var rem = ((h % step) + step) % step;
        return rem == 0 ? h : h - rem + step;
    }

    /// <summary>The union of [h, h + interval) over the heartbeats in [c, c + ttl), cut at c + ttl.</summary>
    private long Measure(List<long> beats, long c)
    {
        var end = c + _ttl;
        var at = beats.BinarySearch(c);
        at = at < 0 ? ~at : at;
        long total = 0;
        for (var i = at; i < beats.Count && beats[i] < end; i++)
        {
            var next = i + 1 < beats.Count ? beats[i + 1] : long.MaxValue;
            total += Math.Min(Math.Min(beats[i] + _interval, next), end) - beats[i];
        }

        return total;
    }
}
