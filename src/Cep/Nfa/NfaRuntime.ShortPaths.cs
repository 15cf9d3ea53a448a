using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <content>
/// The short paths of <see cref="Process"/> for what most events do to most partial matches: skip them, complete them
/// straight into a final state, or start one new partial match. Each gives exactly what the general step would.
/// </content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>
    /// Feeds the event to the start state. The usual outcomes take a short path: no stage starts with the event, or
    /// exactly one take edge starts a partial match in an ordinary state.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StepStart(T value, long ts, long id, ref int eventSlot)
    {
        var start = _nfa.Start;
        if (_dependsOnMatch[start])
        {
            Step(default, -1, value, ts, id, ref eventSlot);
            return;
        }

        var (first, count) = EdgesFor(start, value);
        if (count == 0)
        {
            return;
        }

        ref readonly var edge = ref _allEdges[_edgeBuffer[first]];
        if (count != 1 || !_plainTarget[edge.Target] || eventSlot >= 0 || _inlineNode >= 0)
        {
            Step(default, -1, value, ts, id, ref eventSlot);
            return;
        }

        var taken = _inlineNode = _buffer.AddNodeWithEvent(value, ts, id, edge.SourceStage, -1);
        _buffer.Lock(taken);
        AddNext(edge.Target, taken, ts, id);
    }

    /// <summary>What a state does with the current event, when one of the short paths of <see cref="Process"/> applies.</summary>
    private enum Move : byte
    {
        General,
        IgnoreToItself,
        TakeIntoVirtualFinal,
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
}
