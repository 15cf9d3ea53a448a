using Cep.Joins.Interval;
using Cep.Tests.Oracles;
using NodaTime;

namespace Cep.Tests.Joins.Interval;

/// <summary>A test record: its key, its timestamp in ticks and an identity (unique across both sides in properties).</summary>
public readonly record struct Rec(int Key, long Ticks, int Id)
{
    public Instant Time => Instant.FromUnixTimeTicks(Ticks);

    public override string ToString() => $"#{Id}(k{Key}@{Ticks})";
}

/// <summary>Keeps everything an interval join emits, in order, with the operator's watermark at the time of each unmatched result.</summary>
public sealed class JoinCollector<TKey> : IIntervalJoinOutput<TKey, Rec, Rec>
{
    public List<(TKey Key, Rec Left, Instant LeftTs, Rec Right, Instant RightTs, Instant Ts)> Pairs { get; } = [];

    public List<(TKey Key, Rec Record, Instant Ts, Instant WatermarkThen)> UnmatchedLeft { get; } = [];

    public List<(TKey Key, Rec Record, Instant Ts, Instant WatermarkThen)> UnmatchedRight { get; } = [];

    public List<(TKey Key, Rec Record, Instant Ts, Instant Watermark)> LateLeft { get; } = [];

    public List<(TKey Key, Rec Record, Instant Ts, Instant Watermark)> LateRight { get; } = [];

    /// <summary>Every output as text, in emission order.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Reads the operator's watermark; set after the operator is built.</summary>
    public Func<Instant>? Watermark { get; set; }

    public void OnJoined(TKey key, Rec left, Instant leftTimestamp, Rec right, Instant rightTimestamp, Instant timestamp)
    {
        Pairs.Add((key, left, leftTimestamp, right, rightTimestamp, timestamp));
        Log.Add($"pair k{key} {left} {right} @{timestamp.ToUnixTimeTicks()}");
    }

    public void OnUnmatchedLeft(TKey key, Rec left, Instant timestamp)
    {
        UnmatchedLeft.Add((key, left, timestamp, Watermark?.Invoke() ?? Instant.MinValue));
        Log.Add($"unmatched-left k{key} {left}");
    }

    public void OnUnmatchedRight(TKey key, Rec right, Instant timestamp)
    {
        UnmatchedRight.Add((key, right, timestamp, Watermark?.Invoke() ?? Instant.MinValue));
        Log.Add($"unmatched-right k{key} {right}");
    }

    public void OnLateLeft(TKey key, Rec left, Instant timestamp, Instant watermark)
    {
        LateLeft.Add((key, left, timestamp, watermark));
        Log.Add($"late-left k{key} {left} wm {watermark}");
    }

    public void OnLateRight(TKey key, Rec right, Instant timestamp, Instant watermark)
    {
        LateRight.Add((key, right, timestamp, watermark));
        Log.Add($"late-right k{key} {right} wm {watermark}");
    }

    /// <summary>The pairs as sorted "left-right" timestamp strings in ms, as Flink's tests write them.</summary>
    public List<string> PairsMs() =>
        Pairs.Select(p => $"{p.Left.Ticks / TicksPerMs}-{p.Right.Ticks / TicksPerMs}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    private const long TicksPerMs = 10_000;
}

/// <summary>Building and feeding operators in tests.</summary>
public static class JoinTestSupport
{
    public const long TicksPerMs = 10_000;

    public static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    public static Duration D(long ms) => Duration.FromMilliseconds(ms);

    public static Rec L(long ms, int key = 0, int id = 0) => new(key, ms * TicksPerMs, id);

    public static Rec R(long ms, int key = 0, int id = 0) => new(key, ms * TicksPerMs, id);

    public static (IntervalJoinOperator<int, Rec, Rec> Op, JoinCollector<int> Out) NewJoin(JoinBounds bounds, IntervalJoinType type = IntervalJoinType.Inner)
    {
        var output = new JoinCollector<int>();
        var op = new IntervalJoinOperator<int, Rec, Rec>(r => r.Key, r => r.Key, bounds, output, new IntervalJoinOptions<int, Rec, Rec> { JoinType = type });
        output.Watermark = () => op.Watermark;
        return (op, output);
    }

    public static void Apply(IntervalJoinOperator<int, Rec, Rec> op, JoinStep step)
    {
        var t = Instant.FromUnixTimeTicks(step.Ticks);
        switch (step.Kind)
        {
            case JoinStepKind.Left:
                op.OnLeft(new Rec(step.Key, step.Ticks, step.Id), t);
                break;
            case JoinStepKind.Right:
                op.OnRight(new Rec(step.Key, step.Ticks, step.Id), t);
                break;
            case JoinStepKind.LeftWatermark:
                op.OnLeftWatermark(t);
                break;
            default:
                op.OnRightWatermark(t);
                break;
        }
    }

    public static void Finish(IntervalJoinOperator<int, Rec, Rec> op)
    {
        op.OnLeftWatermark(Instant.MaxValue);
        op.OnRightWatermark(Instant.MaxValue);
    }
}
