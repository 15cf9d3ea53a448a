using System.Reactive.Concurrency;
using Cep.State;

namespace Cep.Joins.CoProcess;

/// <summary>Options of a <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/>.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <threadsafety>Read once when the operator is created; do not change it afterwards.</threadsafety>
public sealed class KeyedCoProcessOptions<TKey>
{
    /// <summary>
    /// Gets or sets the scheduler that supplies processing time: processing-time timers and processing-time state TTL
    /// need it. Tests pass a virtual-time scheduler such as System.Reactive's <c>HistoricalScheduler</c>.
    /// </summary>
    /// <value>The default value is null: no processing time.</value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>Gets or sets the serializer of the keys in snapshots.</summary>
    /// <value>The default value is <see cref="StateSerializer.Default{T}"/> of <typeparamref name="TKey"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IStateSerializer<TKey> KeySerializer
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = StateSerializer.Default<TKey>();
}
