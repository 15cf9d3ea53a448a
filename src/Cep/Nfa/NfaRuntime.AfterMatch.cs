using System.Runtime.CompilerServices;
using Cep.Patterns;

namespace Cep.Nfa;

/// <content>Emitting completed matches under the after-match skip strategy.</content>
internal sealed partial class NfaRuntime<TKey, T>
{
    private int[] _touchedEvents = new int[8];
    private int _touchSink; // keeps the reads of TouchChains from being optimized away

    /// <summary>
    /// Emits the matches completed by the last step. Without a skip strategy every match goes out at once. With one,
    /// completed matches wait, ordered by their first event, until no partial match that started at or before them is
    /// alive; each emitted match then prunes the partial and completed matches its strategy discards.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EmitPotentialMatches(KeyState<TKey> key)
    {
        if (_potentialCount == 0 && key.CompletedCount == 0)
        {
            return;
        }

        if (_nfa.Skip.Kind == SkipKind.NoSkip)
        {
            if (_potentialCount > 1)
            {
                TouchChains();
            }

            for (var i = 0; i < _potentialCount; i++)
            {
                Emit(key, _potential[i], _potentialLeafStage[i], _potentialExclusive[i]);
            }

            _potentialCount = 0;
            _leafValue = default!;
            return;
        }

        for (var i = 0; i < _potentialCount; i++)
        {
            key.AddCompleted(_potential[i]);
        }

        _potentialCount = 0;
        while (key.CompletedCount > 0)
        {
            var earliest = key.Completed[0];
            if (key.PartialCount > 0 && earliest.StartId > EarliestPartialStart(key))
            {
                break;
            }

            // Computed before the match leaves the queue: if the strategy throws, the key's state stays consistent.
            var pruneBelow = PruningId(earliest, out var inclusive);
            key.RemoveCompletedAt(0);
            if (pruneBelow is { } id)
            {
                PrunePartials(key, id, inclusive);
                PruneCompleted(key, id, inclusive);
            }

            Emit(key, earliest, -1);
        }
    }

    /// <summary>Emits a match given by its last node, or by the node before a virtual leaf of stage <paramref name="leafStage"/>.</summary>
    private void Emit(KeyState<TKey> key, in ComputationState match, int leafStage, bool exclusive = false)
    {
        if (leafStage < 0)
        {
            _view.Fill(_buffer, match.Node);
        }
        else
        {
            _view.Fill(_buffer, match.Node, leafStage, _leafValue, match.PrevTs);
        }

        try
        {
            _sink.OnMatch(key, _view);
        }
        finally
        {
            _view.Clear();
            if (exclusive)
            {
                _buffer.ReleaseExclusive(match.Node); // freed without reading it: nothing else can hold it
            }
            else
            {
                _buffer.Release(match.Node);
            }
        }
    }

    /// <summary>
    /// Reads the last stored node of every match about to be emitted, then its event, before any is emitted: the reads
    /// of different matches do not depend on each other, so their cache misses overlap instead of coming one per
    /// match in <see cref="SharedBuffer.SharedBuffer{T}.Release"/>.
    /// </summary>
    private void TouchChains()
    {
        if (_touchedEvents.Length < _potentialCount)
        {
            _touchedEvents = new int[Math.Max(_potentialCount, _touchedEvents.Length * 2)];
        }

        var events = _touchedEvents;
        for (var i = 0; i < _potentialCount; i++)
        {
            // An exclusive node holds its event itself and is freed without being read: nothing to touch.
            var node = _potential[i].Node;
            events[i] = node >= 0 && !_potentialExclusive[i] ? _buffer.EventKey(node) : -1; // negative: no event slot to touch
        }

        var sum = 0;
        for (var i = 0; i < _potentialCount; i++)
        {
            if (events[i] >= 0)
            {
                sum += _buffer.EventRefCount(events[i]);
            }
        }

        _touchSink = sum;
    }

    private static long EarliestPartialStart(KeyState<TKey> key)
    {
        var min = long.MaxValue;
        for (var i = 0; i < key.PartialCount; i++)
        {
            min = Math.Min(min, key.Partial[i].StartId);
        }

        return min;
    }

    /// <summary>The event id that partial matches are pruned against, or null to prune nothing.</summary>
    private long? PruningId(in ComputationState match, out bool inclusive)
    {
        var skip = _nfa.Skip;
        switch (skip.Kind)
        {
            case SkipKind.SkipToNext:
                inclusive = true;
                return match.StartId;
            case SkipKind.SkipPastLastEvent:
                inclusive = true;
                return _buffer.NodeEventId(match.Node);
        }

        inclusive = false;
        var target = _nfa.SkipTargetStage;
        long? first = null;
        long? last = null;
        for (var node = match.Node; node >= 0; node = _buffer.Parent(node))
        {
            if (_buffer.Stage(node) == target)
            {
                var id = _buffer.NodeEventId(node);
                last ??= id;
                first = id;
            }
        }

        var pruning = skip.Kind == SkipKind.SkipToFirst ? first : last;
        if (skip.ThrowsOnMiss)
        {
            if (pruning is null)
            {
                _view.Fill(_buffer, match.Node);
                var shown = _view.ToString();
                _view.Clear();
                throw new InvalidOperationException($"Could not skip to stage '{skip.TargetStage}': it took no event in the match {shown}.");
            }

            if (pruning == match.StartId)
            {
                throw new InvalidOperationException(
                    $"Could not skip to stage '{skip.TargetStage}': its event is the first event of the match, so skipping would find the same match again.");
            }
        }

        return pruning;
    }

    private void PrunePartials(KeyState<TKey> key, long id, bool inclusive)
    {
        var kept = Prune(key.Partial, key.PartialCount, id, inclusive);
        PartialMatches -= key.PartialCount - kept;
        key.PartialCount = kept;
        key.CompactPartials(_partialPool);
    }

    private void PruneCompleted(KeyState<TKey> key, long id, bool inclusive) =>
        key.CompletedCount = Prune(key.Completed, key.CompletedCount, id, inclusive);

    /// <summary>Releases the matches that started at or before (<paramref name="inclusive"/>) or before <paramref name="id"/>, keeping the order of the rest.</summary>
    /// <returns>How many are kept.</returns>
    private int Prune<TMatch>(Span<TMatch> matches, int count, long id, bool inclusive)
        where TMatch : struct, IStartedMatch
    {
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var cs = matches[i];
            if (inclusive ? cs.StartId <= id : cs.StartId < id)
            {
                _buffer.Release(cs.Node);
            }
            else
            {
                matches[kept++] = cs;
            }
        }

        return kept;
    }
}
