namespace Cep.Patterns;

/// <content>Methods that append a stage.</content>
public sealed partial class Pattern<T>
{
    /// <summary>Appends a stage whose event must directly follow the previously accepted event (strict contiguity).</summary>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <returns>The pattern with the new stage last.</returns>
    /// <exception cref="PatternException"><paramref name="name"/> is empty, contains ':' or is reserved.</exception>
    public Pattern<T> Next(string name) => Append(NewStage(name, ConsumingStrategy.Strict));

    /// <summary>
    /// Appends a stage whose event follows the previously accepted one with non-matching events in between allowed
    /// (relaxed contiguity): the first matching event is taken.
    /// </summary>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <returns>The pattern with the new stage last.</returns>
    /// <exception cref="PatternException"><paramref name="name"/> is empty, contains ':' or is reserved.</exception>
    public Pattern<T> FollowedBy(string name) => Append(NewStage(name, ConsumingStrategy.SkipTillNext));

    /// <summary>
    /// Appends a stage with non-deterministic relaxed contiguity: every later matching event may be taken or skipped,
    /// each choice giving its own partial match.
    /// </summary>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <returns>The pattern with the new stage last.</returns>
    /// <exception cref="PatternException"><paramref name="name"/> is empty, contains ':' or is reserved.</exception>
    public Pattern<T> FollowedByAny(string name) => Append(NewStage(name, ConsumingStrategy.SkipTillAny));

    /// <summary>
    /// Appends a negative stage: the event directly after the previously accepted one must not satisfy this stage's
    /// condition, otherwise the partial match is discarded. As the last stage, the match is emitted when the next event
    /// arrives and does not satisfy it.
    /// </summary>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <returns>The pattern with the new stage last.</returns>
    /// <exception cref="PatternException">The name is invalid, or the current last stage is optional.</exception>
    public Pattern<T> NotNext(string name)
    {
        CheckNotAfterOptional(name, "NotNext");
        return Append(NewStage(name, ConsumingStrategy.NotNext));
    }

    /// <summary>
    /// Appends a negative stage: no event between the previously accepted event and the next accepted one may satisfy
    /// this stage's condition. As the last stage it needs a window: the match is emitted when the window expires
    /// without a forbidden event.
    /// </summary>
    /// <param name="name">The stage name: unique in the pattern, not empty, without ':'.</param>
    /// <returns>The pattern with the new stage last.</returns>
    /// <exception cref="PatternException">The name is invalid, or the current last stage is optional.</exception>
    public Pattern<T> NotFollowedBy(string name)
    {
        CheckNotAfterOptional(name, "NotFollowedBy");
        return Append(NewStage(name, ConsumingStrategy.NotFollow));
    }

    /// <summary>Appends the group <paramref name="group"/> with strict contiguity; the group can then take a quantifier as one unit.</summary>
    /// <param name="group">The inner pattern.</param>
    /// <returns>The pattern with the group last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is null.</exception>
    public Pattern<T> Next(Pattern<T> group) => AppendGroup(group, ConsumingStrategy.Strict);

    /// <summary>Appends the group <paramref name="group"/> with relaxed contiguity; the group can then take a quantifier as one unit.</summary>
    /// <param name="group">The inner pattern.</param>
    /// <returns>The pattern with the group last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is null.</exception>
    public Pattern<T> FollowedBy(Pattern<T> group) => AppendGroup(group, ConsumingStrategy.SkipTillNext);

    /// <summary>Appends the group <paramref name="group"/> with non-deterministic relaxed contiguity.</summary>
    /// <param name="group">The inner pattern.</param>
    /// <returns>The pattern with the group last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is null.</exception>
    public Pattern<T> FollowedByAny(Pattern<T> group) => AppendGroup(group, ConsumingStrategy.SkipTillAny);

    private static Stage<T> NewStage(string name, ConsumingStrategy strategy) => new() { Name = CheckName(name), Strategy = strategy };

    private Pattern<T> AppendGroup(Pattern<T> group, ConsumingStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Append(GroupStage(group, strategy));
    }

    private void CheckNotAfterOptional(string name, string verb)
    {
        if (Last.Quantifier.Optional)
        {
            throw new PatternException(
                name,
                $"{verb} cannot follow the optional stage '{Last.Name}'; write two patterns, one with and one without the optional stage.");
        }
    }
}
