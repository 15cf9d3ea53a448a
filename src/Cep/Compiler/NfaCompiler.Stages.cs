using Cep.Nfa;
using Cep.Patterns;
using Cep.Patterns.Conditions;

namespace Cep.Compiler;

/// <content>Element, loop, times and group construction.</content>
internal static partial class NfaCompiler
{
    private sealed partial class Builder<T>
    {
        /// <summary>
        /// A chain for a times or looping stage: <c>to - from</c> optional copies, <c>from - 1</c> mandatory copies
        /// (all with the inner contiguity), then the entry element with the outer contiguity.
        /// </summary>
        private StateBuilder<T> CreateTimes(Place place, StateBuilder<T> sink, StateBuilder<T> proceed, int from, int to)
        {
            var stage = place.Stage;
            var until = stage.Until;
            var take = ExtendWithUntil(stage.TakeCondition, until, isTake: true);
            var innerIgnore = ExtendWithUntil(InnerIgnore(stage), until, isTake: false);
            if (stage.Quantifier.Greedy && from != to)
            {
                if (until is not null)
                {
                    _originalOfGreedySink[sink] = CopyState(sink);
                }

                MakeGreedy(sink, take!);
            }

            var last = sink;
            for (var i = from; i < to; i++)
            {
                last = CreateElement(place with { HeadSkip = null }, last, proceed, innerIgnore, optional: true, firstOfLoop: false);
                AddStopStateToLooping(last, place);
            }

            for (var i = 0; i < from - 1; i++)
            {
                last = CreateElement(place with { HeadSkip = null }, last, null, innerIgnore, optional: false, firstOfLoop: false);
                AddStopStateToLooping(last, place);
            }

            return CreateElement(place, last, proceed, OuterIgnore(stage, place.Outer), stage.Quantifier.Optional, firstOfLoop: true);
        }

        /// <summary>One element: a single-event state, or one copy of a group.</summary>
        private StateBuilder<T> CreateElement(Place place, StateBuilder<T> sink, StateBuilder<T>? proceed, Condition<T>? ignore, bool optional, bool firstOfLoop)
        {
            var stage = place.Stage;
            if (stage.IsGroup)
            {
                return CreateGroup(stage, sink, proceed, optional, firstOfLoop, place.HeadSkip);
            }

            var take = ExtendWithUntil(stage.TakeCondition, stage.Until, isTake: true)!;
            var state = NewState(stage.Name, StateKind.Normal);

            // Once the element takes an event, NotFollowedBy constraints before an optional stage no longer apply.
            var takeTarget = CopyWithoutTransitiveNots(sink, place);
            state.AddTake(takeTarget, take);
            if (optional && proceed is not null)
            {
                AddSkipProceed(state, stage, proceed);
            }

            if (place.HeadSkip is { } headSkip)
            {
                state.AddProceed(headSkip, null);
            }

            if (ignore is not null)
            {
                StateBuilder<T> ignoreState;
                if (optional || place.HeadSkip is not null)
                {
                    // After skipping an event while waiting, the element must still be taken: no way to skip it any more.
                    ignoreState = NewState(stage.Name, StateKind.Normal);
                    ignoreState.AddTake(takeTarget, take);
                    ignoreState.AddIgnore(ignoreState, ignore);
                    AddStopStates(ignoreState, place);
                }
                else
                {
                    ignoreState = state;
                }

                state.AddIgnore(ignoreState, ignore);
            }

            return state;
        }

        private void AddSkipProceed(StateBuilder<T> state, Stage<T> stage, StateBuilder<T> proceed)
        {
            if (stage.Quantifier.Greedy && stage.Until is { } until)
            {
                if (_originalOfGreedySink.TryGetValue(proceed, out var original))
                {
                    state.AddProceed(original, until);
                }

                state.AddProceed(proceed, Condition<T>.Not(until));
            }
            else
            {
                state.AddProceed(proceed, null);
            }
        }

        /// <summary>The looping state of a OneOrMore / TimesOrMore stage, with its ignore state.</summary>
        private StateBuilder<T> CreateLooping(Place place, StateBuilder<T> sink)
        {
            var stage = place.Stage;
            var until = stage.Until;
            var take = ExtendWithUntil(stage.TakeCondition, until, isTake: true)!;
            var ignore = ExtendWithUntil(InnerIgnore(stage), until, isTake: false);
            var looping = NewState(stage.Name, StateKind.Normal);
            if (stage.Quantifier.Greedy)
            {
                if (until is not null)
                {
                    var copy = CopyState(sink);
                    looping.AddProceed(copy, until);
                    _originalOfGreedySink[sink] = copy;
                }

                looping.AddProceed(sink, until is null ? null : Condition<T>.Not(until));
                MakeGreedy(sink, stage.TakeCondition);
            }
            else
            {
                looping.AddProceed(sink, null);
            }

            looping.AddTake(looping, take);
            AddStopStateToLooping(looping, place);
            if (ignore is not null)
            {
                var ignoreState = NewState(stage.Name, StateKind.Normal);
                ignoreState.AddTake(looping, take);
                ignoreState.AddIgnore(ignoreState, ignore);
                looping.AddIgnore(ignoreState, ignore);
                AddStopStateToLooping(ignoreState, place);
            }

            return looping;
        }

        /// <summary>
        /// One copy of a group's states in front of <paramref name="sink"/>. <paramref name="outerHeadSkip"/> is where skipping
        /// an enclosing optional group leads when this group is that group's first stage; its head must offer that skip too.
        /// </summary>
        private StateBuilder<T> CreateGroup(
            Stage<T> group, StateBuilder<T> sink, StateBuilder<T>? proceed, bool optional, bool firstOfLoop, StateBuilder<T>? outerHeadSkip)
        {
            var headStrategy = firstOfLoop ? group.Strategy : group.Quantifier.Inner;
            var headSkip = optional ? proceed : outerHeadSkip;
            if (optional && proceed is not null && outerHeadSkip is not null && !ReferenceEquals(proceed, outerHeadSkip))
            {
                // Both this group and the enclosing one may be skipped: an epsilon state offers both ways.
                headSkip = NewState(group.Name, StateKind.Normal);
                headSkip.AddProceed(proceed, null);
                headSkip.AddProceed(outerHeadSkip, null);
            }

            var context = new SequenceContext<T>(group, headStrategy, headSkip);
            return CompileSequence(group.Group!.Stages, sink, context);
        }

        /// <summary>The repeating copy of a looping group: its last state leads back to its first, which can also leave.</summary>
        private StateBuilder<T> CreateLoopingGroup(Stage<T> group, StateBuilder<T> sink)
        {
            var loopBack = NewState(group.Name, StateKind.Normal);
            var context = new SequenceContext<T>(group, group.Quantifier.Inner, null);
            var first = CompileSequence(group.Group!.Stages, loopBack, context);
            first.AddProceed(sink, null);
            loopBack.AddProceed(first, null);
            return first;
        }

        private static Condition<T>? OuterIgnore(Stage<T> stage, ConsumingStrategy strategy) => IgnoreFor(stage, strategy);

        private static Condition<T>? InnerIgnore(Stage<T> stage) => IgnoreFor(stage, stage.Quantifier.Inner);

        private static Condition<T>? IgnoreFor(Stage<T> stage, ConsumingStrategy strategy) => strategy switch
        {
            ConsumingStrategy.Strict => null,
            ConsumingStrategy.SkipTillAny => TrueCondition<T>.Instance,
            _ => stage.IsGroup ? null : Condition<T>.Not(stage.TakeCondition),
        };

        private static Condition<T>? ExtendWithUntil(Condition<T>? condition, Condition<T>? until, bool isTake)
        {
            if (until is null)
            {
                return condition;
            }

            if (condition is not null)
            {
                return Condition<T>.And(Condition<T>.Not(until), condition);
            }

            return isTake ? Condition<T>.Not(until) : null;
        }

        /// <summary>Greedy: the following state may take or skip an event only if the loop could not take it.</summary>
        private static void MakeGreedy(StateBuilder<T> state, Condition<T> loopTake)
        {
            foreach (var edge in state.Edges)
            {
                edge.Condition = Condition<T>.And(edge.Condition, Condition<T>.Not(loopTake));
            }
        }

        private StateBuilder<T> CopyState(StateBuilder<T> state)
        {
            var copy = NewState(state.Name, state.Kind, state.NotStage);
            foreach (var edge in state.Edges)
            {
                var target = ReferenceEquals(edge.Target, state) ? copy : edge.Target;
                copy.Edges.Add(new EdgeBuilder<T>(edge.Action, target, edge.Condition));
            }

            return copy;
        }
    }
}
