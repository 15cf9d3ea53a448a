using NodaTime;

namespace Cep.Joins.AdAnalytics;

/// <summary>A click of a user on a title (for example an ad or a recommendation that starts playback).</summary>
/// <param name="UserId">The user.</param>
/// <param name="TitleId">The clicked title.</param>
/// <param name="Timestamp">When the click happened (event time).</param>
/// <param name="ClickId">An optional identifier for tracing; not used by the computation.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record Click(string UserId, string TitleId, Instant Timestamp, string? ClickId = null)
{
    /// <summary>Gets the key clicks and heartbeats are joined by.</summary>
    public WatchKey Key => new(UserId, TitleId);
}

/// <summary>A play heartbeat: sent periodically (every 3 seconds by default) while a user watches a title.</summary>
/// <param name="UserId">The user.</param>
/// <param name="TitleId">The title being watched.</param>
/// <param name="Timestamp">When the heartbeat was sent (event time).</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record PlayHeartbeat(string UserId, string TitleId, Instant Timestamp)
{
    /// <summary>Gets the key clicks and heartbeats are joined by.</summary>
    public WatchKey Key => new(UserId, TitleId);
}

/// <summary>The key of the valid-click join: one user and one title.</summary>
/// <param name="UserId">The user.</param>
/// <param name="TitleId">The title.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public readonly record struct WatchKey(string UserId, string TitleId);

/// <summary>The verdict on one click.</summary>
/// <param name="Click">The click.</param>
/// <param name="IsValid">True if the user watched at least the required time after the click.</param>
/// <param name="Watched">The watching time counted for the click when the verdict was made: at least the required
/// time for a valid click (counted up to the heartbeat that reached it), the total within the click's lifetime for a click
/// that is not valid.</param>
/// <param name="DecidedAt">The event time of the decision: the timestamp of the record that made the click valid, or the
/// click's expiry (click time + click TTL) for a click that is not valid.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record ClickVerdict(Click Click, bool IsValid, Duration Watched, Instant DecidedAt);

/// <summary>A click waiting for its verdict, with the watching time counted so far; the state of <see cref="ValidClickFunction"/>.</summary>
/// <param name="Click">The click.</param>
/// <param name="WatchedTicks">The watching time counted so far, in ticks.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record PendingClick(Click Click, long WatchedTicks);
