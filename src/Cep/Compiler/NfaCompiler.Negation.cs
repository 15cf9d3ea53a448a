using Cep.Nfa;
using Cep.Patterns;
using Cep.Patterns.Conditions;

namespace Cep.Compiler;

/// <content>NotFollowedBy edges, stop states, and freezing the result.</content>
internal static partial class NfaCompiler
{
    private sealed partial class Builder<T>
    {
        /// <summary>The one stop state of a negated stage: reaching it kills the branch.</summary>
        private StateBuilder<T> StopState(Stage<T> notStage)
        {
            if (!_stopStates.TryGetValue(notStage.Name, out var stop))
            {
                stop = NewState(notStage.Name, StateKind.Stop, notStage.Name);
                stop.AddTake(stop, notStage.TakeCondition);
                _stopStates.Add(notStage.Name, stop);
            }

            return stop;
        }

        /// <summary>
        /// The NotFollowedBy stages that constrain the gap before this stage: walking back over optional stages and
        /// NotFollowedBy stages, every NotFollowedBy met.
        /// </summary>
        private static List<Stage<T>> NotsBefore(Place place)
        {
            var nots = new List<Stage<T>>();
            for (var j = place.Index - 1; j >= 0; j--)
            {
                var previous = place.Stages[j];
                if (previous.Strategy == ConsumingStrategy.NotFollow)
                {
                    nots.Add(previous);
                }
                else if (!previous.Quantifier.Optional)
                {
                    break;
                }
            }

            return nots;
        }

        private void AddStopStates(StateBuilder<T> state, Place place)
        {
            foreach (var not in NotsBefore(place))
            {
                state.AddProceed(StopState(not), not.TakeCondition);
            }
        }

        /// <summary>A looping stage directly followed by NotFollowedBy: a forbidden event also ends the loop's branch.</summary>
        private void AddStopStateToLooping(StateBuilder<T> state, Place place)
        {
            if (place.Following is { Strategy: ConsumingStrategy.NotFollow } not)
            {
                state.AddProceed(StopState(not), not.TakeCondition);
            }
        }

        /// <summary>
        /// For an optional stage after NotFollowedBy stages: a copy of <paramref name="sink"/> without their stop edges,
        /// used once the optional stage has taken an event (the constraint then only covered the gap before it).
        /// </summary>
        private StateBuilder<T> CopyWithoutTransitiveNots(StateBuilder<T> sink, Place place)
        {
            if (!place.Stage.Quantifier.Optional)
            {
                return sink;
            }

            var nots = NotsBefore(place);
            if (nots.Count == 0)
            {
                return sink;
            }

            var names = nots.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            return CopyWithout(sink, names, []);
        }

        private StateBuilder<T> CopyWithout(StateBuilder<T> state, HashSet<string> notNames, Dictionary<StateBuilder<T>, StateBuilder<T>> copies)
        {
            if (copies.TryGetValue(state, out var done))
            {
                return done;
            }

            var copy = NewState(state.Name, state.Kind, state.NotStage);
            copies.Add(state, copy);
            foreach (var edge in state.Edges)
            {
                if (edge.Action == EdgeAction.Proceed)
                {
                    if (edge.Target.Kind == StateKind.Stop)
                    {
                        if (!notNames.Contains(edge.Target.NotStage!))
                        {
                            copy.Edges.Add(new EdgeBuilder<T>(edge.Action, edge.Target, edge.Condition));
                        }
                    }
                    else
                    {
                        copy.Edges.Add(new EdgeBuilder<T>(edge.Action, CopyWithout(edge.Target, notNames, copies), edge.Condition));
                    }
                }
                else
                {
                    var target = ReferenceEquals(edge.Target, state) ? copy : edge.Target;
                    copy.Edges.Add(new EdgeBuilder<T>(edge.Action, target, edge.Condition));
                }
            }

            return copy;
        }

        private void CollectLocalWindows(Pattern<T> p)
        {
            foreach (var stage in p.Stages)
            {
                if (stage.IsGroup)
                {
                    CollectLocalWindows(stage.Group!);
                }
                else if (stage.LocalWindow is { } w)
                {
                    _localWindows[stage.Name] = w.BclCompatibleTicks;
                }
            }
        }

        private Nfa<T> Freeze(StateBuilder<T> start)
        {
            var stageNames = pattern.EventStageNames().ToArray();
            var stageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < stageNames.Length; i++)
            {
                stageIndex[stageNames[i]] = i;
            }

            var states = new NfaState<T>[_states.Count];
            foreach (var b in _states)
            {
                var stage = stageIndex.TryGetValue(b.Name, out var s) ? s : -1;
                var edges = b.Edges
                    .Select(e => new Edge<T>(e.Action, e.Target.Id, e.Condition is TrueCondition<T> ? null : e.Condition, stage))
                    .ToArray();
                _localWindows.TryGetValue(b.Name, out var local);
                var kind = b.Kind;
                states[b.Id] = new NfaState<T>(b.Id, b.Name, stage, kind, kind is StateKind.Stop or StateKind.Final ? 0 : local, edges);
            }

            return new Nfa<T>(states, start.Id, stageNames, windowTicks, pattern.SkipStrategy);
        }
    }
}
