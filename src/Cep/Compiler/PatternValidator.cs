using Cep.Patterns;
using NodaTime;

namespace Cep.Compiler;

/// <summary>The rules that involve more than one stage, checked when a pattern is compiled.</summary>
internal static class PatternValidator
{
    /// <summary>Checks every cross-stage rule and returns the first-to-last window in ticks (0 if none).</summary>
    /// <exception cref="PatternException">A rule is broken; the message names the stage.</exception>
    public static long Validate<T>(Pattern<T> pattern)
    {
        CheckUniqueNames(pattern);
        var window = pattern.Window;
        CheckSequence(pattern, isTop: true, window);

        var skip = pattern.SkipStrategy;
        if (skip.TargetStage is { } target && !pattern.EventStageNames().Contains(target, StringComparer.Ordinal))
        {
            throw new PatternException(
                target,
                $"the skip strategy {skip} names a stage that is not in the pattern; the stages are {string.Join(", ", pattern.EventStageNames().Select(n => $"'{n}'"))}.");
        }

        return window is { } w ? w.BclCompatibleTicks : 0;
    }

    private static void CheckUniqueNames<T>(Pattern<T> pattern)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in pattern.EventStageNames())
        {
            if (!seen.Add(name))
            {
                throw new PatternException(name, "the name is used by more than one stage; stage names must be unique in a pattern, including inside groups.");
            }
        }
    }

    private static void CheckSequence<T>(Pattern<T> pattern, bool isTop, Duration? window)
    {
        var stages = pattern.Stages;
        for (var i = 0; i < stages.Length; i++)
        {
            var stage = stages[i];
            if (stage.IsGroup)
            {
                CheckSequence(stage.Group!, isTop: false, window);
                continue;
            }

            if (stage.LocalWindow is { } local && window is { } global && local > global)
            {
                throw new PatternException(
                    stage.Name,
                    $"the previous-to-current window {local} is larger than the pattern's first-to-last window {global}.");
            }

            var isLast = i == stages.Length - 1;
            if (stage.Strategy == ConsumingStrategy.NotFollow && isLast)
            {
                if (!isTop)
                {
                    throw new PatternException(stage.Name, "NotFollowedBy cannot be the last stage of a group; put the constraint after the group.");
                }

                if (window is null && stage.LocalWindow is null)
                {
                    throw new PatternException(
                        stage.Name,
                        "NotFollowedBy as the last stage needs a window: add Within(...) so the match can be emitted when the window expires without a forbidden event.");
                }
            }
        }
    }
}
