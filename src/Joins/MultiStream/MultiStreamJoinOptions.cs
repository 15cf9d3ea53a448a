using Cep.State;

namespace Cep.Joins.MultiStream;

/// <summary>Options of a <see cref="MultiStreamJoinOperator{TKey, TEvent}"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TEvent">The record type.</typeparam>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class MultiStreamJoinOptions<TKey, TEvent>
{
    /// <summary>
    /// Gets or sets the names of the inputs that make a row complete. When set, a key's window is emitted as a
    /// <see cref="JoinedRowKind.Complete"/> row as soon as each of these inputs has a record in it, before the window
    /// closes. Records that arrive after that are still collected (and counted in
    /// <see cref="MultiStreamJoinCounters.RecordsAfterEarlyEmit"/>); when the window closes, a
    /// <see cref="JoinedRowKind.Update"/> row with everything is emitted if there were any, and nothing otherwise.
    /// </summary>
    /// <value>The default value is null: rows are emitted only when their window closes.</value>
    public IReadOnlyCollection<string>? EmitWhenComplete { get; set; }

    /// <summary>Gets or sets the serializer of the keys in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TKey"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TKey> KeySerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TKey>();

    /// <summary>Gets or sets the serializer of the records in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TEvent"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TEvent> EventSerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TEvent>();
}
