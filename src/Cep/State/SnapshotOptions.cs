namespace Cep.State;

/// <summary>
/// How a <see cref="Operators.CepOperator{TKey, T}"/> writes the user values in its snapshots: the serializer of the
/// keys and the serializer of the events. Give it to the operator's constructor; an operator built without it uses
/// <see cref="StateSerializer.Default{T}"/> for both.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>A snapshot must be restored with serializers that read what the snapshotting operator's serializers wrote;
/// the snapshot does not record which serializers were used.</remarks>
/// <threadsafety>Read when the operator takes or restores a snapshot; do not change it afterwards.</threadsafety>
public sealed class SnapshotOptions<TKey, T>
{
    /// <summary>Gets or sets the serializer of the keys.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TKey"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TKey> KeySerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TKey>();

    /// <summary>Gets or sets the serializer of the events (buffered records and events held by partial matches).</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="T"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<T> EventSerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<T>();
}
