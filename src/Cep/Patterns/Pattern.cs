using System.Collections.Immutable;

namespace Cep.Patterns;

/// <summary>Entry points of the pattern language: every pattern starts with <see cref="Begin{T}(string, AfterMatchSkipStrategy?)"/>.</summary>
/// <example>
/// <code>
/// var clickAfterExposure = Pattern.Begin&lt;AdEvent&gt;("exposure").Where(e =&gt; e.Kind == Kind.Exposure)
///     .FollowedBy("click").Where(e =&gt; e.Kind == Kind.Click)
///     .Within(Duration.FromMinutes(5));
/// </code>
/// </example>
public static class Pattern
{
    /// <summary>Starts a pattern with a stage named <paramref name="name"/>.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <param name="skipStrategy">The after-match skip strategy of the whole pattern; <see cref="AfterMatchSkipStrategy.NoSkip"/> if null.</param>
    /// <returns>A pattern of one stage that accepts every event until a condition is added.</returns>
    /// <exception cref="PatternException"><paramref name="name"/> is empty, contains ':' or is reserved.</exception>
    public static Pattern<T> Begin<T>(string name, AfterMatchSkipStrategy? skipStrategy = null)
    {
        var stage = new Stage<T> { Name = Pattern<T>.CheckName(name), Strategy = ConsumingStrategy.SkipTillNext };
        return new Pattern<T>(ImmutableArray.Create(stage), skipStrategy ?? AfterMatchSkipStrategy.NoSkip);
    }

    /// <summary>Starts a pattern whose first stage is the group <paramref name="group"/>, which can then take a quantifier as one unit.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="group">The inner pattern; its stage names are reported in matches.</param>
    /// <param name="skipStrategy">The after-match skip strategy of the whole pattern; <see cref="AfterMatchSkipStrategy.NoSkip"/> if null.</param>
    /// <returns>A pattern of one group stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is null.</exception>
    public static Pattern<T> Begin<T>(Pattern<T> group, AfterMatchSkipStrategy? skipStrategy = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        var stage = Pattern<T>.GroupStage(group, ConsumingStrategy.SkipTillNext);
        return new Pattern<T>(ImmutableArray.Create(stage), skipStrategy ?? AfterMatchSkipStrategy.NoSkip);
    }
}
