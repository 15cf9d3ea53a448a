using Cep.Patterns.Conditions;

namespace Cep.Patterns;

/// <content>Methods that set the conditions of the last stage.</content>
public sealed partial class Pattern<T>
{
    /// <summary>Adds a condition on the event to the last stage, combined with AND with any condition it already has.</summary>
    /// <param name="predicate">The condition; it must not throw for ordinary input (an exception sends the event to the dead-letter output).</param>
    /// <returns>The pattern with the condition added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is a group.</exception>
    public Pattern<T> Where(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithCondition(new SimpleCondition<T>(predicate), and: true, "Where");
    }

    /// <summary>
    /// Adds an iterative condition to the last stage (AND): it also sees, through the context, the events that the same
    /// partial match has already accepted for any stage.
    /// </summary>
    /// <param name="predicate">The condition.</param>
    /// <returns>The pattern with the condition added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is a group.</exception>
    public Pattern<T> Where(Func<T, IConditionContext<T>, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithCondition(new IterativeCondition<T>(predicate), and: true, "Where");
    }

    /// <summary>Adds an alternative condition to the last stage: it is combined with OR with the conditions it already has.</summary>
    /// <param name="predicate">The alternative condition.</param>
    /// <returns>The pattern with the condition added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is a group.</exception>
    public Pattern<T> Or(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithCondition(new SimpleCondition<T>(predicate), and: false, "Or");
    }

    /// <summary>Adds an alternative iterative condition to the last stage (OR).</summary>
    /// <param name="predicate">The alternative condition.</param>
    /// <returns>The pattern with the condition added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is a group.</exception>
    public Pattern<T> Or(Func<T, IConditionContext<T>, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithCondition(new IterativeCondition<T>(predicate), and: false, "Or");
    }

    /// <summary>Requires events of the last stage to be of type <typeparamref name="TSub"/> (AND).</summary>
    /// <typeparam name="TSub">The required subtype.</typeparam>
    /// <returns>The pattern with the type check added.</returns>
    /// <exception cref="PatternException">The last stage is a group.</exception>
    public Pattern<T> Subtype<TSub>()
        where TSub : T => WithCondition(SubtypeCondition<T, TSub>.Instance, and: true, "Subtype");

    /// <summary>
    /// Sets the stop condition of the last stage, which must be looping: once an event satisfies it, the loop can neither
    /// take nor skip that event, so the partial match must leave the loop (the event may be taken by the next stage).
    /// </summary>
    /// <param name="predicate">The stop condition.</param>
    /// <returns>The pattern with the stop condition set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is not looping, or already has a stop condition.</exception>
    public Pattern<T> Until(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithUntil(new SimpleCondition<T>(predicate));
    }

    /// <summary>Sets an iterative stop condition on the last stage, which must be looping.</summary>
    /// <param name="predicate">The stop condition.</param>
    /// <returns>The pattern with the stop condition set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="PatternException">The last stage is not looping, or already has a stop condition.</exception>
    public Pattern<T> Until(Func<T, IConditionContext<T>, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WithUntil(new IterativeCondition<T>(predicate));
    }

    private Pattern<T> WithCondition(Condition<T> condition, bool and, string method)
    {
        var last = Last;
        if (last.IsGroup)
        {
            throw new PatternException(last.Name, $"{method}() does not apply to a group; put conditions on the group's stages.");
        }

        var combined = and ? Condition<T>.And(last.Condition, condition) : Condition<T>.Or(last.Condition, condition);
        return WithLast(last with { Condition = combined });
    }

    private Pattern<T> WithUntil(Condition<T> condition)
    {
        var last = Last;
        if (last.IsGroup)
        {
            throw new PatternException(last.Name, "Until() does not apply to a group.");
        }

        if (last.Quantifier.Kind != QuantifierKind.Looping)
        {
            throw new PatternException(last.Name, "Until() applies only to looping stages (OneOrMore, TimesOrMore).");
        }

        if (last.Until is not null)
        {
            throw new PatternException(last.Name, "Until() can be applied only once per stage.");
        }

        return WithLast(last with { Until = condition });
    }
}
