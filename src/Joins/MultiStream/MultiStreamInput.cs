namespace Cep.Joins.MultiStream;

/// <summary>One input of a <see cref="MultiStreamJoinOperator{TKey, TEvent}"/>: its name and how to read a record's key.</summary>
/// <typeparam name="TKey">The key type, e.g. a (user, item) tuple.</typeparam>
/// <typeparam name="TEvent">The record type shared by all inputs (a common base type or a union type).</typeparam>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed class MultiStreamInput<TKey, TEvent>
{
    /// <summary>Creates an input.</summary>
    /// <param name="name">The input's name, e.g. "click"; unique within an operator.</param>
    /// <param name="keySelector">Reads a record's key; records of all inputs with equal keys are combined.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public MultiStreamInput(string name, Func<TEvent, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keySelector);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An input needs a non-blank name.", nameof(name));
        }

        Name = name;
        KeySelector = keySelector;
    }

    /// <summary>Gets the input's name.</summary>
    public string Name { get; }

    /// <summary>Gets the key selector.</summary>
    public Func<TEvent, TKey> KeySelector { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
