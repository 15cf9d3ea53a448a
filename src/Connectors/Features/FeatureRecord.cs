using NodaTime;

namespace Cep.Connectors.Features;

/// <summary>
/// The features the ad engine logged for one key (typically a request id) at request time: an opaque, already
/// serialized value and the event time it was logged at. Feature stores expire it a TTL after that event time.
/// </summary>
/// <param name="Key">The key it is stored and looked up by; not null or empty.</param>
/// <param name="EventTime">When the features were logged (event time); expiry counts from here.</param>
/// <param name="Value">The serialized features.</param>
public sealed record FeatureRecord(string Key, Instant EventTime, ReadOnlyMemory<byte> Value);
