using System.Globalization;
using NodaTime;

namespace CtrSession;

/// <summary>When the features of a request reach the feature pipeline.</summary>
public enum FeatureArrivalKind
{
    /// <summary>Within the ad stream's out-of-orderness bound after their event time: before the exposure can be matched.</summary>
    OnTime,

    /// <summary>Between <see cref="FeatureStreamOptions.LateMin"/> and <see cref="FeatureStreamOptions.LateMax"/> after their event time.</summary>
    Late,

    /// <summary>Never (the ad engine's log record was lost).</summary>
    Never,
}

/// <summary>
/// The features the ad engine logged for one request, at request time: the request id (the feature key), the event
/// time (a little before the exposure), the value, and when the record reaches the pipeline (null: never).
/// </summary>
public sealed record FeatureArrival(
    long ExposureId, string Key, Instant EventTime, FeatureArrivalKind Kind, Instant? Arrival, byte[] Value)
{
    /// <summary>The feature key (request id) of an exposure.</summary>
    public static string KeyOf(long exposureId) => "req-" + exposureId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Knobs of the synthetic feature stream.</summary>
public sealed record FeatureStreamOptions
{
    public int Seed { get; init; } = 11;

    /// <summary>Share of requests whose features arrive late.</summary>
    public double LateShare { get; init; } = 0.06;

    /// <summary>Share of requests whose features never arrive.</summary>
    public double NeverShare { get; init; } = 0.03;

    public Duration LateMin { get; init; } = Duration.FromSeconds(30);

    public Duration LateMax { get; init; } = Duration.FromMinutes(20);

    /// <summary>The features' event time is up to this much before the exposure (at least 1 ms).</summary>
    public Duration MaxLead { get; init; } = Duration.FromMilliseconds(50);

    public int ValueBytes { get; init; } = 100;
}

/// <summary>
/// A deterministic synthetic feature stream: one record per exposure of an ad stream. On-time records arrive within
/// the ad stream's out-of-orderness bound after their event time, late ones 30 s to 20 min after, and some never.
/// </summary>
public static class FeatureStream
{
    /// <summary>Generates the features of every exposure of <paramref name="ads"/>, sorted by arrival (never-arriving
    /// records last), ties in exposure order.</summary>
    /// <param name="ads">The ad stream.</param>
    /// <param name="outOfOrderness">The ad stream's bound: on-time records arrive up to this much after their event time.</param>
    /// <param name="options">The knobs.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shares are not in [0, 1] or sum above 1, or the durations are out of order.</exception>
    public static List<FeatureArrival> Generate(IEnumerable<AdEvent> ads, Duration outOfOrderness, FeatureStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(ads);
        ArgumentNullException.ThrowIfNull(options);
        if (options.LateShare is < 0 or > 1 || options.NeverShare is < 0 or > 1 || options.LateShare + options.NeverShare > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"LateShare ({options.LateShare}) and NeverShare ({options.NeverShare}) must be in [0, 1] and sum to at most 1.");
        }

        if (options.LateMin <= outOfOrderness || options.LateMax < options.LateMin || options.MaxLead < Duration.FromMilliseconds(1) || options.ValueBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Need out-of-orderness < LateMin <= LateMax, MaxLead >= 1 ms and ValueBytes >= 0.");
        }

        var rng = new Random(options.Seed);
        var boundMs = (long)outOfOrderness.TotalMilliseconds;
        var leadMs = (long)options.MaxLead.TotalMilliseconds;
        var lateMinMs = (long)options.LateMin.TotalMilliseconds;
        var lateSpanMs = (long)options.LateMax.TotalMilliseconds - lateMinMs;
        var result = new List<FeatureArrival>();
        foreach (var e in ads.Where(e => e.IsExposure).OrderBy(e => e.Id))
        {
            var eventTime = e.Timestamp - Duration.FromMilliseconds(1 + rng.NextInt64(leadMs));
            var value = new byte[options.ValueBytes];
            rng.NextBytes(value);
            var draw = rng.NextDouble();
            var (kind, arrival) = draw < options.NeverShare
                ? (FeatureArrivalKind.Never, (Instant?)null)
                : draw < options.NeverShare + options.LateShare
                    ? (FeatureArrivalKind.Late, eventTime + Duration.FromMilliseconds(lateMinMs + rng.NextInt64(lateSpanMs + 1)))
                    : (FeatureArrivalKind.OnTime, eventTime + Duration.FromMilliseconds(rng.NextInt64(boundMs + 1)));
            result.Add(new FeatureArrival(e.Id, FeatureArrival.KeyOf(e.Id), eventTime, kind, arrival, value));
        }

        return [.. result.OrderBy(f => f.Arrival ?? Instant.MaxValue).ThenBy(f => f.ExposureId)];
    }
}
