using Cep.Patterns.Conditions;

namespace Cep.Nfa;

/// <summary>The role of a state in the compiled automaton.</summary>
internal enum StateKind
{
    /// <summary>The state every new partial match starts in; it never ignores events and never times out.</summary>
    Start,

    /// <summary>An ordinary state.</summary>
    Normal,

    /// <summary>Reaching it completes a match.</summary>
    Final,

    /// <summary>Reaching it discards the partial match and every branch created from it by the same event.</summary>
    Stop,

    /// <summary>A trailing NotFollowedBy waiting for its window to expire; expiry completes the match.</summary>
    Pending,
}

/// <summary>What an edge does with the current event.</summary>
internal enum EdgeAction
{
    /// <summary>Consume the event, store it under the source state's stage, and move.</summary>
    Take,

    /// <summary>Skip the event and move (possibly to the same state).</summary>
    Ignore,

    /// <summary>Move without consuming, and look at the same event again from the target (an epsilon edge).</summary>
    Proceed,
}

/// <summary>One edge of the compiled automaton.</summary>
/// <param name="Action">What the edge does.</param>
/// <param name="Target">The index of the target state.</param>
/// <param name="Condition">The condition on the event; null means always.</param>
/// <param name="SourceStage">For a take edge, the stage the event is stored under.</param>
internal readonly record struct Edge<T>(EdgeAction Action, int Target, Condition<T>? Condition, int SourceStage);

/// <summary>One state of the compiled automaton.</summary>
internal sealed class NfaState<T>
{
    public NfaState(int id, string name, int stage, StateKind kind, long localWindowTicks, Edge<T>[] edges)
    {
        Id = id;
        Name = name;
        Stage = stage;
        Kind = kind;
        LocalWindowTicks = localWindowTicks;
        Edges = edges;
    }

    /// <summary>Gets the index of the state in <see cref="Nfa{T}.States"/>.</summary>
    public int Id { get; }

    /// <summary>Gets the name of the stage the state belongs to.</summary>
    public string Name { get; }

    /// <summary>Gets the index of the stage in <see cref="Nfa{T}.StageNames"/>, or -1 for the final state.</summary>
    public int Stage { get; }

    /// <summary>Gets the role of the state.</summary>
    public StateKind Kind { get; }

    /// <summary>Gets the previous-to-current window of the state in ticks, or 0 if none.</summary>
    public long LocalWindowTicks { get; }

    /// <summary>Gets the outgoing edges.</summary>
    public Edge<T>[] Edges { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Id}:{Name}({Kind})";
}

/// <summary>
/// A compiled pattern: an immutable automaton of states with take, ignore and proceed edges. It holds no per-key
/// progress; that lives in the operator's per-key state and the shared buffer.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class Nfa<T>
{
    public Nfa(NfaState<T>[] states, int start, string[] stageNames, long windowTicks, Patterns.AfterMatchSkipStrategy skip)
    {
        States = states;
        Start = start;
        StageNames = stageNames;
        WindowTicks = windowTicks;
        Skip = skip;
        HasLocalWindows = states.Any(s => s.LocalWindowTicks > 0);
        ClosureDependsOnMatch = states.Select(s => ReadsPartialMatch(states, s.Id)).ToArray();
        SkipTargetStage = skip.TargetStage is null ? -1 : Array.IndexOf(stageNames, skip.TargetStage);
    }

    /// <summary>Gets every state; a state's index is its <see cref="NfaState{T}.Id"/>.</summary>
    public NfaState<T>[] States { get; }

    /// <summary>Gets the index of the start state.</summary>
    public int Start { get; }

    /// <summary>Gets the names of the stages that take events, in pattern order; a match lists its stages in this order.</summary>
    public string[] StageNames { get; }

    /// <summary>Gets the first-to-last window in ticks, or 0 if none.</summary>
    public long WindowTicks { get; }

    /// <summary>Gets the after-match skip strategy.</summary>
    public Patterns.AfterMatchSkipStrategy Skip { get; }

    /// <summary>Gets the stage index of the skip strategy's target, or -1.</summary>
    public int SkipTargetStage { get; }

    /// <summary>Gets whether any state has a previous-to-current window.</summary>
    public bool HasLocalWindows { get; }

    /// <summary>
    /// Gets, per state, whether any condition reachable from it through proceed edges is iterative. When not, the
    /// edges a state offers for an event depend on the event alone, so the runtime computes them once per event.
    /// </summary>
    public bool[] ClosureDependsOnMatch { get; }

    private static bool ReadsPartialMatch(NfaState<T>[] states, int from)
    {
        var seen = new HashSet<int> { from };
        var pending = new Stack<int>();
        pending.Push(from);
        while (pending.Count > 0)
        {
            foreach (var edge in states[pending.Pop()].Edges)
            {
                if (edge.Condition is { IsIterative: true })
                {
                    return true;
                }

                if (edge.Action == EdgeAction.Proceed && seen.Add(edge.Target))
                {
                    pending.Push(edge.Target);
                }
            }
        }

        return false;
    }
}
