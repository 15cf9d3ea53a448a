namespace Cep.Nfa;

/// <summary>
/// One partial match: the state it waits in, the shared-buffer node of the last event it took, and the times and
/// event id it started at. The implicit start state is never stored.
/// </summary>
internal struct ComputationState
{
    /// <summary>The automaton state it waits in.</summary>
    public int State;

    /// <summary>The shared-buffer node of the last event taken; every stored partial match has one.</summary>
    public int Node;

    /// <summary>The timestamp (ticks) of the first event.</summary>
    public long StartTs;

    /// <summary>The timestamp (ticks) of the last event taken.</summary>
    public long PrevTs;

    /// <summary>The processing-order id of the first event; orders partial matches for skip strategies.</summary>
    public long StartId;

    public ComputationState(int state, int node, long startTs, long prevTs, long startId)
    {
        State = state;
        Node = node;
        StartTs = startTs;
        PrevTs = prevTs;
        StartId = startId;
    }

    /// <inheritdoc/>
    public override readonly string ToString() => $"state {State} node {Node} start {StartTs}#{StartId} prev {PrevTs}";
}
