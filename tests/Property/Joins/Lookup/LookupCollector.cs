using Cep.Joins.Lookup;
using NodaTime;

namespace Cep.Tests.Joins.Lookup;

/// <summary>A record of the tests: an id (unique per run) and a lookup key; a negative key makes the key selector throw.</summary>
public sealed record Rec(int Id, int Key);

public enum EventKind
{
    Joined,
    Miss,
    Failed,
    Rejected,
    Watermark,
}

public sealed record LookupEvent(EventKind Kind, Rec? Record, Instant Time, string? Value = null, string? Reason = null, Exception? Error = null);

/// <summary>Records everything the operator emits, in order.</summary>
public sealed class LookupCollector : ILookupOutput<Rec, string>
{
    public List<LookupEvent> Events { get; } = [];

    public IEnumerable<LookupEvent> Results => Events.Where(e => e.Kind != EventKind.Watermark);

    public IEnumerable<Instant> Watermarks => Events.Where(e => e.Kind == EventKind.Watermark).Select(e => e.Time);

    public void OnJoined(Rec record, Instant timestamp, string value) => Events.Add(new(EventKind.Joined, record, timestamp, value));

    public void OnMiss(Rec record, Instant timestamp) => Events.Add(new(EventKind.Miss, record, timestamp));

    public void OnFailed(Rec record, Instant timestamp, LookupFailureReason reason, Exception error) =>
        Events.Add(new(EventKind.Failed, record, timestamp, null, reason.ToString(), error));

    public void OnRejected(Rec record, Instant timestamp, LookupRejectReason reason) =>
        Events.Add(new(EventKind.Rejected, record, timestamp, null, reason.ToString()));

    public void OnWatermark(Instant watermark) => Events.Add(new(EventKind.Watermark, null, watermark));
}
