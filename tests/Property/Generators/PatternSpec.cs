using Cep.Patterns;
using NodaTime;

namespace Cep.Tests.Generators;

/// <summary>A generated event: <see cref="Letter"/> is what conditions look at; it prints as letter + id ("a3").</summary>
public sealed record GenEvent(int Id, int Key, char Letter, long Ts)
{
    public override string ToString() => $"{Letter}{Id}";

    /// <summary>The event with key and timestamp, for counterexamples: "k1:a3@5".</summary>
    public string Full => $"k{Key}:{Letter}{Id}@{Ts}";
}

/// <summary>How a stage follows the previous one.</summary>
public enum Contiguity
{
    Begin,
    Next,
    FollowedBy,
    FollowedByAny,
    NotNext,
    NotFollowedBy,
}

/// <summary>How many events a stage takes.</summary>
public enum QuantKind
{
    Single,
    OneOrMore,
    Times,
}

/// <summary>Contiguity inside a repeating stage.</summary>
public enum InnerKind
{
    Relaxed,
    Consecutive,
    AllowCombinations,
}

/// <summary>One stage: its name, how it follows, its letter condition and its quantifier.</summary>
public sealed record StageSpec(string Name, Contiguity How, char Letter, QuantKind Quant = QuantKind.Single, int From = 1, int To = 1, bool Optional = false, InnerKind Inner = InnerKind.Relaxed)
{
    public bool IsNegated => How is Contiguity.NotNext or Contiguity.NotFollowedBy;

    public bool IsRepeating => Quant != QuantKind.Single;

    public override string ToString()
    {
        var verb = How switch
        {
            Contiguity.Begin => "begin",
            Contiguity.Next => ".next",
            Contiguity.FollowedBy => ".followedBy",
            Contiguity.FollowedByAny => ".followedByAny",
            Contiguity.NotNext => ".notNext",
            _ => ".notFollowedBy",
        };
        var s = $"{verb}(\"{Name}\"=={Letter})";
        s += Quant switch
        {
            QuantKind.OneOrMore => ".oneOrMore()",
            QuantKind.Times when From == To => $".times({From})",
            QuantKind.Times => $".times({From},{To})",
            _ => string.Empty,
        };
        s += Inner switch
        {
            InnerKind.Consecutive => ".consecutive()",
            InnerKind.AllowCombinations => ".allowCombinations()",
            _ => string.Empty,
        };
        return Optional ? s + ".optional()" : s;
    }
}

/// <summary>The after-match skip strategy of a generated pattern.</summary>
public sealed record SkipSpec(SkipKind Kind, string? Target = null)
{
    public static SkipSpec None { get; } = new(SkipKind.NoSkip);

    public AfterMatchSkipStrategy Build() => Kind switch
    {
        SkipKind.SkipToNext => AfterMatchSkipStrategy.SkipToNext,
        SkipKind.SkipPastLastEvent => AfterMatchSkipStrategy.SkipPastLastEvent,
        SkipKind.SkipToFirst => AfterMatchSkipStrategy.SkipToFirst(Target!),
        SkipKind.SkipToLast => AfterMatchSkipStrategy.SkipToLast(Target!),
        _ => AfterMatchSkipStrategy.NoSkip,
    };

    public override string ToString() => Target is null ? Kind.ToString() : $"{Kind}(\"{Target}\")";
}

/// <summary>A small pattern over <see cref="GenEvent"/>s with letter conditions, buildable with the public DSL.</summary>
public sealed record PatternSpec(IReadOnlyList<StageSpec> Stages, long? WindowMs, SkipSpec Skip)
{
    public PatternSpec WithSkip(SkipSpec skip) => this with { Skip = skip };

    /// <summary>Builds the pattern with the public DSL.</summary>
    public Pattern<GenEvent> Build()
    {
        Pattern<GenEvent>? p = null;
        foreach (var s in Stages)
        {
            var letter = s.Letter;
            p = s.How switch
            {
                Contiguity.Begin => Pattern.Begin<GenEvent>(s.Name, Skip.Build()),
                Contiguity.Next => p!.Next(s.Name),
                Contiguity.FollowedBy => p!.FollowedBy(s.Name),
                Contiguity.FollowedByAny => p!.FollowedByAny(s.Name),
                Contiguity.NotNext => p!.NotNext(s.Name),
                _ => p!.NotFollowedBy(s.Name),
            };
            p = p.Where(e => e.Letter == letter);
            p = s.Quant switch
            {
                QuantKind.OneOrMore => p.OneOrMore(),
                QuantKind.Times => p.Times(s.From, s.To),
                _ => p,
            };
            p = s.Inner switch
            {
                InnerKind.Consecutive => p.Consecutive(),
                InnerKind.AllowCombinations => p.AllowCombinations(),
                _ => p,
            };
            if (s.Optional)
            {
                p = p.Optional();
            }
        }

        return WindowMs is { } w ? p!.Within(Duration.FromMilliseconds(w)) : p!;
    }

    public override string ToString() =>
        "Pattern." + string.Concat(Stages) + (WindowMs is { } w ? $".within({w}ms)" : string.Empty) + (Skip.Kind == SkipKind.NoSkip ? string.Empty : $" skip={Skip}");
}

/// <summary>A pattern with a short keyed event sequence in arrival order.</summary>
public sealed record CepCase(PatternSpec Pattern, IReadOnlyList<GenEvent> Events)
{
    public override string ToString() => $"{Pattern}\n  events (arrival order): {string.Join(" ", Events.Select(e => e.Full))}";
}
