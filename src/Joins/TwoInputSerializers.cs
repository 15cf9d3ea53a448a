using Cep.State;

namespace Cep.Joins;

/// <summary>
/// The snapshot serializers of a two-input join: keys, left records and right records. The options of each join
/// derive from it.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <threadsafety>Read once when an operator is created; do not change it afterwards.</threadsafety>
public abstract class TwoInputSerializers<TKey, TLeft, TRight>
{
    /// <summary>Gets or sets the serializer of keys in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TKey"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TKey> KeySerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TKey>();

    /// <summary>Gets or sets the serializer of left records in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TLeft"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TLeft> LeftSerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TLeft>();

    /// <summary>Gets or sets the serializer of right records in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TRight"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TRight> RightSerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TRight>();
}
