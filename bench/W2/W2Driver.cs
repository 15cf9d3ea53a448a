using Cep.Bench.W1;
using Cep.Joins.Interval;
using NodaTime;

namespace Cep.Bench.W2;

/// <summary>Counts what the join emits; keeps nothing, so it allocates nothing.</summary>
public sealed class CountingJoinOutput : IIntervalJoinOutput<int, AdEvent, AdEvent>
{
    public long Pairs;
    public long UnmatchedLeft;
    public long UnmatchedRight;
    public long Late;

    public void OnJoined(int key, AdEvent left, Instant leftTimestamp, AdEvent right, Instant rightTimestamp, Instant timestamp) => Pairs++;

    public void OnUnmatchedLeft(int key, AdEvent left, Instant timestamp) => UnmatchedLeft++;

    public void OnUnmatchedRight(int key, AdEvent right, Instant timestamp) => UnmatchedRight++;

    public void OnLateLeft(int key, AdEvent left, Instant timestamp, Instant watermark) => Late++;

    public void OnLateRight(int key, AdEvent right, Instant timestamp, Instant watermark) => Late++;
}

/// <summary>
/// Drives an <see cref="IntervalJoinOperator{TKey, TLeft, TRight}"/> over the W1 events on one thread: exposures are the
/// left input, clicks the right input, both keyed by user, a click joining the exposures of its user in
/// [click - 5 min, click] (exposure ⋈ click with click in [exposure, exposure + 5 min], both ends inclusive). Watermarks as
/// in W1: after every <see cref="CepDriver{T}.DefaultWatermarkEvery"/> records, one millisecond below the last record's
/// timestamp, on both inputs; after the last record, <see cref="Instant.MaxValue"/> on both.
/// </summary>
public sealed class W2Driver
{
    private static readonly Duration OneMs = Duration.FromMilliseconds(1);

    public W2Driver(int watermarkEvery = CepDriver<AdEvent>.DefaultWatermarkEvery)
    {
        Operator = new IntervalJoinOperator<int, AdEvent, AdEvent>(
            e => e.User, e => e.User, JoinBounds.Between(Duration.Zero, W1Data.Window), Output);
        WatermarkEvery = watermarkEvery;
    }

    public int WatermarkEvery { get; }

    public CountingJoinOutput Output { get; } = new();

    public IntervalJoinOperator<int, AdEvent, AdEvent> Operator { get; }

    public void Run(AdEvent[] events, Instant[] timestamps)
    {
        var op = Operator;
        var every = WatermarkEvery;
        var untilWatermark = every;
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i].IsClick)
            {
                op.OnRight(events[i], timestamps[i]);
            }
            else
            {
                op.OnLeft(events[i], timestamps[i]);
            }

            if (--untilWatermark == 0)
            {
                var watermark = timestamps[i] - OneMs;
                op.OnLeftWatermark(watermark);
                op.OnRightWatermark(watermark);
                untilWatermark = every;
            }
        }

        op.OnLeftWatermark(Instant.MaxValue);
        op.OnRightWatermark(Instant.MaxValue);
    }
}
