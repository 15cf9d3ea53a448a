using Cep.Nfa;
using Cep.Patterns;
using Cep.Patterns.Conditions;

namespace Cep.Compiler;

/// <summary>
/// Compiles a <see cref="Pattern{T}"/> into an immutable <see cref="Nfa{T}"/>. The pattern is walked backwards from the
/// final state; each stage becomes one or more states with take / ignore / proceed edges (FlinkCEP's construction).
/// </summary>
internal static partial class NfaCompiler
{
    /// <summary>Validates and compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="PatternException">The pattern breaks a rule; the message names the stage.</exception>
    public static Nfa<T> Compile<T>(Pattern<T> pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var window = PatternValidator.Validate(pattern);
        return new Builder<T>(pattern, window).Build();
    }

    /// <summary>Where a sequence being compiled sits: at the top, or inside a group stage.</summary>
    private sealed record SequenceContext<T>(
        Stage<T>? Group,
        ConsumingStrategy HeadStrategy,
        StateBuilder<T>? HeadSkipTarget);

    private sealed partial class Builder<T>(Pattern<T> pattern, long windowTicks)
    {
        private readonly List<StateBuilder<T>> _states = [];
        private readonly Dictionary<string, StateBuilder<T>> _stopStates = new(StringComparer.Ordinal);
        private readonly Dictionary<StateBuilder<T>, StateBuilder<T>> _originalOfGreedySink = [];
        private readonly Dictionary<string, long> _localWindows = new(StringComparer.Ordinal);

        public Nfa<T> Build()
        {
            CollectLocalWindows(pattern);
            var final = NewState("$endState$", StateKind.Final);
            var top = new SequenceContext<T>(null, ConsumingStrategy.SkipTillNext, null);
            var start = CompileSequence(pattern.Stages, final, top);
            start.Kind = StateKind.Start;
            return Freeze(start);
        }

        private StateBuilder<T> NewState(string name, StateKind kind, string? notStage = null)
        {
            var state = new StateBuilder<T>(_states.Count, name, kind) { NotStage = notStage };
            _states.Add(state);
            return state;
        }

        /// <summary>Compiles a list of stages in front of <paramref name="sink"/>; returns the entry state of the first stage.</summary>
        private StateBuilder<T> CompileSequence(IReadOnlyList<Stage<T>> stages, StateBuilder<T> sink, SequenceContext<T> context)
        {
            for (var i = stages.Count - 1; i >= 0; i--)
            {
                var stage = stages[i];
                switch (stage.Strategy)
                {
                    case ConsumingStrategy.NotFollow:
                        // In the middle a NotFollowedBy is not a state: the stages after it get edges to its stop state.
                        if (sink.Kind == StateKind.Final)
                        {
                            var pending = NewState(stage.Name, StateKind.Pending);
                            var not = stage.TakeCondition;
                            pending.AddProceed(StopState(stage), not);
                            pending.AddIgnore(pending, Condition<T>.Not(not));
                            sink = pending;
                        }

                        break;
                    case ConsumingStrategy.NotNext:
                        {
                            var state = NewState(stage.Name, StateKind.Normal);
                            var not = stage.TakeCondition;
                            if (sink.Kind == StateKind.Final)
                            {
                                // At the end the match waits for the next event, which must not satisfy the condition.
                                state.AddIgnore(sink, Condition<T>.Not(not));
                            }
                            else
                            {
                                state.AddProceed(sink, Condition<T>.Not(not));
                            }

                            state.AddProceed(StopState(stage), not);
                            sink = state;
                            break;
                        }

                    default:
                        sink = ConvertStage(stages, i, sink, context);
                        break;
                }
            }

            return sink;
        }

        private StateBuilder<T> ConvertStage(IReadOnlyList<Stage<T>> stages, int index, StateBuilder<T> sink, SequenceContext<T> context)
        {
            var stage = stages[index];
            var q = stage.Quantifier;
            var isHead = index == 0 && context.Group is not null;
            var outer = isHead ? context.HeadStrategy : stage.Strategy;
            var headSkip = isHead ? context.HeadSkipTarget : null;
            var place = new Place(stages, index, outer, headSkip);
            StateBuilder<T> entry;
            if (q.Kind == QuantifierKind.Looping)
            {
                var sinkWithoutNots = CopyWithoutTransitiveNots(sink, place);
                var looping = stage.IsGroup ? CreateLoopingGroup(stage, sinkWithoutNots) : CreateLooping(place, sinkWithoutNots);
                entry = CreateTimes(place, looping, sink, q.From, q.From);
            }
            else if (q.Kind == QuantifierKind.Times)
            {
                entry = CreateTimes(place, sink, sink, q.From, q.To);
            }
            else
            {
                entry = CreateElement(place, sink, sink, OuterIgnore(stage, outer), q.Optional, firstOfLoop: true);
            }

            AddStopStates(entry, place);
            return entry;
        }

        /// <summary>A stage and where it sits in its sequence.</summary>
        private readonly record struct Place(IReadOnlyList<Stage<T>> Stages, int Index, ConsumingStrategy Outer, StateBuilder<T>? HeadSkip)
        {
            public Stage<T> Stage => Stages[Index];

            public Stage<T>? Following => Index + 1 < Stages.Count ? Stages[Index + 1] : null;
        }
    }
}
