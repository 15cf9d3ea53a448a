using Cep.Patterns.Conditions;
using NodaTime;

namespace Cep.Patterns;

/// <summary>One stage of a pattern: a name, how it follows the stage before it, a condition and a quantifier; or a group.</summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed record Stage<T>
{
    /// <summary>Gets the stage name; for a group, a synthetic name that never appears in a match.</summary>
    public required string Name { get; init; }

    /// <summary>Gets how the stage follows the previous one. The first stage of a pattern uses <see cref="ConsumingStrategy.SkipTillNext"/>.</summary>
    public required ConsumingStrategy Strategy { get; init; }

    /// <summary>Gets the take condition; null means every event qualifies.</summary>
    public Condition<T>? Condition { get; init; }

    /// <summary>Gets the stop condition of a looping stage; null if none.</summary>
    public Condition<T>? Until { get; init; }

    /// <summary>Gets the quantifier.</summary>
    public Quantifier Quantifier { get; init; } = Quantifier.Single;

    /// <summary>Gets whether a quantifier method (Times, OneOrMore, ...) has been applied.</summary>
    public bool QuantifierApplied { get; init; }

    /// <summary>Gets the inner pattern of a group stage; null for an ordinary stage.</summary>
    public Pattern<T>? Group { get; init; }

    /// <summary>Gets the first-to-last window declared on this stage, if any.</summary>
    public Duration? Window { get; init; }

    /// <summary>Gets the previous-to-current window declared on this stage, if any.</summary>
    public Duration? LocalWindow { get; init; }

    /// <summary>True for NotNext and NotFollowedBy stages.</summary>
    public bool IsNegated => Strategy is ConsumingStrategy.NotNext or ConsumingStrategy.NotFollow;

    /// <summary>True for a group stage.</summary>
    public bool IsGroup => Group is not null;

    /// <summary>Gets the take condition, or "always true" if none was given.</summary>
    public Condition<T> TakeCondition => Condition ?? TrueCondition<T>.Instance;
}
