using NodaTime;

namespace Cep.Connectors.Features;

/// <summary>
/// The rules every <see cref="IFeatureStore"/> shares: argument checks (all done before anything is written) and
/// visibility (a record is visible while <c>now &lt; eventTime + ttl</c>).
/// </summary>
internal static class FeatureStoreRules
{
    /// <summary>Throws unless <paramref name="ttl"/> is positive.</summary>
    public static Duration CheckTtl(Duration ttl, string paramName) =>
        ttl > Duration.Zero ? ttl : throw new ArgumentOutOfRangeException(paramName, ttl, $"The feature TTL must be positive; it was {ttl}.");

    /// <summary>Throws if <paramref name="key"/> is null or empty.</summary>
    public static void CheckKey(string? key, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"A feature key must not be {(key is null ? "null" : "empty")}.", paramName);
        }
    }

    /// <summary>Checks a whole write batch before any of it is written.</summary>
    public static void CheckRecords(IReadOnlyList<FeatureRecord> records, string paramName)
    {
        ArgumentNullException.ThrowIfNull(records, paramName);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"The record at index {i} of the batch is null.", paramName);
            if (string.IsNullOrEmpty(record.Key))
            {
                throw new ArgumentException(
                    $"The record at index {i} of the batch has a {(record.Key is null ? "null" : "empty")} key; nothing of the batch was written.", paramName);
            }
        }
    }

    /// <summary>Checks a lookup batch.</summary>
    public static void CheckKeys(IReadOnlyList<string> keys, string paramName)
    {
        ArgumentNullException.ThrowIfNull(keys, paramName);
        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys[i]))
            {
                throw new ArgumentException($"The key at index {i} of the lookup is {(keys[i] is null ? "null" : "empty")}.", paramName);
            }
        }
    }

    /// <summary>Whether a record logged at <paramref name="eventTime"/> is still visible at <paramref name="now"/>.</summary>
    public static bool IsVisible(Instant eventTime, Duration ttl, Instant now) => now - eventTime < ttl;

    /// <summary>Whether a record logged at <paramref name="eventTicks"/> (Unix ticks) is still visible at <paramref name="nowTicks"/>.</summary>
    /// <remarks>The subtraction cannot overflow: every <see cref="Instant"/> is within ±3.2e18 ticks of the epoch.</remarks>
    public static bool IsVisible(long eventTicks, long ttlTicks, long nowTicks) => nowTicks - eventTicks < ttlTicks;
}
