using NodaTime;

namespace Cep.Joins.AdAnalytics;

/// <summary>The parameters of <see cref="ValidClickFunction"/>.</summary>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record ValidClickOptions
{
    /// <summary>Gets the watching time after a click that makes it valid.</summary>
    /// <value>The default value is 6 minutes.</value>
    public Duration RequiredWatchTime { get; init; } = Duration.FromMinutes(6);

    /// <summary>Gets the interval between heartbeats: each heartbeat stands for this much watching.</summary>
    /// <value>The default value is 3 seconds.</value>
    public Duration HeartbeatInterval { get; init; } = Duration.FromSeconds(3);

    /// <summary>Gets how long a click waits for watching: after this it expires as not valid.</summary>
    /// <value>The default value is 3 hours.</value>
    public Duration ClickTtl { get; init; } = Duration.FromHours(3);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive, or the required watching time is longer than the click TTL.</exception>
    public void Validate()
    {
        Positive(RequiredWatchTime, nameof(RequiredWatchTime));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(ClickTtl, nameof(ClickTtl));
        if (RequiredWatchTime > ClickTtl)
        {
            throw new ArgumentOutOfRangeException(
                nameof(RequiredWatchTime), RequiredWatchTime, $"The required watching time cannot exceed the click TTL ({ClickTtl}): no click could be valid.");
        }
    }

    private static void Positive(Duration value, string name)
    {
        if (value <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive; it was {value}.");
        }
    }
}
