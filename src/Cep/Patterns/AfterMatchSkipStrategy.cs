namespace Cep.Patterns;

/// <summary>Which kind of after-match skip a <see cref="AfterMatchSkipStrategy"/> performs.</summary>
public enum SkipKind
{
    /// <summary>Every match is emitted; nothing is discarded.</summary>
    NoSkip,

    /// <summary>Discards partial matches that started at or before the first event of the emitted match.</summary>
    SkipToNext,

    /// <summary>Discards partial matches that started at or before the last event of the emitted match.</summary>
    SkipPastLastEvent,

    /// <summary>Discards partial matches that started before the first event of the target stage in the emitted match.</summary>
    SkipToFirst,

    /// <summary>Discards partial matches that started before the last event of the target stage in the emitted match.</summary>
    SkipToLast,
}

/// <summary>
/// What happens to the other partial matches after a match is emitted: FlinkCEP's after-match skip strategies.
/// Given to <see cref="Pattern.Begin{T}(string, AfterMatchSkipStrategy?)"/>; applies to the whole pattern.
/// </summary>
/// <remarks>
/// <para>With any strategy other than <see cref="NoSkip"/>, a completed match is emitted only once no partial match
/// that started earlier is still alive, because that partial match could still complete and would come first;
/// so a strategy can hold a match back until earlier runs complete or time out.</para>
/// <para>Events are compared by their position in processing order (timestamp, then arrival).</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class AfterMatchSkipStrategy : IEquatable<AfterMatchSkipStrategy>
{
    private AfterMatchSkipStrategy(SkipKind kind, string? targetStage, bool throwOnMiss)
    {
        Kind = kind;
        TargetStage = targetStage;
        ThrowsOnMiss = throwOnMiss;
    }

    /// <summary>Gets the strategy that emits every match and discards nothing (the default).</summary>
    public static AfterMatchSkipStrategy NoSkip { get; } = new(SkipKind.NoSkip, null, false);

    /// <summary>Gets the strategy that discards every partial match starting at or before the match's first event.</summary>
    public static AfterMatchSkipStrategy SkipToNext { get; } = new(SkipKind.SkipToNext, null, false);

    /// <summary>Gets the strategy that discards every partial match starting at or before the match's last event.</summary>
    public static AfterMatchSkipStrategy SkipPastLastEvent { get; } = new(SkipKind.SkipPastLastEvent, null, false);

    /// <summary>Gets the kind of skip.</summary>
    public SkipKind Kind { get; }

    /// <summary>Gets the stage named by <see cref="SkipToFirst"/> or <see cref="SkipToLast"/>; null for the other kinds.</summary>
    public string? TargetStage { get; }

    /// <summary>
    /// Gets whether a match in which <see cref="TargetStage"/> took no event, or whose target event is the match's own
    /// first event, makes the operator fail instead of skipping nothing.
    /// </summary>
    public bool ThrowsOnMiss { get; }

    /// <summary>Creates the strategy that discards partial matches starting before the first event of <paramref name="stageName"/>.</summary>
    /// <param name="stageName">A stage of the pattern; checked when the pattern is compiled.</param>
    /// <exception cref="ArgumentException"><paramref name="stageName"/> is null or empty.</exception>
    public static AfterMatchSkipStrategy SkipToFirst(string stageName) => new(SkipKind.SkipToFirst, CheckName(stageName), false);

    /// <summary>Creates the strategy that discards partial matches starting before the last event of <paramref name="stageName"/>.</summary>
    /// <param name="stageName">A stage of the pattern; checked when the pattern is compiled.</param>
    /// <exception cref="ArgumentException"><paramref name="stageName"/> is null or empty.</exception>
    public static AfterMatchSkipStrategy SkipToLast(string stageName) => new(SkipKind.SkipToLast, CheckName(stageName), false);

    /// <summary>
    /// Returns a copy of this <see cref="SkipToFirst"/> / <see cref="SkipToLast"/> strategy that throws when the target
    /// stage has no event in a match, or when skipping to it would not move past the match's first event.
    /// </summary>
    /// <exception cref="InvalidOperationException">This strategy has no target stage.</exception>
    public AfterMatchSkipStrategy ThrowExceptionOnMiss()
    {
        if (TargetStage is null)
        {
            throw new InvalidOperationException($"ThrowExceptionOnMiss() applies only to SkipToFirst and SkipToLast, not to {Kind}.");
        }

        return new AfterMatchSkipStrategy(Kind, TargetStage, true);
    }

    /// <inheritdoc/>
    public bool Equals(AfterMatchSkipStrategy? other) =>
        other is not null && other.Kind == Kind && other.TargetStage == TargetStage && other.ThrowsOnMiss == ThrowsOnMiss;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AfterMatchSkipStrategy);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, TargetStage, ThrowsOnMiss);

    /// <inheritdoc/>
    public override string ToString() => TargetStage is null ? Kind.ToString() : $"{Kind}('{TargetStage}'){(ThrowsOnMiss ? ".ThrowExceptionOnMiss()" : string.Empty)}";

    private static string CheckName(string stageName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stageName);
        return stageName;
    }
}
