using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <content>Which edges hold for an event: the proceed closure, cached per event where conditions allow, and the stamps behind the caches.</content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>
    /// The take and ignore edges that hold for the event from <paramref name="from"/>, following proceed edges whose
    /// condition holds; computed once per event for states whose conditions do not read the partial match.
    /// </summary>
    /// <returns>The range of <see cref="_edgeBuffer"/> holding the edges' ids in <see cref="_allEdges"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int First, int Count) EdgesFor(int from, T value)
    {
        if (_edgeStamp[from] == _eventStamp && !_dependsOnMatch[from])
        {
            return (_edgeFirst[from], _edgeCount[from]);
        }

        if (_memoLeaves[from] is { } leaves)
        {
            return MemoizedEdges(leaves, from, value);
        }

        return CollectEdges(from, value, cache: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private (int First, int Count) CollectEdges(int from, T value, bool cache)
    {
        var cacheable = cache && !_dependsOnMatch[from];

        // The start state never ignores an event (a new partial match simply does not start), so its ignore edges,
        // and those of states it proceeds to, need not be evaluated. No other partial match waits in the start state.
        var skipIgnores = from == _nfa.Start;
        var first = _edgeFill;
        if (!_hasProceed[from])
        {
            // No closure to follow (the usual case): the state's own edges whose condition holds.
            CollectOwnEdges(from, value, skipIgnores);
        }
        else
        {
            CollectClosureEdges(from, value, skipIgnores);
        }

        if (cacheable)
        {
            _edgeStamp[from] = _eventStamp;
            _edgeFirst[from] = first;
            _edgeCount[from] = _edgeFill - first;
        }

        return (first, _edgeFill - first);
    }

    private void CollectOwnEdges(int from, T value, bool skipIgnores)
    {
        var edges = _states[from].Edges;
        var conditions = _edgeConditions[from];
        var baseId = _edgeBase[from];
        for (var i = 0; i < edges.Length; i++)
        {
            ref readonly var edge = ref edges[i];
            if ((skipIgnores && edge.Action == EdgeAction.Ignore) || !Holds(in edge, conditions[i], value))
            {
                continue;
            }

            AppendEdge(baseId + i);
        }
    }

    private void CollectClosureEdges(int from, T value, bool skipIgnores)
    {
        var epoch = NextEpoch();
        var top = 0;
        _stack[top++] = from;
        _visited[from] = epoch;
        while (top > 0)
        {
            var state = _stack[--top];
            var edges = _states[state].Edges;
            var conditions = _edgeConditions[state];
            for (var i = 0; i < edges.Length; i++)
            {
                ref readonly var edge = ref edges[i];
                if ((skipIgnores && edge.Action == EdgeAction.Ignore) || !Holds(in edge, conditions[i], value))
                {
                    continue;
                }

                if (edge.Action == EdgeAction.Proceed)
                {
                    if (_visited[edge.Target] != epoch)
                    {
                        _visited[edge.Target] = epoch;
                        _stack[top++] = edge.Target;
                    }
                }
                else
                {
                    AppendEdge(_edgeBase[state] + i);
                }
            }
        }
    }

    /// <summary>Whether an edge's condition holds for the event: from the per-event table, or asked directly for an iterative one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Holds(in Edge<T> edge, int conditionIndex, T value) =>
        conditionIndex >= 0 ? _conditions.Test(conditionIndex, value, _context) : edge.Condition is not { } condition || condition.Test(value, _context);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendEdge(int edgeId)
    {
        if (_edgeFill == _edgeBuffer.Length)
        {
            Array.Resize(ref _edgeBuffer, _edgeBuffer.Length * 2);
        }

        _edgeBuffer[_edgeFill++] = edgeId;
    }

    /// <summary>After a take, whether proceed edges from the new state reach the final state with this event (optional or looping tails).</summary>
    private int FinalAfterProceed(int state, T value)
    {
        if (!_hasProceed[state])
        {
            return -1;
        }

        var cacheable = !_dependsOnMatch[state];
        if (cacheable && _finalStamp[state] == _eventStamp)
        {
            return _finalValue[state];
        }

        var final = SearchFinal(state, value);
        if (cacheable)
        {
            _finalStamp[state] = _eventStamp;
            _finalValue[state] = final;
        }

        return final;
    }

    private int SearchFinal(int state, T value)
    {
        var epoch = NextEpoch();
        var top = 0;
        _stack[top++] = state;
        _visited[state] = epoch;
        while (top > 0)
        {
            var current = _stack[--top];
            var edges = _states[current].Edges;
            var conditions = _edgeConditions[current];
            for (var i = 0; i < edges.Length; i++)
            {
                ref readonly var edge = ref edges[i];
                if (edge.Action != EdgeAction.Proceed || _visited[edge.Target] == epoch)
                {
                    continue;
                }

                if (!Holds(in edge, conditions[i], value))
                {
                    continue;
                }

                if (_states[edge.Target].Kind == StateKind.Final)
                {
                    return edge.Target;
                }

                _visited[edge.Target] = epoch;
                _stack[top++] = edge.Target;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int NextEpoch()
    {
        if (++_epoch == int.MaxValue)
        {
            Array.Clear(_visited);
            _epoch = 1;
        }

        return _epoch;
    }

    /// <summary>Before the per-event stamp wraps around, forgets every stamp so that none can match by accident.</summary>
    private void ResetStamps()
    {
        Array.Clear(_edgeStamp);
        Array.Clear(_finalStamp);
        Array.Clear(_inheritedAt);
        _eventStamp = 1;
    }
}
