using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <content>
/// The scratch lists of one <see cref="Process"/> call: the branches of one step, the partial matches that go on, and
/// the matches it completes. Entries are written field by field (see <see cref="ComputationState.Write"/>).
/// </content>
internal sealed partial class NfaRuntime<TKey, T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddResultInherited(in ComputationState cs)
    {
        if (_resultCount == _results.Length)
        {
            GrowResults();
        }

        _resultLeafStage[_resultCount] = -1;
        ComputationState.Copy(ref _results[_resultCount++], cs);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddResult(in ComputationState cs)
    {
        _buffer.Lock(cs.Node);
        AddResultInherited(cs);
    }

    private void GrowResults()
    {
        Array.Resize(ref _results, _results.Length * 2);
        Array.Resize(ref _resultLeafStage, _results.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddNext(in ComputationState cs) => AddNext(cs.State, cs.Node, cs.StartTs, cs.StartId);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddNext(in PartialMatch cs) => AddNext(cs.State, cs.Node, cs.StartTs, cs.StartId, cs.Exclusive);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddNext(int state, int node, long startTs, long startId, bool exclusive = false)
    {
        if (_nextCount == _next.Length)
        {
            Array.Resize(ref _next, _next.Length * 2);
        }

        PartialMatch.Write(ref _next[_nextCount++], state, node, startTs, startId, exclusive);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddPotential(in ComputationState cs, int leafStage) =>
        AddPotential(cs.State, cs.Node, cs.StartTs, cs.PrevTs, cs.StartId, leafStage);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddPotential(int state, int node, long startTs, long prevTs, long startId, int leafStage, bool exclusive = false)
    {
        if (_potentialCount == _potential.Length)
        {
            Array.Resize(ref _potential, _potential.Length * 2);
            Array.Resize(ref _potentialLeafStage, _potential.Length);
            Array.Resize(ref _potentialExclusive, _potential.Length);
        }

        _potentialLeafStage[_potentialCount] = leafStage;
        _potentialExclusive[_potentialCount] = exclusive;
        ComputationState.Write(ref _potential[_potentialCount++], state, node, startTs, prevTs, startId);
    }
}
