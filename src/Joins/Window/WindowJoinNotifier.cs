namespace Cep.Joins.Window;

/// <summary>Turns a window join's callbacks into notifications of <c>JoinObservable.WindowJoin</c> and <c>CoGroup</c>.</summary>
/// <param name="observer">The subscriber.</param>
/// <threadsafety>Called under its subscription's lock only.</threadsafety>
internal sealed class WindowJoinNotifier<TKey, TLeft, TRight>(IObserver<WindowJoinOutput<TKey, TLeft, TRight>> observer)
    : IWindowJoinOutput<TKey, TLeft, TRight>
{
    public void OnPair(TKey key, TimeWindow window, TLeft left, TRight right) =>
        observer.OnNext(new(WindowJoinOutputKind.Pair) { Key = key, Window = window, Left = left, Right = right });

    public void OnCoGroup(TKey key, TimeWindow window, IReadOnlyList<TLeft> left, IReadOnlyList<TRight> right, int firing) =>
        observer.OnNext(new(WindowJoinOutputKind.CoGroup) { Key = key, Window = window, LeftGroup = [.. left], RightGroup = [.. right], Firing = firing });

    public void OnLeftRejected(RejectedRecord<TKey, TLeft> record) =>
        observer.OnNext(new(WindowJoinOutputKind.LeftRejected) { LeftRejected = record });

    public void OnRightRejected(RejectedRecord<TKey, TRight> record) =>
        observer.OnNext(new(WindowJoinOutputKind.RightRejected) { RightRejected = record });
}
