using Cep.Patterns.Conditions;
using NodaTime;

namespace Cep.Nfa;

/// <summary>The context an iterative condition sees: the events of the partial match being extended, read lazily from the shared buffer.</summary>
internal sealed class RunContext<T>(SharedBuffer.SharedBuffer<T> buffer, string[] stageNames) : IConditionContext<T>
{
    private int _node = -1;
    private long _ticks;

    public Instant Timestamp => Instant.FromUnixTimeTicks(_ticks);

    public void Set(int node, long ticks)
    {
        _node = node;
        _ticks = ticks;
    }

    public IReadOnlyList<T> EventsFor(string stageName)
    {
        var stage = Array.IndexOf(stageNames, stageName);
        if (stage < 0)
        {
            throw new ArgumentException(
                $"'{stageName}' is not a stage of the pattern; the stages are {string.Join(", ", stageNames.Select(n => $"'{n}'"))}.",
                nameof(stageName));
        }

        List<T>? events = null;
        for (var node = _node; node >= 0; node = buffer.Parent(node))
        {
            if (buffer.Stage(node) == stage)
            {
                (events ??= []).Add(buffer.NodeValue(node));
            }
        }

        if (events is null)
        {
            return [];
        }

        events.Reverse();
        return events;
    }
}
