using Cep.Time;
using NodaTime;

namespace Cep.Joins.Window;

/// <content>Routing a record to its windows: lateness, finding or creating panes, merging sessions.</content>
public sealed partial class WindowJoinOperator<TKey, TLeft, TRight>
{
    /// <summary>
    /// Fills <see cref="_targets"/> with the panes a record of <paramref name="key"/> at <paramref name="timestamp"/>
    /// goes into, creating or merging them; or returns why it goes into none (and counts it).
    /// </summary>
    private RejectReason? Route(TKey key, Instant timestamp)
    {
        _targets.Clear();
        if (timestamp == Instant.MinValue || timestamp == Instant.MaxValue)
        {
            Counters.Failed++;
            return RejectReason.InvalidTimestamp;
        }

        var ticks = EventTicks.ToTicks(timestamp);
        _windows.Clear();
        _assigner.Assign(ticks, _windows);
        if (_windows.Count == 0)
        {
            Counters.NoWindowCount++;
            return RejectReason.NoWindow;
        }

        _keys.TryGetValue(key, out var owner);
        if (_assigner.IsMerging)
        {
            return RouteMerging(key, owner, _windows[0]);
        }

        var skipped = 0;
        foreach (var window in _windows)
        {
            if (EventTicks.Plus(window.MaxTicks, _lateness) <= _intake.Ticks)
            {
                skipped++;
                continue;
            }

            owner ??= AddKey(key);
            _targets.Add(FindPane(owner, window) ?? AddPane(owner, window.Start, window.End));
        }

        if (_targets.Count == 0)
        {
            Counters.Late++;
            return RejectReason.Late;
        }

        Counters.AssignmentsSkipped += skipped;
        return null;
    }

    /// <summary>Merges the record's session window with every overlapping pane of the key into one pane.</summary>
    private RejectReason? RouteMerging(TKey key, KeyPanes<TKey, TLeft, TRight>? owner, TickWindow window)
    {
        var start = window.Start;
        var end = window.End;
        Pane<TKey, TLeft, TRight>? target = null;
        if (owner is not null)
        {
            foreach (var pane in owner.Panes)
            {
                if (pane.Start < window.End && window.Start < pane.End)
                {
                    start = Math.Min(start, pane.Start);
                    end = Math.Max(end, pane.End);
                    _targets.Add(pane);
                }
            }
        }

        // An overlapping pane is live, and the merged window ends no earlier, so only a lone window can be late.
        if (_targets.Count == 0 && EventTicks.Plus(window.MaxTicks, _lateness) <= _intake.Ticks)
        {
            Counters.Late++;
            return RejectReason.Late;
        }

        owner ??= AddKey(key);
        if (_targets.Count == 0)
        {
            _targets.Add(AddPane(owner, start, end));
            return null;
        }

        _targets.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        target = _targets[0];
        for (var i = 1; i < _targets.Count; i++)
        {
            var other = _targets[i];
            target.Lefts.AddRange(other.Lefts);
            target.LeftGroups.AddRange(other.LeftGroups);
            target.Rights.AddRange(other.Rights);
            target.RightGroups.AddRange(other.RightGroups);
            target.Firings = Math.Max(target.Firings, other.Firings);
            other.Removed = true;
            owner.Panes.Remove(other);
            Counters.PaneCount--;
        }

        target.Start = start;
        target.End = end;
        _targets.Clear();
        _targets.Add(target);
        return null;
    }

    private static Pane<TKey, TLeft, TRight>? FindPane(KeyPanes<TKey, TLeft, TRight> owner, TickWindow window)
    {
        foreach (var pane in owner.Panes)
        {
            if (pane.Start == window.Start && pane.End == window.End)
            {
                return pane;
            }
        }

        return null;
    }

    private KeyPanes<TKey, TLeft, TRight> AddKey(TKey key)
    {
        var owner = new KeyPanes<TKey, TLeft, TRight>(key);
        _keys.Add(key, owner);
        Counters.KeyCount++;
        return owner;
    }

    private Pane<TKey, TLeft, TRight> AddPane(KeyPanes<TKey, TLeft, TRight> owner, long start, long end)
    {
        var pane = new Pane<TKey, TLeft, TRight>(owner, start, end, _nextSeq++);
        owner.Panes.Add(pane);
        Counters.PaneCount++;
        return pane;
    }
}
