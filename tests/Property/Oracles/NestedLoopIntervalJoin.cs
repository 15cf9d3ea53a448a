namespace Cep.Tests.Oracles;

/// <summary>One step of an interval-join input: a left or right record, or a watermark of one input.</summary>
/// <param name="Kind">What the step is.</param>
/// <param name="Key">The record's key (records only).</param>
/// <param name="Ticks">The record's timestamp, or the watermark, in ticks since the epoch.</param>
/// <param name="Id">The record's identity, unique across both sides (records only).</param>
public readonly record struct JoinStep(JoinStepKind Kind, int Key, long Ticks, int Id)
{
    public override string ToString() => Kind switch
    {
        JoinStepKind.Left => $"L{Id}(k{Key}@{Ticks})",
        JoinStepKind.Right => $"R{Id}(k{Key}@{Ticks})",
        JoinStepKind.LeftWatermark => $"WL@{Ticks}",
        _ => $"WR@{Ticks}",
    };
}

/// <summary>The kinds of <see cref="JoinStep"/>.</summary>
public enum JoinStepKind
{
    Left,
    Right,
    LeftWatermark,
    RightWatermark,
}

/// <summary>What an interval join must produce for an input, as computed by <see cref="NestedLoopIntervalJoin"/>.</summary>
/// <param name="Pairs">Every joined pair as (left id, right id).</param>
/// <param name="UnmatchedLeft">The ids of the on-time left records that joined nothing.</param>
/// <param name="UnmatchedRight">The ids of the on-time right records that joined nothing.</param>
/// <param name="LateLeft">The ids of the late left records.</param>
/// <param name="LateRight">The ids of the late right records.</param>
public sealed record IntervalJoinExpectation(
    List<(int Left, int Right)> Pairs, List<int> UnmatchedLeft, List<int> UnmatchedRight, List<int> LateLeft, List<int> LateRight);

/// <summary>
/// The obviously correct interval join: replay the steps only to find the late records (a record is late iff its
/// timestamp is at or below the largest watermark its own input has given so far), then compare every on-time left record
/// with every on-time right record of the same key.
/// </summary>
public static class NestedLoopIntervalJoin
{
    /// <summary>Computes the expected output.</summary>
    /// <param name="steps">The input in arrival order.</param>
    /// <param name="lowerTicks">The lower bound in ticks.</param>
    /// <param name="lowerInclusive">Whether <c>l + lower == r</c> joins.</param>
    /// <param name="upperTicks">The upper bound in ticks.</param>
    /// <param name="upperInclusive">Whether <c>l + upper == r</c> joins.</param>
    public static IntervalJoinExpectation Run(IReadOnlyList<JoinStep> steps, long lowerTicks, bool lowerInclusive, long upperTicks, bool upperInclusive)
    {
        var leftWatermark = long.MinValue;
        var rightWatermark = long.MinValue;
        var lefts = new List<JoinStep>();
        var rights = new List<JoinStep>();
        var lateLeft = new List<int>();
        var lateRight = new List<int>();
        foreach (var s in steps)
        {
            switch (s.Kind)
            {
                case JoinStepKind.LeftWatermark:
                    leftWatermark = Math.Max(leftWatermark, s.Ticks);
                    break;
                case JoinStepKind.RightWatermark:
                    rightWatermark = Math.Max(rightWatermark, s.Ticks);
                    break;
                case JoinStepKind.Left when s.Ticks <= leftWatermark:
                    lateLeft.Add(s.Id);
                    break;
                case JoinStepKind.Left:
                    lefts.Add(s);
                    break;
                case JoinStepKind.Right when s.Ticks <= rightWatermark:
                    lateRight.Add(s.Id);
                    break;
                default:
                    rights.Add(s);
                    break;
            }
        }

        var pairs = new List<(int, int)>();
        var joinedLeft = new HashSet<int>();
        var joinedRight = new HashSet<int>();
        foreach (var l in lefts)
        {
            foreach (var r in rights)
            {
                var diff = r.Ticks - l.Ticks;
                var aboveLower = lowerInclusive ? diff >= lowerTicks : diff > lowerTicks;
                var belowUpper = upperInclusive ? diff <= upperTicks : diff < upperTicks;
                if (l.Key == r.Key && aboveLower && belowUpper)
                {
                    pairs.Add((l.Id, r.Id));
                    joinedLeft.Add(l.Id);
                    joinedRight.Add(r.Id);
                }
            }
        }

        return new IntervalJoinExpectation(
            pairs,
            lefts.Where(l => !joinedLeft.Contains(l.Id)).Select(l => l.Id).ToList(),
            rights.Where(r => !joinedRight.Contains(r.Id)).Select(r => r.Id).ToList(),
            lateLeft,
            lateRight);
    }
}
