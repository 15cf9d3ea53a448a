using NodaTime;

namespace Cep.Patterns;

/// <content>Quantifiers and windows of the last stage.</content>
public sealed partial class Pattern<T>
{
    /// <summary>Makes the last stage take exactly <paramref name="times"/> events (relaxed contiguity between them by default).</summary>
    /// <param name="times">The number of events; greater than zero.</param>
    /// <returns>The pattern with the quantifier applied.</returns>
    /// <exception cref="PatternException"><paramref name="times"/> is not positive, a quantifier was already applied, or the stage is negated.</exception>
    public Pattern<T> Times(int times)
    {
        var last = CheckQuantifiable("Times");
        if (times <= 0)
        {
            throw new PatternException(last.Name, $"Times({times}): the number of events must be greater than 0.");
        }

        return WithQuantifier(last, last.Quantifier with { Kind = QuantifierKind.Times, From = times, To = times });
    }

    /// <summary>
    /// Makes the last stage take between <paramref name="from"/> and <paramref name="to"/> events; each count in the range
    /// gives its own match. <c>Times(0, n)</c> means <c>Times(1, n).Optional()</c>.
    /// </summary>
    /// <param name="from">The least number of events; zero or more.</param>
    /// <param name="to">The most number of events; at least <paramref name="from"/> and greater than zero.</param>
    /// <returns>The pattern with the quantifier applied.</returns>
    /// <exception cref="PatternException">
    /// The range is invalid, a quantifier was already applied, the stage is negated, or <paramref name="from"/> is zero
    /// (optional) and the stage directly follows a greedy stage.
    /// </exception>
    public Pattern<T> Times(int from, int to)
    {
        var last = CheckQuantifiable("Times");
        if (from < 0 || to <= 0 || to < from)
        {
            throw new PatternException(last.Name, $"Times({from}, {to}): the range must satisfy 0 <= from <= to and to > 0.");
        }

        var optional = from == 0;
        if (optional)
        {
            CheckNotAfterGreedy(last);
        }

        return WithQuantifier(last, last.Quantifier with
        {
            Kind = QuantifierKind.Times,
            From = optional ? 1 : from,
            To = to,
            Optional = last.Quantifier.Optional || optional,
        });
    }

    /// <summary>Makes the last stage take <paramref name="times"/> or more events, without upper bound.</summary>
    /// <param name="times">The least number of events; greater than zero.</param>
    /// <returns>The pattern with the quantifier applied.</returns>
    /// <exception cref="PatternException"><paramref name="times"/> is not positive, a quantifier was already applied, or the stage is negated.</exception>
    public Pattern<T> TimesOrMore(int times)
    {
        var last = CheckQuantifiable("TimesOrMore");
        if (times <= 0)
        {
            throw new PatternException(last.Name, $"TimesOrMore({times}): the number of events must be greater than 0.");
        }

        return WithQuantifier(last, last.Quantifier with { Kind = QuantifierKind.Looping, From = times, To = times });
    }

    /// <summary>
    /// Makes the last stage take one or more events; every length is its own match. Bound it with <see cref="Until(Func{T, bool})"/>
    /// or a window, since the number of partial matches can otherwise grow without end.
    /// </summary>
    /// <returns>The pattern with the quantifier applied.</returns>
    /// <exception cref="PatternException">A quantifier was already applied, or the stage is negated.</exception>
    public Pattern<T> OneOrMore()
    {
        var last = CheckQuantifiable("OneOrMore");
        return WithQuantifier(last, last.Quantifier with { Kind = QuantifierKind.Looping, From = 1, To = 1 });
    }

    /// <summary>Makes the last stage optional: it may take no event at all.</summary>
    /// <returns>The pattern with the stage optional.</returns>
    /// <exception cref="PatternException">The stage is already optional, is negated, or directly follows a greedy stage.</exception>
    public Pattern<T> Optional()
    {
        var last = Last;
        if (last.IsNegated)
        {
            throw new PatternException(last.Name, "a NotNext or NotFollowedBy stage cannot be optional.");
        }

        if (last.Quantifier.Optional)
        {
            throw new PatternException(last.Name, "Optional() is already applied.");
        }

        CheckNotAfterGreedy(last);
        return WithLast(last with { Quantifier = last.Quantifier with { Optional = true } });
    }

    /// <summary>
    /// Makes the looping or times stage greedy: an event that the loop could take is never taken or skipped by the next stage,
    /// so only the longest run continues past the loop.
    /// </summary>
    /// <returns>The pattern with the stage greedy.</returns>
    /// <exception cref="PatternException">The stage is a group, negated, a single-event stage, or uses AllowCombinations.</exception>
    public Pattern<T> Greedy()
    {
        var last = Last;
        if (last.IsGroup)
        {
            throw new PatternException(last.Name, "Greedy() does not apply to a group.");
        }

        if (last.IsNegated)
        {
            throw new PatternException(last.Name, "Greedy() does not apply to a NotNext or NotFollowedBy stage.");
        }

        if (!last.Quantifier.IsRepeating)
        {
            throw new PatternException(last.Name, "Greedy() applies only to looping or times stages, not to a single-event stage.");
        }

        if (last.Quantifier.Inner == ConsumingStrategy.SkipTillAny)
        {
            throw new PatternException(last.Name, "Greedy() does not apply to a stage with AllowCombinations().");
        }

        return WithLast(last with { Quantifier = last.Quantifier with { Greedy = true } });
    }

    /// <summary>Requires the events taken by the looping or times stage to be directly consecutive (strict inner contiguity).</summary>
    /// <returns>The pattern with the inner contiguity set.</returns>
    /// <exception cref="PatternException">The stage is not looping or times, or its inner contiguity is already set.</exception>
    public Pattern<T> Consecutive() => WithInner(ConsumingStrategy.Strict, "Consecutive");

    /// <summary>Lets the looping or times stage take any subset, in order, of the matching events (non-deterministic inner contiguity).</summary>
    /// <returns>The pattern with the inner contiguity set.</returns>
    /// <exception cref="PatternException">The stage is not looping or times, greedy, or its inner contiguity is already set.</exception>
    public Pattern<T> AllowCombinations()
    {
        if (Last.Quantifier.Greedy)
        {
            throw new PatternException(Last.Name, "AllowCombinations() does not apply to a greedy stage.");
        }

        return WithInner(ConsumingStrategy.SkipTillAny, "AllowCombinations");
    }

    /// <summary>
    /// Sets the first-to-last window: a partial match is discarded as soon as the current time is
    /// <paramref name="window"/> or more past its first event, so a match spans less than the window.
    /// If several stages declare a window, the smallest applies.
    /// </summary>
    /// <param name="window">The window; positive.</param>
    /// <returns>The pattern with the window set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is zero or negative.</exception>
    public Pattern<T> Within(Duration window) => Within(window, WithinType.FirstAndLast);

    /// <summary>Sets a window of the given kind; see <see cref="WithinType"/>.</summary>
    /// <param name="window">The window; positive.</param>
    /// <param name="type">Which two events the window measures between.</param>
    /// <returns>The pattern with the window set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is zero or negative, or <paramref name="type"/> is undefined.</exception>
    public Pattern<T> Within(Duration window, WithinType type)
    {
        if (window <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The window of stage '{Last.Name}' must be positive.");
        }

        return type switch
        {
            WithinType.FirstAndLast => WithLast(Last with { Window = window }),
            WithinType.PreviousAndCurrent => WithLast(Last with { LocalWindow = window }),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown window type."),
        };
    }

    /// <summary>An optional stage (Optional() or Times(0, n)) must not directly follow a greedy stage.</summary>
    private void CheckNotAfterGreedy(Stage<T> last)
    {
        if (Stages.Length > 1 && Stages[^2].Quantifier.Greedy)
        {
            throw new PatternException(last.Name, $"an optional stage cannot directly follow the greedy stage '{Stages[^2].Name}'.");
        }
    }

    private Stage<T> CheckQuantifiable(string method)
    {
        var last = Last;
        if (last.IsNegated)
        {
            throw new PatternException(last.Name, $"{method}() does not apply to a NotNext or NotFollowedBy stage.");
        }

        if (last.QuantifierApplied)
        {
            throw new PatternException(last.Name, $"{method}(): a quantifier is already applied to this stage ({Describe(last)}).");
        }

        return last;
    }

    private Pattern<T> WithQuantifier(Stage<T> last, Quantifier quantifier) =>
        WithLast(last with { Quantifier = quantifier, QuantifierApplied = true });

    private Pattern<T> WithInner(ConsumingStrategy inner, string method)
    {
        var last = Last;
        if (!last.Quantifier.IsRepeating)
        {
            throw new PatternException(last.Name, $"{method}() applies only to looping or times stages, not to a single-event stage.");
        }

        if (last.Quantifier.InnerSet)
        {
            throw new PatternException(last.Name, $"{method}(): the inner contiguity is already set.");
        }

        return WithLast(last with { Quantifier = last.Quantifier with { Inner = inner, InnerSet = true } });
    }
}
