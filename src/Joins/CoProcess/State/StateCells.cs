using Cep.Time;

namespace Cep.Joins.CoProcess;

/// <summary>The values of one keyed state of one key, with the write stamp of each value.</summary>
internal interface IStateCell
{
    /// <summary>Gets the number of values held (1 for a set value state), expired ones not yet removed included.</summary>
    int Count { get; }

    /// <summary>Removes every value whose stamp plus <paramref name="ttlTicks"/> is at or below <paramref name="now"/>.</summary>
    /// <returns>The number of values removed.</returns>
    int Purge(long ttlTicks, long now);

    /// <summary>Gets the stamps of the values held, to rebuild the cleanup queue after a restore.</summary>
    IEnumerable<long> Stamps { get; }
}

internal static class Ttl
{
    /// <summary>Tells whether a value stamped <paramref name="stamp"/> has expired at <paramref name="now"/>.</summary>
    public static bool Expired(long stamp, long ttlTicks, long now) => EventTicks.Plus(stamp, ttlTicks) <= now;
}

internal sealed class ValueCell<T> : IStateCell
{
    public bool Has;
    public T Value = default!;
    public long Stamp;

    public int Count => Has ? 1 : 0;

    public IEnumerable<long> Stamps => Has ? [Stamp] : [];

    public int Purge(long ttlTicks, long now)
    {
        if (!Has || !Ttl.Expired(Stamp, ttlTicks, now))
        {
            return 0;
        }

        Has = false;
        Value = default!;
        return 1;
    }
}

internal sealed class ListCell<T> : IStateCell
{
    public readonly List<(T Value, long Stamp)> Items = [];

    public int Count => Items.Count;

    public IEnumerable<long> Stamps => Items.Select(static i => i.Stamp);

    public int Purge(long ttlTicks, long now) => Items.RemoveAll(i => Ttl.Expired(i.Stamp, ttlTicks, now));
}

internal sealed class MapCell<TMapKey, TValue> : IStateCell
    where TMapKey : notnull
{
    public readonly Dictionary<TMapKey, (TValue Value, long Stamp)> Entries = [];

    public int Count => Entries.Count;

    public IEnumerable<long> Stamps => Entries.Values.Select(static e => e.Stamp);

    public int Purge(long ttlTicks, long now)
    {
        List<TMapKey>? expired = null;
        foreach (var (key, (_, stamp)) in Entries)
        {
            if (Ttl.Expired(stamp, ttlTicks, now))
            {
                (expired ??= []).Add(key);
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (var key in expired)
        {
            Entries.Remove(key);
        }

        return expired.Count;
    }
}
