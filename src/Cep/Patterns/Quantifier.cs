namespace Cep.Patterns;

/// <summary>How many events a stage takes.</summary>
internal enum QuantifierKind
{
    /// <summary>Exactly one event (the default).</summary>
    Single,

    /// <summary>Between <see cref="Quantifier.From"/> and <see cref="Quantifier.To"/> events.</summary>
    Times,

    /// <summary>At least <see cref="Quantifier.From"/> events, unbounded.</summary>
    Looping,
}

/// <summary>The quantifier of one stage: how many events, whether optional or greedy, and the contiguity inside the stage.</summary>
internal readonly record struct Quantifier(
    QuantifierKind Kind,
    int From,
    int To,
    bool Optional,
    bool Greedy,
    ConsumingStrategy Inner,
    bool InnerSet)
{
    /// <summary>The quantifier of a fresh stage: one event, not optional, relaxed inner contiguity.</summary>
    public static Quantifier Single { get; } = new(QuantifierKind.Single, 1, 1, false, false, ConsumingStrategy.SkipTillNext, false);

    /// <summary>True for looping and times quantifiers, which can take more than one event.</summary>
    public bool IsRepeating => Kind != QuantifierKind.Single;
}
