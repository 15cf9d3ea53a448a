using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Harness;
using NodaTime;

namespace Cep.Tests.State;

/// <summary>A keyed test record; <see cref="Tag"/> lets iterative conditions pair events up.</summary>
public sealed record Rec(string Key, char Kind, int Id, int Tag)
{
    public override string ToString() => $"{Kind}{Id}";
}

/// <summary>Patterns, input steps and output comparison shared by the snapshot tests.</summary>
public static class SnapshotTestSupport
{
    public static Instant T(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    /// <summary>Representative patterns: relaxed, strict, OneOrMore, Optional, Within, trailing NotFollowedBy, skip strategies, a local window, a condition that throws.</summary>
    public static readonly Func<Pattern<Rec>>[] TestPatterns =
    [
        () => Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a')
            .FollowedBy("b").Where(e => e.Kind == 'b').OneOrMore()
            .FollowedBy("c").Where(e => e.Kind == 'c')
            .Within(Duration.FromMilliseconds(50)),
        () => Pattern.Begin<Rec>("a", AfterMatchSkipStrategy.SkipPastLastEvent).Where(e => e.Kind == 'a')
            .Next("b").Where(e => e.Kind == 'b').Optional()
            .Next("c").Where(e => e.Kind == 'c'),
        () => Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a')
            .FollowedBy("b").Where(e => e.Kind == 'b')
            .NotFollowedBy("c").Where(e => e.Kind == 'c')
            .Within(Duration.FromMilliseconds(30)),
        () => Pattern.Begin<Rec>("a", AfterMatchSkipStrategy.SkipToNext).Where(e => e.Kind == 'a')
            .FollowedByAny("b").Where((e, ctx) => e.Kind == 'b' && ctx.EventsFor("a")[0].Tag == e.Tag)
            .Within(Duration.FromMilliseconds(40)),
        () => Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a')
            .FollowedBy("b").Where(e => e.Kind == 'b').Times(2)
            .Within(Duration.FromMilliseconds(20), WithinType.PreviousAndCurrent),
        () => Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a')
            .Next("b").Where(e => e.Id % 11 == 5 ? throw new InvalidOperationException("boom") : e.Kind == 'b'),
    ];

    public static CepOperator<string, Rec> NewOperator(Pattern<Rec> pattern, CollectingOutput<string, Rec> output) =>
        new(pattern, r => r.Key, output);

    /// <summary>Everything an output received, as strings in emission order per kind of output.</summary>
    public static List<string> Describe(params CollectingOutput<string, Rec>[] outputs) =>
    [
        .. outputs.SelectMany(o => o.Matches.Select(m => $"match {m.Key} {CollectingOutput<string, Rec>.Describe(m.Match)} @{string.Join(",", m.Match.Timestamps)}")),
        .. outputs.SelectMany(o => o.Timeouts.Select(t => $"timeout {t.Key} {CollectingOutput<string, Rec>.Describe(t.Partial)} at {t.TimedOutAt}")),
        .. outputs.SelectMany(o => o.Late.Select(l => $"late {l.Key} {l.Value} @{l.Timestamp} wm {l.Watermark}")),
        .. outputs.SelectMany(o => o.Errors.Select(e => $"error {e.Key} {e.Value} @{e.Timestamp} {e.Error.GetType().Name}")),
    ];
}
