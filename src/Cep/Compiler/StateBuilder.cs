using Cep.Nfa;
using Cep.Patterns.Conditions;

namespace Cep.Compiler;

/// <summary>A mutable state used while the compiler builds the automaton backwards.</summary>
internal sealed class StateBuilder<T>(int id, string name, StateKind kind)
{
    public int Id { get; } = id;

    public string Name { get; } = name;

    public StateKind Kind { get; set; } = kind;

    /// <summary>For a stop state: the name of the negated stage it stands for.</summary>
    public string? NotStage { get; init; }

    public List<EdgeBuilder<T>> Edges { get; } = [];

    public void AddTake(StateBuilder<T> target, Condition<T>? condition) => Edges.Add(new(EdgeAction.Take, target, condition));

    public void AddIgnore(StateBuilder<T> target, Condition<T>? condition) => Edges.Add(new(EdgeAction.Ignore, target, condition));

    public void AddProceed(StateBuilder<T> target, Condition<T>? condition) => Edges.Add(new(EdgeAction.Proceed, target, condition));

    public override string ToString() => $"{Id}:{Name}({Kind})";
}

/// <summary>An edge under construction; the condition can still be narrowed (greedy stages do that).</summary>
internal sealed class EdgeBuilder<T>(EdgeAction action, StateBuilder<T> target, Condition<T>? condition)
{
    public EdgeAction Action { get; } = action;

    public StateBuilder<T> Target { get; } = target;

    public Condition<T>? Condition { get; set; } = condition;
}
