using Cep.Patterns;
using NodaTime;

namespace Cep.Bench.W1;

/// <summary>W1's event as a struct: no allocation per event anywhere in the pipeline.</summary>
public readonly record struct AdEvent(int User, bool IsClick);

/// <summary>The same event as a sealed class, for comparison with <see cref="AdEvent"/>.</summary>
public sealed class AdEventObject(int user, bool isClick)
{
    public int User { get; } = user;

    public bool IsClick { get; } = isClick;
}

/// <summary>
/// The W1 workload: 2,000,000 events at 0, 1, 2, ... ms since the Unix epoch; one <c>new Random(42)</c>; for each
/// event in order <c>user = rng.Next(10000)</c>, then <c>click = rng.Next(6) == 0</c>.
/// </summary>
public sealed class W1Data
{
    public const int DefaultEvents = 2_000_000;
    public const int Users = 10_000;
    public const int Seed = 42;
    public static readonly Duration Window = Duration.FromMinutes(5);
    public const long WindowMs = 5 * 60 * 1000;

    private W1Data(AdEvent[] events, Instant[] timestamps)
    {
        Events = events;
        Timestamps = timestamps;
    }

    /// <summary>Gets the events; event <c>i</c> has timestamp <c>i</c> ms.</summary>
    public AdEvent[] Events { get; }

    /// <summary>Gets the timestamps, precomputed so that the timed loops do not convert.</summary>
    public Instant[] Timestamps { get; }

    public int Count => Events.Length;

    /// <summary>Generates W1; <paramref name="users"/> other than <see cref="Users"/> is a diagnostic variant (fewer keys, same rules).</summary>
    public static W1Data Generate(int count = DefaultEvents, int users = Users)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(users, Users);
        var rng = new Random(Seed);
        var events = new AdEvent[count];
        var timestamps = new Instant[count];
        for (var i = 0; i < count; i++)
        {
            var user = rng.Next(users);
            var click = rng.Next(6) == 0;
            events[i] = new AdEvent(user, click);
            timestamps[i] = Instant.FromUnixTimeMilliseconds(i);
        }

        return new W1Data(events, timestamps);
    }

    public AdEventObject[] ToObjects()
    {
        var objects = new AdEventObject[Events.Length];
        for (var i = 0; i < objects.Length; i++)
        {
            objects[i] = new AdEventObject(Events[i].User, Events[i].IsClick);
        }

        return objects;
    }

    public static Pattern<AdEvent> Pattern() =>
        Cep.Patterns.Pattern.Begin<AdEvent>("exposure").Where(e => !e.IsClick)
            .FollowedBy("click").Where(e => e.IsClick)
            .Within(Window);

    public static Pattern<AdEventObject> ObjectPattern() =>
        Cep.Patterns.Pattern.Begin<AdEventObject>("exposure").Where(e => !e.IsClick)
            .FollowedBy("click").Where(e => e.IsClick)
            .Within(Window);
}
