using NodaTime;

namespace Cep.Time;

/// <summary>
/// The generator behind <see cref="WatermarkStrategy"/>: watermark = max timestamp seen − bound − 1 tick,
/// with optional idleness measured on a processing-time clock.
/// </summary>
/// <threadsafety>Mutable and not thread-safe.</threadsafety>
internal sealed class BoundedOutOfOrdernessGenerator : IWatermarkGenerator
{
    private static readonly Duration OneTick = Duration.FromTicks(1);

    private readonly Duration _bound;
    private readonly IClock? _clock;
    private readonly Duration _idleTimeout;
    private Instant _watermark = Instant.MinValue;
    private Instant _maxTimestamp = Instant.MinValue;
    private Instant _lastActivity;

    /// <param name="bound">Non-negative out-of-orderness bound (validated by the strategy).</param>
    /// <param name="clock">Processing-time clock, or null for no idleness.</param>
    /// <param name="idleTimeout">Positive idle timeout; ignored when <paramref name="clock"/> is null.</param>
    internal BoundedOutOfOrdernessGenerator(Duration bound, IClock? clock, Duration idleTimeout)
    {
        _bound = bound;
        _clock = clock;
        _idleTimeout = idleTimeout;
        _lastActivity = clock?.GetCurrentInstant() ?? Instant.MinValue;
    }

    public Instant CurrentWatermark => _watermark;

    public bool IsIdle => _clock is not null && _clock.GetCurrentInstant() - _lastActivity >= _idleTimeout;

    public Instant? IdleDeadline => _clock is null ? null : SaturatingPlus(_lastActivity, _idleTimeout);

    public bool OnEvent(Instant timestamp)
    {
        if (_clock is not null)
        {
            _lastActivity = _clock.GetCurrentInstant();
        }

        if (timestamp <= _maxTimestamp)
        {
            return false;
        }

        _maxTimestamp = timestamp;
        var candidate = WatermarkFor(timestamp, _bound);
        if (candidate <= _watermark)
        {
            return false;
        }

        _watermark = candidate;
        return true;
    }

    /// <summary>Computes max − bound − 1 tick, clamped to <see cref="Instant.MinValue"/>.</summary>
    internal static Instant WatermarkFor(Instant maxTimestamp, Duration bound)
    {
        // Room above MinValue always fits in a Duration (the Instant range is narrower than Duration's).
        var room = maxTimestamp - Instant.MinValue;
        return room - OneTick < bound ? Instant.MinValue : maxTimestamp - bound - OneTick;
    }

    private static Instant SaturatingPlus(Instant instant, Duration duration) =>
        Instant.MaxValue - instant <= duration ? Instant.MaxValue : instant + duration;
}
