using Cep.Time;
using FsCheck;
using FsCheck.Xunit;
using NodaTime;

namespace Cep.Tests.Time;

public class WatermarkProperties
{
    private static readonly Instant T0 = Instant.FromUtc(2024, 5, 1, 12, 0, 0);
    private static readonly Duration OneTick = Duration.FromTicks(1);

    /// <summary>
    /// For any sequence of (out-of-order) timestamps, the watermark is max − bound − 1 tick after every record,
    /// never decreases, reports its advances, and never makes a record at most bound behind the newest late.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool BoundedOutOfOrderness_MatchesOracle(int[] offsetsMs, NonNegativeInt boundMs)
    {
        var bound = Duration.FromMilliseconds(boundMs.Get % 10_000);
        var generator = WatermarkStrategy.BoundedOutOfOrderness(bound).CreateGenerator();
        Instant? max = null;
        var previous = generator.CurrentWatermark;
        foreach (var offset in offsetsMs ?? [])
        {
            var timestamp = T0 + Duration.FromMilliseconds(offset % 1_000_000);
            max = max is { } m && m >= timestamp ? m : timestamp;
            var advanced = generator.OnEvent(timestamp);
            var current = generator.CurrentWatermark;
            if (current != max.Value - bound - OneTick
                || current < previous
                || advanced != (current > previous)
                || max.Value - bound <= current)
            {
                return false;
            }

            previous = current;
        }

        return max is not null || generator.CurrentWatermark == Instant.MinValue;
    }

    /// <summary>
    /// For any sequence of updates, idle and active marks, the combined watermark equals the oracle
    /// (the highest minimum over the active inputs so far), never decreases, and reports its advances.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Tracker_MatchesOracle(PositiveInt inputs, uint[] operations)
    {
        var n = (inputs.Get % 5) + 1;
        var tracker = new WatermarkTracker(n);
        var watermarks = Enumerable.Repeat(Instant.MinValue, n).ToArray();
        var idle = new bool[n];
        var expected = Instant.MinValue;

        foreach (var op in operations ?? [])
        {
            var input = (int)(op / 3 % (uint)n);
            var before = tracker.Current;
            bool advanced;
            switch (op % 3)
            {
                case 0:
                    var value = T0 + Duration.FromSeconds(op / 16 % 1000);
                    advanced = tracker.Update(input, value);
                    watermarks[input] = value > watermarks[input] ? value : watermarks[input];
                    break;
                case 1:
                    advanced = tracker.MarkIdle(input);
                    idle[input] = true;
                    break;
                default:
                    advanced = tracker.MarkActive(input);
                    idle[input] = false;
                    break;
            }

            var active = watermarks.Where((_, i) => !idle[i]).ToArray();
            if (active.Length > 0 && active.Min() > expected)
            {
                expected = active.Min();
            }

            if (tracker.Current != expected
                || tracker.Current < before
                || advanced != (tracker.Current > before)
                || tracker.AllIdle != idle.All(x => x))
            {
                return false;
            }
        }

        return true;
    }
}
