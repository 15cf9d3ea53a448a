namespace Cep.Joins.CoProcess;

/// <summary>
/// Declares the keyed states of a <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}"/>; given to
/// <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/>. Each method returns a handle that reads and writes the
/// state of whichever key is being processed when it is used.
/// </summary>
/// <threadsafety>Use it from <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/> only.</threadsafety>
public interface IKeyedStateRegistry
{
    /// <summary>Declares a value state.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="descriptor">The state's descriptor.</param>
    /// <returns>The handle of the state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentException">Another state with the same name was declared.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/> returned.</exception>
    IValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor);

    /// <summary>Declares a list state.</summary>
    /// <typeparam name="T">The type of the elements.</typeparam>
    /// <param name="descriptor">The state's descriptor.</param>
    /// <returns>The handle of the state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentException">Another state with the same name was declared.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/> returned.</exception>
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);

    /// <summary>Declares a map state.</summary>
    /// <typeparam name="TMapKey">The type of the map's keys.</typeparam>
    /// <typeparam name="TValue">The type of the map's values.</typeparam>
    /// <param name="descriptor">The state's descriptor.</param>
    /// <returns>The handle of the state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentException">Another state with the same name was declared.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/> returned.</exception>
    IMapState<TMapKey, TValue> GetMapState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
        where TMapKey : notnull;
}

/// <summary>One value per key. Expired values (see <see cref="StateTtl"/>) are never returned.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <remarks>Every member works on the key being processed, and throws <see cref="InvalidOperationException"/> outside
/// <c>ProcessElement1</c>, <c>ProcessElement2</c> and <c>OnTimer</c>.</remarks>
/// <threadsafety>Use it on the operator's thread, inside a callback.</threadsafety>
public interface IValueState<T>
{
    /// <summary>Gets the value of the current key.</summary>
    /// <param name="value">The value, or the default value if there is none.</param>
    /// <returns>True if the key has a value that has not expired; otherwise false.</returns>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    bool TryGetValue(out T value);

    /// <summary>Sets the value of the current key and restarts its time-to-live.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Update(T value);

    /// <summary>Removes the value of the current key.</summary>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Clear();
}

/// <summary>A list per key. With a time-to-live each element expires on its own; expired elements are never returned.</summary>
/// <typeparam name="T">The type of the elements.</typeparam>
/// <remarks>Every member works on the key being processed, and throws <see cref="InvalidOperationException"/> outside
/// <c>ProcessElement1</c>, <c>ProcessElement2</c> and <c>OnTimer</c>.</remarks>
/// <threadsafety>Use it on the operator's thread, inside a callback.</threadsafety>
public interface IListState<T>
{
    /// <summary>Gets a copy of the current key's elements that have not expired, in insertion order.</summary>
    /// <returns>The elements; empty if there are none.</returns>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    IReadOnlyList<T> Get();

    /// <summary>Appends an element to the current key's list.</summary>
    /// <param name="value">The element.</param>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Add(T value);

    /// <summary>Replaces the current key's list; every element gets a fresh time-to-live.</summary>
    /// <param name="values">The new elements; an empty sequence clears the list.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Update(IEnumerable<T> values);

    /// <summary>Removes the current key's list.</summary>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Clear();
}

/// <summary>A map per key. With a time-to-live each entry expires on its own; expired entries are never returned.</summary>
/// <typeparam name="TMapKey">The type of the map's keys.</typeparam>
/// <typeparam name="TValue">The type of the map's values.</typeparam>
/// <remarks>Every member works on the key being processed, and throws <see cref="InvalidOperationException"/> outside
/// <c>ProcessElement1</c>, <c>ProcessElement2</c> and <c>OnTimer</c>.</remarks>
/// <threadsafety>Use it on the operator's thread, inside a callback.</threadsafety>
public interface IMapState<TMapKey, TValue>
    where TMapKey : notnull
{
    /// <summary>Gets the value of one entry of the current key's map.</summary>
    /// <param name="mapKey">The entry's key.</param>
    /// <param name="value">The value, or the default value if there is none.</param>
    /// <returns>True if the entry exists and has not expired; otherwise false.</returns>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    bool TryGetValue(TMapKey mapKey, out TValue value);

    /// <summary>Adds or replaces one entry of the current key's map and restarts its time-to-live.</summary>
    /// <param name="mapKey">The entry's key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Put(TMapKey mapKey, TValue value);

    /// <summary>Removes one entry of the current key's map.</summary>
    /// <param name="mapKey">The entry's key.</param>
    /// <returns>True if a live entry was removed; otherwise false.</returns>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    bool Remove(TMapKey mapKey);

    /// <summary>Gets a copy of the current key's entries that have not expired, in no particular order.</summary>
    /// <returns>The entries; empty if there are none.</returns>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    IReadOnlyList<KeyValuePair<TMapKey, TValue>> Entries();

    /// <summary>Removes the current key's map.</summary>
    /// <exception cref="InvalidOperationException">Called outside a callback of the function.</exception>
    void Clear();
}
