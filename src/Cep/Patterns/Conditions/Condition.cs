namespace Cep.Patterns.Conditions;

/// <summary>A predicate on an event, possibly depending on the partial match it would extend.</summary>
internal abstract class Condition<T>
{
    /// <summary>True if the condition reads the context; simple conditions never do.</summary>
    public abstract bool IsIterative { get; }

    /// <summary>Evaluates the condition for <paramref name="value"/>.</summary>
    public abstract bool Test(T value, IConditionContext<T> context);

    public static Condition<T> And(Condition<T>? left, Condition<T> right) => left is null ? right : new AndCondition<T>(left, right);

    public static Condition<T> Or(Condition<T>? left, Condition<T> right) => left is null ? right : new OrCondition<T>(left, right);

    public static Condition<T> Not(Condition<T> inner) => new NotCondition<T>(inner);
}

internal sealed class TrueCondition<T> : Condition<T>
{
    public static readonly TrueCondition<T> Instance = new();

    public override bool IsIterative => false;

    public override bool Test(T value, IConditionContext<T> context) => true;
}

internal sealed class SimpleCondition<T>(Func<T, bool> predicate) : Condition<T>
{
    public Func<T, bool> Predicate => predicate;

    public override bool IsIterative => false;

    public override bool Test(T value, IConditionContext<T> context) => predicate(value);
}

internal sealed class IterativeCondition<T>(Func<T, IConditionContext<T>, bool> predicate) : Condition<T>
{
    public override bool IsIterative => true;

    public override bool Test(T value, IConditionContext<T> context) => predicate(value, context);
}

internal sealed class SubtypeCondition<T, TSub> : Condition<T>
    where TSub : T
{
    public static readonly SubtypeCondition<T, TSub> Instance = new();

    public override bool IsIterative => false;

    public override bool Test(T value, IConditionContext<T> context) => value is TSub;
}

internal sealed class AndCondition<T>(Condition<T> left, Condition<T> right) : Condition<T>
{
    public Condition<T> Left => left;

    public Condition<T> Right => right;

    public override bool IsIterative { get; } = left.IsIterative || right.IsIterative;

    public override bool Test(T value, IConditionContext<T> context) => left.Test(value, context) && right.Test(value, context);
}

internal sealed class OrCondition<T>(Condition<T> left, Condition<T> right) : Condition<T>
{
    public Condition<T> Left => left;

    public Condition<T> Right => right;

    public override bool IsIterative { get; } = left.IsIterative || right.IsIterative;

    public override bool Test(T value, IConditionContext<T> context) => left.Test(value, context) || right.Test(value, context);
}

internal sealed class NotCondition<T>(Condition<T> inner) : Condition<T>
{
    public Condition<T> Inner => inner;

    public override bool IsIterative => inner.IsIterative;

    public override bool Test(T value, IConditionContext<T> context) => !inner.Test(value, context);
}
