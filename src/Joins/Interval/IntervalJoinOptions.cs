using Cep.State;

namespace Cep.Joins.Interval;

/// <summary>Options of an <see cref="IntervalJoinOperator{TKey, TLeft, TRight}"/>: the join type, key equality and snapshot serializers.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TLeft">The left record type.</typeparam>
/// <typeparam name="TRight">The right record type.</typeparam>
/// <threadsafety>Read when the operator is created (and the serializers when it takes or restores a snapshot); do not change it afterwards.</threadsafety>
public sealed class IntervalJoinOptions<TKey, TLeft, TRight> : TwoInputSerializers<TKey, TLeft, TRight>
{
    /// <summary>Gets or sets which unmatched records are reported.</summary>
    /// <value>The default value is <see cref="IntervalJoinType.Inner"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="IntervalJoinType"/>.</exception>
    public IntervalJoinType JoinType
    {
        get;
        set => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not an interval join type.");
    } = IntervalJoinType.Inner;

    /// <summary>Gets or sets the equality of keys, or null for <see cref="EqualityComparer{T}.Default"/>.</summary>
    /// <value>The default value is null.</value>
    public IEqualityComparer<TKey>? KeyComparer { get; set; }
}
