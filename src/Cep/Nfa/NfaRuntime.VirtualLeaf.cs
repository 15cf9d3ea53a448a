using Cep.Patterns;

namespace Cep.Nfa;

/// <content>
/// Matches completed by taking an event straight into the final state. Without a skip strategy such a match is
/// emitted by the same step that completes it, so its last event need not enter the shared buffer: the match holds
/// the node of the partial match it extends, and the event, which is the current one, is its virtual leaf.
/// </content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>Per state: whether a take edge into it completes a match with a virtual leaf.</summary>
    private readonly bool[] _virtualFinal;

    /// <summary>Per state: whether it has a proceed edge, without which no final state is reached from it without a take.</summary>
    private readonly bool[] _hasProceed;

    /// <summary>Per state: an ordinary state without proceed edges, which a take edge enters without further steps.</summary>
    private readonly bool[] _plainTarget;

    /// <summary>Per step result: the stage of its virtual leaf, or -1 when its node is its last event.</summary>
    private int[] _resultLeafStage;

    /// <summary>The event of the virtual leaves of the current step.</summary>
    private T _leafValue = default!;

    /// <summary>
    /// Final states without outgoing edges, when matches are emitted as soon as they complete (no skip strategy):
    /// then nothing but the emission reads the last node of a match, and it can read the event directly.
    /// </summary>
    private static bool[] VirtualFinalStates(Nfa<T> nfa)
    {
        var result = new bool[nfa.States.Length];
        if (nfa.Skip.Kind != SkipKind.NoSkip)
        {
            return result;
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = nfa.States[i].Kind == StateKind.Final && nfa.States[i].Edges.Length == 0;
        }

        return result;
    }
}
