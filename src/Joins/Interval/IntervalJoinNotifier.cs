using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>Turns an interval join's callbacks into notifications of <c>JoinObservable.IntervalJoin</c>.</summary>
/// <param name="observer">The subscriber.</param>
/// <threadsafety>Called under its subscription's lock only.</threadsafety>
internal sealed class IntervalJoinNotifier<TKey, TLeft, TRight>(IObserver<IntervalJoinOutput<TKey, TLeft, TRight>> observer)
    : IIntervalJoinOutput<TKey, TLeft, TRight>
{
    public void OnJoined(TKey key, TLeft left, Instant leftTimestamp, TRight right, Instant rightTimestamp, Instant timestamp) =>
        observer.OnNext(new() { Kind = IntervalJoinOutputKind.Pair, Key = key, Left = left, Right = right, LeftTimestamp = leftTimestamp, RightTimestamp = rightTimestamp, Timestamp = timestamp });

    public void OnUnmatchedLeft(TKey key, TLeft left, Instant timestamp) =>
        observer.OnNext(new() { Kind = IntervalJoinOutputKind.UnmatchedLeft, Key = key, Left = left, LeftTimestamp = timestamp, Timestamp = timestamp });

    public void OnUnmatchedRight(TKey key, TRight right, Instant timestamp) =>
        observer.OnNext(new() { Kind = IntervalJoinOutputKind.UnmatchedRight, Key = key, Right = right, RightTimestamp = timestamp, Timestamp = timestamp });

    public void OnLateLeft(TKey key, TLeft left, Instant timestamp, Instant watermark) =>
        observer.OnNext(new() { Kind = IntervalJoinOutputKind.LateLeft, Key = key, Left = left, LeftTimestamp = timestamp, Timestamp = timestamp, Watermark = watermark });

    public void OnLateRight(TKey key, TRight right, Instant timestamp, Instant watermark) =>
        observer.OnNext(new() { Kind = IntervalJoinOutputKind.LateRight, Key = key, Right = right, RightTimestamp = timestamp, Timestamp = timestamp, Watermark = watermark });
}
