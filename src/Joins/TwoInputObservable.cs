using Cep.Reactive;

namespace Cep.Joins;

/// <summary>An observable over two event-time streams that runs a new <see cref="TwoInputSink{TLeft, TRight, TOut}"/>
/// (with its own operator) per subscription.</summary>
/// <typeparam name="TLeft">The record type of the left stream.</typeparam>
/// <typeparam name="TRight">The record type of the right stream.</typeparam>
/// <typeparam name="TOut">The notification type.</typeparam>
/// <param name="left">The left stream.</param>
/// <param name="right">The right stream.</param>
/// <param name="createSink">Creates the sink (and its operator) of one subscriber.</param>
/// <threadsafety>Immutable; <see cref="Subscribe"/> may be called from any thread.</threadsafety>
internal sealed class TwoInputObservable<TLeft, TRight, TOut>(
    EventStream<TLeft> left, EventStream<TRight> right, Func<IObserver<TOut>, TwoInputSink<TLeft, TRight, TOut>> createSink)
    : IObservable<TOut>
{
    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<TOut> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = createSink(observer);
        sink.Subscribe(left, right);
        return sink;
    }
}
