using Cep.State;

namespace Cep.Joins.CoProcess;

/// <summary>What kind of keyed state a <see cref="StateDescriptor"/> declares.</summary>
public enum StateKind
{
    /// <summary>One value per key: <see cref="IValueState{T}"/>.</summary>
    Value,

    /// <summary>A list of values per key: <see cref="IListState{T}"/>.</summary>
    List,

    /// <summary>A map per key: <see cref="IMapState{TMapKey, TValue}"/>.</summary>
    Map,
}

/// <summary>
/// Declares one keyed state of a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>: its name (unique within the
/// function), its kind, an optional time-to-live and the serializers its snapshots use.
/// </summary>
/// <remarks>A function declares its states in <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/>, so an operator
/// knows every state before its first record or its <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}.Restore"/>.</remarks>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public abstract class StateDescriptor
{
    private protected StateDescriptor(string name, StateTtl? ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Ttl = ttl;
    }

    /// <summary>Gets the name of the state, unique within its function.</summary>
    public string Name { get; }

    /// <summary>Gets the time-to-live of the state's values, or null if they live until cleared.</summary>
    public StateTtl? Ttl { get; }

    /// <summary>Gets the kind of the state.</summary>
    public abstract StateKind Kind { get; }

    internal abstract IStateCell CreateCell();

    internal abstract void WriteCell(SnapshotWriter writer, IStateCell cell);

    internal abstract IStateCell ReadCell(ref SnapshotReader reader);

    /// <inheritdoc/>
    public override string ToString() => Ttl is null ? $"{Kind} state '{Name}'" : $"{Kind} state '{Name}' (TTL {Ttl.Ttl} in {Ttl.Domain})";
}

/// <summary>Declares a value state: one value per key.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class ValueStateDescriptor<T> : StateDescriptor
{
    /// <summary>Initializes a value-state descriptor.</summary>
    /// <param name="name">The state's name, unique within its function.</param>
    /// <param name="ttl">The time-to-live of the value, or null for none.</param>
    /// <param name="serializer">The serializer of the value in snapshots; <see cref="StateSerializer.Default{T}"/> if null.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public ValueStateDescriptor(string name, StateTtl? ttl = null, IStateSerializer<T>? serializer = null)
        : base(name, ttl) => Serializer = serializer ?? StateSerializer.Default<T>();

    /// <summary>Gets the serializer of the value.</summary>
    public IStateSerializer<T> Serializer { get; }

    /// <inheritdoc/>
    public override StateKind Kind => StateKind.Value;

    internal override IStateCell CreateCell() => new ValueCell<T>();

    internal override void WriteCell(SnapshotWriter writer, IStateCell cell)
    {
        var c = (ValueCell<T>)cell;
        writer.WriteInt64(c.Stamp);
        writer.WriteValue(Serializer, c.Value);
    }

    internal override IStateCell ReadCell(ref SnapshotReader reader)
    {
        var stamp = reader.ReadInt64("value stamp");
        return new ValueCell<T> { Has = true, Stamp = stamp, Value = reader.ReadValue(Serializer, $"value of state '{Name}'") };
    }
}

/// <summary>Declares a list state: a list of values per key; with a time-to-live each element expires on its own.</summary>
/// <typeparam name="T">The type of the elements.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class ListStateDescriptor<T> : StateDescriptor
{
    /// <summary>Initializes a list-state descriptor.</summary>
    /// <param name="name">The state's name, unique within its function.</param>
    /// <param name="ttl">The time-to-live of each element, or null for none.</param>
    /// <param name="serializer">The serializer of the elements in snapshots; <see cref="StateSerializer.Default{T}"/> if null.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public ListStateDescriptor(string name, StateTtl? ttl = null, IStateSerializer<T>? serializer = null)
        : base(name, ttl) => Serializer = serializer ?? StateSerializer.Default<T>();

    /// <summary>Gets the serializer of the elements.</summary>
    public IStateSerializer<T> Serializer { get; }

    /// <inheritdoc/>
    public override StateKind Kind => StateKind.List;

    internal override IStateCell CreateCell() => new ListCell<T>();

    internal override void WriteCell(SnapshotWriter writer, IStateCell cell)
    {
        var c = (ListCell<T>)cell;
        writer.WriteCount(c.Items.Count);
        foreach (var (value, stamp) in c.Items)
        {
            writer.WriteInt64(stamp);
            writer.WriteValue(Serializer, value);
        }
    }

    internal override IStateCell ReadCell(ref SnapshotReader reader)
    {
        var c = new ListCell<T>();
        var count = reader.ReadItemCount($"number of elements of state '{Name}'");
        for (var i = 0; i < count; i++)
        {
            var stamp = reader.ReadInt64("element stamp");
            c.Items.Add((reader.ReadValue(Serializer, $"element of state '{Name}'"), stamp));
        }

        return c;
    }
}

/// <summary>Declares a map state: a map per key; with a time-to-live each entry expires on its own.</summary>
/// <typeparam name="TMapKey">The type of the map's keys.</typeparam>
/// <typeparam name="TValue">The type of the map's values.</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class MapStateDescriptor<TMapKey, TValue> : StateDescriptor
    where TMapKey : notnull
{
    /// <summary>Initializes a map-state descriptor.</summary>
    /// <param name="name">The state's name, unique within its function.</param>
    /// <param name="ttl">The time-to-live of each entry, or null for none.</param>
    /// <param name="keySerializer">The serializer of the map's keys; <see cref="StateSerializer.Default{T}"/> if null.</param>
    /// <param name="valueSerializer">The serializer of the map's values; <see cref="StateSerializer.Default{T}"/> if null.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public MapStateDescriptor(string name, StateTtl? ttl = null, IStateSerializer<TMapKey>? keySerializer = null, IStateSerializer<TValue>? valueSerializer = null)
        : base(name, ttl)
    {
        KeySerializer = keySerializer ?? StateSerializer.Default<TMapKey>();
        ValueSerializer = valueSerializer ?? StateSerializer.Default<TValue>();
    }

    /// <summary>Gets the serializer of the map's keys.</summary>
    public IStateSerializer<TMapKey> KeySerializer { get; }

    /// <summary>Gets the serializer of the map's values.</summary>
    public IStateSerializer<TValue> ValueSerializer { get; }

    /// <inheritdoc/>
    public override StateKind Kind => StateKind.Map;

    internal override IStateCell CreateCell() => new MapCell<TMapKey, TValue>();

    internal override void WriteCell(SnapshotWriter writer, IStateCell cell)
    {
        var c = (MapCell<TMapKey, TValue>)cell;
        writer.WriteCount(c.Entries.Count);
        foreach (var (key, (value, stamp)) in c.Entries)
        {
            writer.WriteInt64(stamp);
            writer.WriteValue(KeySerializer, key);
            writer.WriteValue(ValueSerializer, value);
        }
    }

    internal override IStateCell ReadCell(ref SnapshotReader reader)
    {
        var c = new MapCell<TMapKey, TValue>();
        var count = reader.ReadItemCount($"number of entries of state '{Name}'");
        for (var i = 0; i < count; i++)
        {
            var stamp = reader.ReadInt64("entry stamp");
            var key = reader.ReadValue(KeySerializer, $"map key of state '{Name}'");
            var value = reader.ReadValue(ValueSerializer, $"map value of state '{Name}'");
            if (key is null || !c.Entries.TryAdd(key, (value, stamp)))
            {
                throw new SnapshotFormatException($"Corrupt snapshot: state '{Name}' has a null or repeated map key '{key}'", reader.Position);
            }
        }

        return c;
    }
}
