namespace Cep.Joins.CoProcess;

/// <summary>What a state handle needs from its operator: the current key's cells and the clocks.</summary>
internal interface IStateBackend
{
    /// <summary>Gets the current key's cell of state <paramref name="index"/>, or null if it has none.</summary>
    /// <exception cref="InvalidOperationException">No key is being processed.</exception>
    IStateCell? Cell(int index);

    /// <summary>Gets the current key's cell of state <paramref name="index"/>, creating it if needed.</summary>
    /// <exception cref="InvalidOperationException">No key is being processed.</exception>
    IStateCell GetOrCreateCell(int index);

    /// <summary>Gets the time expiry is checked against: the watermark, or the scheduler's now.</summary>
    long ExpiryNow(TimeDomain domain);

    /// <summary>Gets the stamp of a value written now: the current record's or timer's timestamp, or the scheduler's now.</summary>
    long StampNow(TimeDomain domain);

    /// <summary>Tells the operator a value of state <paramref name="index"/> was stamped, so it can clean it up when it expires.</summary>
    void Written(int index, long stamp);
}

/// <summary>The shared part of the handles: the backend, the state's index and its time-to-live.</summary>
internal abstract class StateHandle(IStateBackend backend, int index, StateTtl? ttl)
{
    protected IStateBackend Backend => backend;

    protected int Index => index;

    protected bool Live(long stamp) => ttl is null || !Ttl.Expired(stamp, ttl.TtlTicks, backend.ExpiryNow(ttl.Domain));

    protected long Stamp()
    {
        if (ttl is null)
        {
            return 0;
        }

        var stamp = backend.StampNow(ttl.Domain);
        backend.Written(index, stamp);
        return stamp;
    }
}

internal sealed class ValueStateHandle<T>(IStateBackend backend, int index, StateTtl? ttl) : StateHandle(backend, index, ttl), IValueState<T>
{
    public bool TryGetValue(out T value)
    {
        if (Backend.Cell(Index) is ValueCell<T> { Has: true } cell && Live(cell.Stamp))
        {
            value = cell.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Update(T value)
    {
        var cell = (ValueCell<T>)Backend.GetOrCreateCell(Index);
        cell.Has = true;
        cell.Value = value;
        cell.Stamp = Stamp();
    }

    public void Clear()
    {
        if (Backend.Cell(Index) is ValueCell<T> cell)
        {
            cell.Has = false;
            cell.Value = default!;
        }
    }
}

internal sealed class ListStateHandle<T>(IStateBackend backend, int index, StateTtl? ttl) : StateHandle(backend, index, ttl), IListState<T>
{
    public IReadOnlyList<T> Get()
    {
        if (Backend.Cell(Index) is not ListCell<T> cell || cell.Items.Count == 0)
        {
            return [];
        }

        var result = new List<T>(cell.Items.Count);
        foreach (var (value, stamp) in cell.Items)
        {
            if (Live(stamp))
            {
                result.Add(value);
            }
        }

        return result;
    }

    public void Add(T value) => ((ListCell<T>)Backend.GetOrCreateCell(Index)).Items.Add((value, Stamp()));

    public void Update(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var items = values.ToList();
        var cell = (ListCell<T>)Backend.GetOrCreateCell(Index);
        cell.Items.Clear();
        foreach (var value in items)
        {
            cell.Items.Add((value, Stamp()));
        }
    }

    public void Clear() => (Backend.Cell(Index) as ListCell<T>)?.Items.Clear();
}

internal sealed class MapStateHandle<TMapKey, TValue>(IStateBackend backend, int index, StateTtl? ttl)
    : StateHandle(backend, index, ttl), IMapState<TMapKey, TValue>
    where TMapKey : notnull
{
    public bool TryGetValue(TMapKey mapKey, out TValue value)
    {
        if (Backend.Cell(Index) is MapCell<TMapKey, TValue> cell && cell.Entries.TryGetValue(mapKey, out var entry) && Live(entry.Stamp))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Put(TMapKey mapKey, TValue value) => ((MapCell<TMapKey, TValue>)Backend.GetOrCreateCell(Index)).Entries[mapKey] = (value, Stamp());

    public bool Remove(TMapKey mapKey) =>
        Backend.Cell(Index) is MapCell<TMapKey, TValue> cell && cell.Entries.Remove(mapKey, out var entry) && Live(entry.Stamp);

    public IReadOnlyList<KeyValuePair<TMapKey, TValue>> Entries()
    {
        if (Backend.Cell(Index) is not MapCell<TMapKey, TValue> cell || cell.Entries.Count == 0)
        {
            return [];
        }

        var result = new List<KeyValuePair<TMapKey, TValue>>(cell.Entries.Count);
        foreach (var (key, (value, stamp)) in cell.Entries)
        {
            if (Live(stamp))
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }

    public void Clear() => (Backend.Cell(Index) as MapCell<TMapKey, TValue>)?.Entries.Clear();
}
