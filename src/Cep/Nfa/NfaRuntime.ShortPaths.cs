using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <content>
/// The short paths of <see cref="Process"/> for what most events do to most partial matches: skip them, complete them
/// straight into a final state, or start one new partial match. Each gives exactly what the general step would.
/// </content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>
    /// Per state, what an event does there when that depends on one plain condition only: its condition entry, or -1
    /// when the state has no short cut, and the move (with the edge's target and stage) for each outcome. Computed
    /// once from the memoized edge sets, so classifying an event reads one entry instead of the several tables the
    /// edge sets are looked up in.
    /// </summary>
    private readonly ShortCut[] _shortCuts;

    /// <summary>
    /// Feeds the event to the start state. The usual outcomes take a short path: no stage starts with the event, or
    /// exactly one take edge starts a partial match in an ordinary state.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StepStart(T value, long ts, long id, ref int eventSlot)
    {
        var start = _nfa.Start;
        Move move;
        int target, stage;
        ref readonly var cut = ref _shortCuts[start];
        if (cut.Leaf >= 0)
        {
            (move, target, stage) = _conditions.Test(cut.Leaf, value, _context)
                ? (cut.OnTrue, cut.TargetOnTrue, cut.StageOnTrue)
                : (cut.OnFalse, cut.TargetOnFalse, cut.StageOnFalse);
        }
        else if (_dependsOnMatch[start])
        {
            (move, target, stage) = (Move.General, -1, -1);
        }
        else
        {
            var (first, count) = EdgesFor(start, value);
            move = StartMoveOf(first, count, out var edgeIndex);
            (target, stage) = TargetAndStage(edgeIndex);
        }

        if (move == Move.None)
        {
            return;
        }

        if (move != Move.StartPlain || eventSlot >= 0 || _inlineNode >= 0)
        {
            Step(default, -1, value, ts, id, ref eventSlot);
            return;
        }

        // The first node to take the event holds it, and the new partial match holds that node alone.
        var node = _inlineNode = _buffer.AddNodeWithEvent(value, ts, id, stage, -1);
        _buffer.Lock(node);
        AddNext(target, node, ts, id, exclusive: true);
    }

    /// <summary>What a state does with the current event, when one of the short paths applies.</summary>
    private enum Move : byte
    {
        General,
        IgnoreToItself,
        TakeIntoVirtualFinal,

        /// <summary>The start state: no stage starts with the event.</summary>
        None,

        /// <summary>The start state: exactly one take edge starts a partial match in an ordinary state.</summary>
        StartPlain,
    }

    /// <summary>See <see cref="_shortCuts"/>.</summary>
    private struct ShortCut
    {
        public int Leaf;
        public Move OnFalse;
        public Move OnTrue;
        public int TargetOnFalse;
        public int TargetOnTrue;
        public int StageOnFalse;
        public int StageOnTrue;
    }

    /// <summary>Gets what the event does to partial matches waiting in <paramref name="state"/>, with the target and stage of the edge when it completes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Move Classify(int state, T value, out int target, out int stage)
    {
        ref readonly var cut = ref _shortCuts[state];
        if (cut.Leaf >= 0)
        {
            if (_conditions.Test(cut.Leaf, value, _context))
            {
                (target, stage) = (cut.TargetOnTrue, cut.StageOnTrue);
                return cut.OnTrue;
            }

            (target, stage) = (cut.TargetOnFalse, cut.StageOnFalse);
            return cut.OnFalse;
        }

        var move = Classify(state, value, out int edgeIndex);
        (target, stage) = TargetAndStage(edgeIndex);
        return move;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Move Classify(int state, T value, out int edgeIndex)
    {
        edgeIndex = -1;
        if (_dependsOnMatch[state])
        {
            return Move.General;
        }

        var (first, count) = EdgesFor(state, value);
        return MoveOf(state, first, count, out edgeIndex);
    }

    /// <summary>Gets the target state and source stage of the edge at <paramref name="edgeIndex"/> in the edge buffer, or (-1, -1) for none.</summary>
    private (int Target, int Stage) TargetAndStage(int edgeIndex)
    {
        if (edgeIndex < 0)
        {
            return (-1, -1);
        }

        ref readonly var edge = ref _allEdges[_edgeBuffer[edgeIndex]];
        return (edge.Target, edge.SourceStage);
    }

    /// <summary>The move of a (non-start) state given its edge set for an event.</summary>
    private Move MoveOf(int state, int first, int count, out int edgeIndex)
    {
        edgeIndex = -1;
        if (count != 1)
        {
            return Move.General;
        }

        ref readonly var edge = ref _allEdges[_edgeBuffer[first]];
        if (edge.Action == EdgeAction.Ignore)
        {
            return edge.Target == state ? Move.IgnoreToItself : Move.General;
        }

        edgeIndex = first;
        return edge.Action == EdgeAction.Take && _virtualFinal[edge.Target] ? Move.TakeIntoVirtualFinal : Move.General;
    }

    /// <summary>The move of the start state given its edge set for an event.</summary>
    private Move StartMoveOf(int first, int count, out int edgeIndex)
    {
        edgeIndex = -1;
        if (count == 0)
        {
            return Move.None;
        }

        ref readonly var edge = ref _allEdges[_edgeBuffer[first]];
        if (count != 1 || edge.Action != EdgeAction.Take || !_plainTarget[edge.Target])
        {
            return Move.General;
        }

        edgeIndex = first;
        return Move.StartPlain;
    }

    /// <summary>Builds <see cref="_shortCuts"/> from the memoized edge sets of states whose edges depend on one plain condition.</summary>
    private ShortCut[] BuildShortCuts()
    {
        var cuts = new ShortCut[_states.Length];
        for (var state = 0; state < cuts.Length; state++)
        {
            cuts[state].Leaf = -1;
            if (_dependsOnMatch[state] || _memoLeaves[state] is not { Length: 1 } leaves)
            {
                continue;
            }

            ref var cut = ref cuts[state];
            for (var outcome = 0; outcome < 2; outcome++)
            {
                var at = _memoOffset[state] + outcome;
                var (first, count) = (_memoFirst[at], _memoCount[at]);
                var move = state == _nfa.Start ? StartMoveOf(first, count, out var edgeIndex) : MoveOf(state, first, count, out edgeIndex);
                var (target, stage) = TargetAndStage(edgeIndex);
                if (outcome == 0)
                {
                    (cut.OnFalse, cut.TargetOnFalse, cut.StageOnFalse) = (move, target, stage);
                }
                else
                {
                    (cut.OnTrue, cut.TargetOnTrue, cut.StageOnTrue) = (move, target, stage);
                }
            }

            cut.Leaf = leaves[0];
        }

        return cuts;
    }
}
