using Cep.Joins.Interval;
using Cep.Tests.Oracles;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Cep.Tests.Joins.Interval;

/// <summary>
/// A generated interval-join case: bounds in whole ticks (negative, positive or mixed, each end inclusive or exclusive),
/// a join type, and keyed records of both sides delivered up to <see cref="DisorderMs"/> out of order, with watermarks of
/// each input interleaved (mostly safe ones, at the largest timestamp seen on that input minus the disorder bound minus one
/// tick; now and then an aggressive one that makes later records late).
/// </summary>
public sealed record JoinCase(
    long LowerTicks, bool LowerInclusive, long UpperTicks, bool UpperInclusive, IntervalJoinType Type, int DisorderMs, IReadOnlyList<JoinStep> Steps)
{
    public JoinBounds Bounds
    {
        get
        {
            var bounds = JoinBounds.Between(Duration.FromTicks(LowerTicks), Duration.FromTicks(UpperTicks));
            bounds = LowerInclusive ? bounds : bounds.ExcludeLower();
            return UpperInclusive ? bounds : bounds.ExcludeUpper();
        }
    }

    public override string ToString() =>
        $"{(LowerInclusive ? '[' : '(')}{LowerTicks}, {UpperTicks}{(UpperInclusive ? ']' : ')')} ticks, {Type}, disorder {DisorderMs} ms\n  steps: {string.Join(" ", Steps)}";
}

public static class IntervalJoinGenerators
{
    private const long Ms = 10_000;

    public static Arbitrary<JoinCase> Cases() => Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed))), Shrink);

    public static JoinCase NewCase(Random r)
    {
        var lowerMs = r.Next(-6, 7);
        var lower = (lowerMs * Ms) + Jitter(r);
        var upper = Math.Max(lower, ((lowerMs + r.Next(0, 9)) * Ms) + Jitter(r));
        var type = (IntervalJoinType)r.Next(4);
        var disorder = r.Next(0, 5);
        var count = r.Next(0, 41);
        var records = new List<JoinStep>();
        for (var id = 0; id < count; id++)
        {
            var kind = r.Next(2) == 0 ? JoinStepKind.Left : JoinStepKind.Right;
            records.Add(new JoinStep(kind, r.Next(3), (r.Next(0, 31) * Ms) + Jitter(r), id));
        }

        var arrival = records.OrderBy(s => s.Ticks).Select((s, i) => (s, i, at: s.Ticks + (r.Next(0, disorder + 1) * Ms)))
            .OrderBy(x => x.at).ThenBy(x => x.i).Select(x => x.s).ToList();
        var steps = new List<JoinStep>();
        var maxSeen = new[] { long.MinValue, long.MinValue };
        foreach (var s in arrival)
        {
            steps.Add(s);
            var side = s.Kind == JoinStepKind.Left ? 0 : 1;
            maxSeen[side] = Math.Max(maxSeen[side], s.Ticks);
            var roll = r.Next(20);
            var wmSide = r.Next(2);
            if (roll < 7 && maxSeen[wmSide] != long.MinValue)
            {
                steps.Add(Watermark(wmSide, maxSeen[wmSide] - (disorder * Ms) - 1));
            }
            else if (roll == 7 && maxSeen[wmSide] != long.MinValue)
            {
                steps.Add(Watermark(wmSide, maxSeen[wmSide] + (r.Next(-2, 3) * Ms)));
            }
        }

        return new JoinCase(lower, r.Next(3) > 0, upper, r.Next(3) > 0, type, disorder, steps);
    }

    public static IEnumerable<JoinCase> Shrink(JoinCase c)
    {
        for (var i = 0; i < c.Steps.Count; i++)
        {
            yield return c with { Steps = c.Steps.Where((_, j) => j != i).ToList() };
        }

        if (!c.LowerInclusive)
        {
            yield return c with { LowerInclusive = true };
        }

        if (!c.UpperInclusive)
        {
            yield return c with { UpperInclusive = true };
        }
    }

    private static JoinStep Watermark(int side, long ticks) =>
        new(side == 0 ? JoinStepKind.LeftWatermark : JoinStepKind.RightWatermark, 0, ticks, -1);

    /// <summary>Mostly whole milliseconds; sometimes one tick off, to exercise tick precision at the bounds.</summary>
    private static long Jitter(Random r) => r.Next(5) == 0 ? r.Next(-1, 2) : 0;
}
