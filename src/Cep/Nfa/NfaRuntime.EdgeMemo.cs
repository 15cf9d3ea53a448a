using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <content>
/// Edge sets memoized by the outcome of the conditions on them. For a state without proceed edges whose conditions do
/// not read the partial match, which edges hold for an event depends only on the truth of those few conditions; every
/// combination is worked out once, when the runtime is built, and an event then costs the same condition tests as
/// before (each at most once per event, in edge order, with their own short-circuits) and a table look-up.
/// </content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>At most this many distinct conditions per state are memoized, so a state's table has at most 16 entries.</summary>
    private const int MaxMemoLeaves = 4;

    /// <summary>Per state: the conditions (entries of the condition table) its edge set depends on, or null when it is not memoized.</summary>
    private int[]?[] _memoLeaves = [];

    /// <summary>Per state: where its table starts in <see cref="_memoFirst"/> and <see cref="_memoCount"/>.</summary>
    private int[] _memoOffset = [];

    private int[] _memoFirst = [];
    private int[] _memoCount = [];

    /// <summary>The memoized edge ids occupy the start of <see cref="_edgeBuffer"/>; an event's own edges come after them.</summary>
    private int _memoEdges;

    /// <summary>Works out the edge set of every memoizable state for every outcome of its conditions.</summary>
    private void BuildEdgeMemo()
    {
        _memoLeaves = new int[]?[_states.Length];
        _memoOffset = new int[_states.Length];
        var first = new List<int>();
        var count = new List<int>();
        _edgeFill = 0;
        for (var state = 0; state < _states.Length; state++)
        {
            if (_dependsOnMatch[state] || EdgeEntries(state) is not { Length: <= MaxMemoLeaves } leaves)
            {
                continue;
            }

            _memoLeaves[state] = leaves;
            _memoOffset[state] = first.Count;
            for (var mask = 0; mask < 1 << leaves.Length; mask++)
            {
                _conditions.NextEvent();
                for (var j = 0; j < leaves.Length; j++)
                {
                    _conditions.Assume(leaves[j], (mask & (1 << j)) != 0);
                }

                // No predicate runs: every condition on the state's edges is assumed.
                var (f, c) = CollectEdges(state, default!, cache: false);
                first.Add(f);
                count.Add(c);
            }
        }

        _memoFirst = [.. first];
        _memoCount = [.. count];
        _memoEdges = _edgeFill;
        _conditions.NextEvent();
    }

    /// <summary>
    /// Gets the conditions on the edges of <paramref name="state"/> that an event is tested against, or null if the
    /// state has proceed edges (whose targets' conditions are only tested when the proceed condition holds).
    /// </summary>
    private int[]? EdgeEntries(int state)
    {
        if (_hasProceed[state])
        {
            return null;
        }

        var entries = new List<int>();
        var edges = _states[state].Edges;
        for (var i = 0; i < edges.Length; i++)
        {
            if (edges[i].Condition is null || (state == _nfa.Start && edges[i].Action == EdgeAction.Ignore))
            {
                continue;
            }

            var entry = _edgeConditions[state][i];
            if (entry < 0)
            {
                return null;
            }

            if (!entries.Contains(entry))
            {
                entries.Add(entry);
            }
        }

        return [.. entries];
    }

    /// <summary>Looks up the edge set of a memoized state for the current event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int First, int Count) MemoizedEdges(int[] leaves, int state, T value)
    {
        var mask = 0;
        for (var j = 0; j < leaves.Length; j++)
        {
            if (_conditions.Test(leaves[j], value, _context))
            {
                mask |= 1 << j;
            }
        }

        var at = _memoOffset[state] + mask;
        return (_memoFirst[at], _memoCount[at]);
    }
}
