using System.Runtime.CompilerServices;

namespace Cep.Nfa;

/// <summary>
/// A partial match as a key stores it: the state it waits in, the shared-buffer node of the last event it took, and
/// the time and event id it started at. The time of the last event taken is that node's event time, so it is not
/// stored; only local (previous-to-current) windows read it. Three quarters of a <see cref="ComputationState"/>, so a
/// key's partial matches take fewer cache lines and pages.
/// </summary>
/// <remarks>
/// A partial match that started with one event and holds the only reference to that event's node (see
/// <see cref="Exclusive"/>) is marked, so that completing it frees the node without reading it first.
/// </remarks>
internal struct PartialMatch : IStartedMatch
{
    /// <summary>The automaton state it waits in.</summary>
    public int State;

    /// <summary>The shared-buffer node of the last event taken.</summary>
    public int Node;

    /// <summary>The timestamp (ticks) of the first event.</summary>
    public long StartTs;

    // The processing-order id of the first event (never negative), with Exclusive in the sign bit.
    private long _startId;

    /// <summary>Gets the processing-order id of the first event; orders partial matches for skip strategies.</summary>
    public readonly long StartId => _startId & long.MaxValue;

    /// <summary>
    /// Gets whether the partial match holds the only reference to its node, which has no parent and holds its event
    /// itself: what the start of a partial match by one event creates, until anything else takes a reference.
    /// </summary>
    public readonly bool Exclusive => _startId < 0;

    /// <inheritdoc/>
    readonly int IStartedMatch.Node => Node;

    /// <inheritdoc/>
    readonly long IStartedMatch.StartId => StartId;

    /// <summary>Writes the fields straight into <paramref name="target"/>, one store each (see <see cref="ComputationState.Write"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(ref PartialMatch target, int state, int node, long startTs, long startId, bool exclusive = false)
    {
        target.State = state;
        target.Node = node;
        target.StartTs = startTs;
        target._startId = exclusive ? startId | long.MinValue : startId;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> field by field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref PartialMatch target, in PartialMatch source) =>
        Write(ref target, source.State, source.Node, source.StartTs, source.StartId, source.Exclusive);

    /// <summary>Gets it as a <see cref="ComputationState"/>, with <paramref name="prevTs"/> as the time of its last event.</summary>
    public readonly ComputationState Widen(long prevTs) => new(State, Node, StartTs, prevTs, StartId);

    /// <inheritdoc/>
    public override readonly string ToString() => $"state {State} node {Node}{(Exclusive ? " (exclusive)" : "")} start {StartTs}#{StartId}";
}

/// <summary>What pruning by a skip strategy reads of a partial or completed match.</summary>
internal interface IStartedMatch
{
    /// <summary>Gets the shared-buffer node of the last event taken.</summary>
    int Node { get; }

    /// <summary>Gets the processing-order id of the first event.</summary>
    long StartId { get; }
}
