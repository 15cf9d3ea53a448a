using System.Collections.Immutable;
using NodaTime;

namespace Cep.Patterns;

/// <summary>
/// An immutable description of a sequence of stages that events must go through, in FlinkCEP's vocabulary.
/// Every method returns a new pattern; methods such as <see cref="Where(Func{T, bool})"/> or <see cref="OneOrMore"/>
/// apply to the last stage.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// Rules that involve one stage are checked when the method is called; rules that involve several stages
/// (unique names, a trailing NotFollowedBy needs a window, the skip target exists, ...) are checked when the
/// pattern is compiled. Both throw <see cref="PatternException"/> naming the stage.
/// </remarks>
/// <threadsafety>Immutable; safe to share and to compile on any thread.</threadsafety>
public sealed partial class Pattern<T>
{
    private const string ReservedName = "$endState$";

    internal Pattern(ImmutableArray<Stage<T>> stages, AfterMatchSkipStrategy skipStrategy)
    {
        Stages = stages;
        SkipStrategy = skipStrategy;
    }

    /// <summary>Gets the after-match skip strategy given to <see cref="Pattern.Begin{T}(string, AfterMatchSkipStrategy?)"/>.</summary>
    public AfterMatchSkipStrategy SkipStrategy { get; }

    /// <summary>Gets the name of the last stage (the one that methods such as Where apply to).</summary>
    public string Name => Last.Name;

    /// <summary>Gets the names of all stages, including those inside groups, in pattern order.</summary>
    public IReadOnlyList<string> StageNames => EventStageNames().ToArray();

    /// <summary>Gets the smallest first-to-last window declared on any stage, or null if none.</summary>
    public Duration? Window
    {
        get
        {
            Duration? min = null;
            foreach (var stage in Stages)
            {
                var w = stage.IsGroup ? stage.Group!.Window : null;
                foreach (var candidate in new[] { stage.Window, w })
                {
                    if (candidate is { } c && (min is null || c < min))
                    {
                        min = c;
                    }
                }
            }

            return min;
        }
    }

    internal ImmutableArray<Stage<T>> Stages { get; }

    internal Stage<T> Last => Stages[^1];

    /// <inheritdoc/>
    public override string ToString() => string.Join(" ", Stages.Select(Describe));

    internal static string CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new PatternException(name ?? "<null>", "a stage name must not be null or empty.");
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new PatternException(name, "a stage name must not contain ':'.");
        }

        if (name == ReservedName)
        {
            throw new PatternException(name, $"the name '{ReservedName}' is reserved.");
        }

        return name;
    }

    internal static Stage<T> GroupStage(Pattern<T> group, ConsumingStrategy strategy) =>
        new() { Name = "group:" + group.Stages[0].Name, Strategy = strategy, Group = group };

    /// <summary>Enumerates the names of stages that take events (not groups themselves, but their members), in order.</summary>
    internal IEnumerable<string> EventStageNames()
    {
        foreach (var stage in Stages)
        {
            if (stage.IsGroup)
            {
                foreach (var inner in stage.Group!.EventStageNames())
                {
                    yield return inner;
                }
            }
            else
            {
                yield return stage.Name;
            }
        }
    }

    private static string Describe(Stage<T> stage)
    {
        var verb = stage.Strategy switch
        {
            ConsumingStrategy.Strict => "next",
            ConsumingStrategy.SkipTillAny => "followedByAny",
            ConsumingStrategy.NotNext => "notNext",
            ConsumingStrategy.NotFollow => "notFollowedBy",
            _ => "followedBy",
        };
        var body = stage.IsGroup ? $"({stage.Group})" : $"'{stage.Name}'";
        var q = stage.Quantifier;
        var quant = q.Kind switch
        {
            QuantifierKind.Looping => $"{{{q.From},}}",
            QuantifierKind.Times => $"{{{q.From},{q.To}}}",
            _ => string.Empty,
        };
        return $"{verb}{body}{quant}{(q.Optional ? "?" : string.Empty)}{(q.Greedy ? " greedy" : string.Empty)}";
    }

    private Pattern<T> WithLast(Stage<T> stage) => new(Stages.SetItem(Stages.Length - 1, stage), SkipStrategy);

    private Pattern<T> Append(Stage<T> stage) => new(Stages.Add(stage), SkipStrategy);
}
