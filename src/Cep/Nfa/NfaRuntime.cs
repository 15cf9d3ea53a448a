using System.Runtime.CompilerServices;
using Cep.Operators;

namespace Cep.Nfa;

/// <summary>Receives what the runtime produces for one key.</summary>
internal interface IRuntimeSink<TKey, T>
{
    void OnMatch(KeyState<TKey> key, MatchView<T> match);

    void OnTimeout(KeyState<TKey> key, MatchView<T> partialMatch, long timedOutAtTicks);
}

/// <summary>
/// Runs a compiled <see cref="Nfa{T}"/> over the events of one key at a time: feeds an event to every partial match
/// (<see cref="Process"/>), and discards partial matches whose window has passed (<see cref="Advance"/>).
/// One runtime serves all keys of an operator; per-key progress lives in <see cref="KeyState{TKey}"/>.
/// </summary>
/// <remarks>Not thread-safe. Allocates nothing in the steady state unless conditions are iterative.</remarks>
internal sealed partial class NfaRuntime<TKey, T>
{
    private readonly Nfa<T> _nfa;
    private readonly NfaState<T>[] _states;
    private readonly SharedBuffer.SharedBuffer<T> _buffer;
    private readonly PartialArrayPool _partialPool = new();
    private readonly IRuntimeSink<TKey, T> _sink;
    private readonly MatchView<T> _view;
    private readonly RunContext<T> _context;
    private readonly ConditionTable<T> _conditions;
    private readonly int[][] _edgeConditions;
    private readonly int[] _visited;
    private int _epoch;
    private int[] _stack;
    private readonly bool[] _dependsOnMatch;
    private readonly int[] _edgeStamp;
    private readonly int[] _edgeFirst;
    private readonly int[] _edgeCount;
    private readonly int[] _finalStamp;
    private readonly int[] _finalValue;
    private int _eventStamp;
    private int _inlineNode; // the node of the current event that holds the event itself, or -1
    private int[] _edgeBuffer = new int[32]; // ids in _allEdges: plain ints, so that filling it needs no write barrier
    private readonly Edge<T>[] _allEdges; // every state's edges, state after state
    private readonly int[] _edgeBase; // per state: the id of its first edge in _allEdges
    private int _edgeFill;
    private int[] _inheritedAt = new int[8]; // the event stamp at which partial match i handed its reference on
    private ComputationState[] _results = new ComputationState[8];
    private int _resultCount;
    private PartialMatch[] _next = new PartialMatch[8];
    private int _nextCount;
    private ComputationState[] _potential = new ComputationState[8];
    private int[] _potentialLeafStage = new int[8]; // per potential match: the stage of its virtual leaf, or -1
    private bool[] _potentialExclusive = new bool[8]; // per potential match: whether it holds its node alone (see PartialMatch.Exclusive)
    private int _potentialCount;

    public NfaRuntime(Nfa<T> nfa, SharedBuffer.SharedBuffer<T> buffer, IRuntimeSink<TKey, T> sink)
    {
        _nfa = nfa;
        _states = nfa.States;
        _buffer = buffer;
        _sink = sink;
        _view = new MatchView<T>(nfa.StageNames);
        _context = new RunContext<T>(buffer, nfa.StageNames);
        _conditions = new ConditionTable<T>(nfa.States);
        _allEdges = [.. _states.SelectMany(state => state.Edges)];
        _edgeBase = new int[_states.Length];
        for (var i = 1; i < _states.Length; i++)
        {
            _edgeBase[i] = _edgeBase[i - 1] + _states[i - 1].Edges.Length;
        }

        _edgeConditions = _conditions.EdgeIndexes;
        _visited = new int[_states.Length];
        _stack = new int[_states.Length + 1];
        _dependsOnMatch = nfa.ClosureDependsOnMatch;
        _edgeStamp = new int[_states.Length];
        _edgeFirst = new int[_states.Length];
        _edgeCount = new int[_states.Length];
        _finalStamp = new int[_states.Length];
        _finalValue = new int[_states.Length];
        _resultLeafStage = new int[_results.Length];
        _virtualFinal = VirtualFinalStates(nfa);
        _hasProceed = Array.ConvertAll(_states, state => state.Edges.Any(edge => edge.Action == EdgeAction.Proceed));
        _plainTarget = Array.ConvertAll(_states, state => state.Kind == StateKind.Normal && !_hasProceed[state.Id] && !_virtualFinal[state.Id]);
        BuildEdgeMemo();
        _shortCuts = BuildShortCuts();
    }

    /// <summary>Gets the number of partial matches alive over all keys.</summary>
    public long PartialMatches { get; private set; }

    /// <summary>Gets the compiled automaton.</summary>
    public Nfa<T> Nfa => _nfa;

    /// <summary>Gets the arrays that the partial matches of keys spill to.</summary>
    public PartialArrayPool PartialPool => _partialPool;

    /// <summary>Gets the shared buffer.</summary>
    public SharedBuffer.SharedBuffer<T> Buffer => _buffer;

    /// <summary>
    /// Feeds one event to every partial match of <paramref name="key"/> and to the start state, then emits the matches
    /// it completes. If a condition throws, the key's state is left exactly as before and the exception is returned.
    /// </summary>
    /// <returns>Null on success; the exception a condition threw otherwise.</returns>
    public Exception? Process(KeyState<TKey> key, T value, long ts, long id)
    {
        if (++_eventStamp == int.MaxValue)
        {
            ResetStamps();
        }

        _conditions.NextEvent();

        _edgeFill = _memoEdges;
        _inlineNode = -1;
        _nextCount = 0;
        _potentialCount = 0;
        _resultCount = 0;
        var count = key.PartialCount;
        if (_inheritedAt.Length < count)
        {
            _inheritedAt = new int[Math.Max(count, _inheritedAt.Length * 2)];
        }

        var eventSlot = -1;
        var kept = 0; // leading partial matches that the event leaves as they are, in place
        try
        {
            // Partial matches mostly wait in a few states; what a state does with the event is asked once per run of it.
            var lastState = -1;
            var lastMove = Move.General;
            var finalTarget = 0;
            var finalStage = 0;
            var partial = key.Partial;
            var i0 = 0;
            if (count > 0 && key.UniformState >= 0)
            {
                lastState = key.UniformState;
                lastMove = Classify(lastState, value, out finalTarget, out finalStage);
                if (lastMove == Move.IgnoreToItself)
                {
                    kept = i0 = count; // every partial match skips the event and stays: none needs to be read
                }
            }

            for (var i = i0; i < count; i++)
            {
                ref readonly var cs = ref partial[i];
                if (cs.State != lastState)
                {
                    lastState = cs.State;
                    lastMove = Classify(lastState, value, out finalTarget, out finalStage);
                }

                if (lastMove == Move.IgnoreToItself)
                {
                    // The partial match skips this event and stays where it is.
                    if (i == kept)
                    {
                        kept++;
                        continue;
                    }

                    _inheritedAt[i] = _eventStamp;
                    AddNext(cs);
                    continue;
                }

                if (lastMove == Move.TakeIntoVirtualFinal)
                {
                    // The event completes the match and nothing else: the match inherits the partial match's node,
                    // with the event as its virtual leaf (what Step does, without its general bookkeeping).
                    _leafValue = value;
                    _inheritedAt[i] = _eventStamp;
                    AddPotential(finalTarget, cs.Node, cs.StartTs, ts, cs.StartId, finalStage, cs.Exclusive);
                    continue;
                }

                Step(in cs, i, value, ts, id, ref eventSlot);
            }

            StepStart(value, ts, id, ref eventSlot);
        }
        catch (Exception error)
        {
            Rollback(key);
            if (eventSlot >= 0)
            {
                _buffer.ReleaseEvent(eventSlot);
            }

            return error;
        }

        if (eventSlot >= 0)
        {
            _buffer.ReleaseEvent(eventSlot);
        }

        // Commit: the old partial matches hand their references over to the new ones.
        for (var i = kept; i < count; i++)
        {
            if (_inheritedAt[i] != _eventStamp)
            {
                _buffer.Release(key.Partial[i].Node);
            }
        }

        var total = kept + _nextCount;
        PartialMatches += total - count;
        key.EnsurePartialCapacity(total, _partialPool);
        var partials = key.Partial;
        var uniform = kept > 0 ? key.UniformState : _nextCount > 0 ? _next[0].State : -1;
        for (var i = 0; i < _nextCount; i++)
        {
            ref readonly var next = ref _next[i];
            uniform = next.State == uniform ? uniform : -1;
            PartialMatch.Copy(ref partials[kept + i], in next);
        }

        key.UniformState = uniform;

        key.PartialCount = total;
        key.CompactPartials(_partialPool);
        _nextCount = 0;
        if (ts > key.CurrentTime)
        {
            key.CurrentTime = ts;
        }

        EmitPotentialMatches(key);
        return null;
    }

    /// <summary>
    /// Moves <paramref name="key"/> to time <paramref name="ticks"/>: partial matches whose window has passed become
    /// timeouts (or, for a trailing NotFollowedBy, matches). At <see cref="long.MaxValue"/>, the end of input, every
    /// partial match ends so, since none can complete any more; those without a window time out at the end of time.
    /// </summary>
    public void Advance(KeyState<TKey> key, long ticks)
    {
        if (ticks > key.CurrentTime)
        {
            key.CurrentTime = ticks;
        }

        var window = _nfa.WindowTicks;
        var endOfInput = ticks == long.MaxValue;
        if (window == 0 && !_nfa.HasLocalWindows && !endOfInput)
        {
            return;
        }

        _potentialCount = 0;
        var kept = 0;
        var uniform = -2; // none kept yet
        for (var i = 0; i < key.PartialCount; i++)
        {
            var cs = key.Partial[i];
            var state = _states[cs.State];
            var local = state.LocalWindowTicks;
            var prevTs = local > 0 ? _buffer.NodeTimestamp(cs.Node) : long.MinValue; // read only for a local window
            var byPrevious = local > 0 && ticks - local >= prevTs;
            var byFirst = window > 0 && ticks - window >= cs.StartTs;
            if (!byPrevious && !byFirst && !endOfInput)
            {
                uniform = uniform == -2 || uniform == cs.State ? cs.State : -1;
                key.Partial[kept++] = cs;
                continue;
            }

            PartialMatches--;
            if (state.Kind == StateKind.Pending)
            {
                AddPotential(cs.State, cs.Node, cs.StartTs, _buffer.NodeTimestamp(cs.Node), cs.StartId, -1);
                continue;
            }

            _view.Fill(_buffer, cs.Node);
            try
            {
                _sink.OnTimeout(key, _view, byPrevious ? prevTs + local : byFirst ? cs.StartTs + window : long.MaxValue);
            }
            finally
            {
                _view.Clear();
                _buffer.Release(cs.Node);
            }
        }

        key.PartialCount = kept;
        key.UniformState = uniform >= 0 ? uniform : -1; // every partial match was read, so a mixed key may be uniform again
        key.CompactPartials(_partialPool);
        EmitPotentialMatches(key);
    }

    /// <summary>Gets the earliest time (ticks) at which a partial match of <paramref name="key"/> can time out, or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline(KeyState<TKey> key)
    {
        var window = _nfa.WindowTicks;
        var min = long.MaxValue;
        for (var i = 0; i < key.PartialCount; i++)
        {
            ref readonly var cs = ref key.Partial[i];
            if (window > 0)
            {
                min = Math.Min(min, cs.StartTs + window);
            }

            var local = _states[cs.State].LocalWindowTicks;
            if (local > 0)
            {
                min = Math.Min(min, _buffer.NodeTimestamp(cs.Node) + local);
            }
        }

        return min;
    }

    /// <summary>
    /// Computes the states that partial match <paramref name="index"/> (or the start state, for -1) moves to on one event.
    /// The first branch that keeps the partial match's node inherits its reference instead of taking a new one.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Step(in PartialMatch cs, int index, T value, long ts, long id, ref int eventSlot)
    {
        _resultCount = 0;
        var isStart = index < 0;
        var from = isStart ? _nfa.Start : cs.State;
        var node = isStart ? -1 : cs.Node;
        _context.Set(node, ts);
        var (first, edgeCount) = EdgesFor(from, value);
        var edgeIds = _edgeBuffer;

        for (var e = first; e < first + edgeCount; e++)
        {
            ref readonly var edge = ref _allEdges[edgeIds[e]];
            if (edge.Action == EdgeAction.Ignore)
            {
                if (!isStart)
                {
                    var ignored = new ComputationState(edge.Target, node, cs.StartTs, _buffer.NodeTimestamp(node), cs.StartId);
                    if (_inheritedAt[index] != _eventStamp)
                    {
                        _inheritedAt[index] = _eventStamp;
                        AddResultInherited(ignored);
                    }
                    else
                    {
                        AddResult(ignored);
                    }
                }

                continue;
            }

            // Take.
            var startTs = isStart ? ts : cs.StartTs;
            var startId = isStart ? id : cs.StartId;
            if (_virtualFinal[edge.Target])
            {
                // Straight into the final state: the match keeps the partial match's node and the event as a virtual leaf.
                _leafValue = value;
                var completed = new ComputationState(edge.Target, node, startTs, ts, startId);
                if (!isStart && _inheritedAt[index] != _eventStamp)
                {
                    _inheritedAt[index] = _eventStamp;
                    AddResultInherited(completed);
                }
                else
                {
                    AddResult(completed);
                }

                _resultLeafStage[_resultCount - 1] = edge.SourceStage;
                continue;
            }

            int taken;
            if (eventSlot < 0 && _inlineNode < 0)
            {
                // The first node to take the event holds it itself.
                taken = _inlineNode = _buffer.AddNodeWithEvent(value, ts, id, edge.SourceStage, node);
            }
            else
            {
                if (eventSlot < 0)
                {
                    // A second node takes the event: it moves to an event slot that both share.
                    eventSlot = _buffer.AddEvent(value, ts, id);
                    _buffer.ShareEvent(_inlineNode, eventSlot);
                }

                taken = _buffer.AddNode(eventSlot, edge.SourceStage, node);
            }

            AddResult(new ComputationState(edge.Target, taken, startTs, ts, startId));
            var final = FinalAfterProceed(edge.Target, value);
            if (final >= 0)
            {
                AddResult(new ComputationState(final, taken, startTs, ts, startId));
            }
        }

        // A stop state reached from this partial match discards every branch it produced with this event.
        var discard = false;
        for (var r = 0; r < _resultCount; r++)
        {
            if (_states[_results[r].State].Kind == StateKind.Stop)
            {
                discard = true;
                break;
            }
        }

        for (var r = 0; r < _resultCount; r++)
        {
            ref readonly var result = ref _results[r];
            var kind = _states[result.State].Kind;
            if (kind == StateKind.Final)
            {
                AddPotential(result, _resultLeafStage[r]);
            }
            else if (kind == StateKind.Stop || discard)
            {
                _buffer.Release(result.Node);
            }
            else
            {
                AddNext(result);
            }
        }

        _resultCount = 0;
    }

    /// <summary>Undoes a step that failed: releases every new branch and gives inherited references back to their partial matches.</summary>
    private void Rollback(KeyState<TKey> key)
    {
        // Give inherited references back first, so releasing the new branches cannot free a node still in use.
        for (var i = 0; i < key.PartialCount; i++)
        {
            if (_inheritedAt[i] == _eventStamp)
            {
                _buffer.Lock(key.Partial[i].Node);
            }
        }

        for (var i = 0; i < _resultCount; i++)
        {
            _buffer.Release(_results[i].Node);
        }

        for (var i = 0; i < _nextCount; i++)
        {
            _buffer.Release(_next[i].Node);
        }

        for (var i = 0; i < _potentialCount; i++)
        {
            _buffer.Release(_potential[i].Node);
        }

        _resultCount = _nextCount = _potentialCount = 0;
    }
}
