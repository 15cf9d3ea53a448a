namespace Cep.Nfa;

/// <summary>
/// One partial match: the state it waits in, the shared-buffer node of the last event it took, and the times and
/// event id it started at. The implicit start state is never stored.
/// </summary>
internal struct ComputationState : IStartedMatch
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

    /// <summary>
    /// Writes the fields of a partial match straight into <paramref name="target"/>, one store each. Building the
    /// struct on the stack and copying it makes the JIT read it back with one wide load, which cannot be forwarded from
    /// the narrow stores that just wrote it and so waits until every earlier store, cache misses included, has landed.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Write(ref ComputationState target, int state, int node, long startTs, long prevTs, long startId)
    {
        target.State = state;
        target.Node = node;
        target.StartTs = startTs;
        target.PrevTs = prevTs;
        target.StartId = startId;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> field by field (see <see cref="Write"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref ComputationState target, in ComputationState source) =>
        Write(ref target, source.State, source.Node, source.StartTs, source.PrevTs, source.StartId);

    /// <inheritdoc/>
    readonly int IStartedMatch.Node => Node;

    /// <inheritdoc/>
    readonly long IStartedMatch.StartId => StartId;

    /// <inheritdoc/>
    public override readonly string ToString() => $"state {State} node {Node} start {StartTs}#{StartId} prev {PrevTs}";
}
