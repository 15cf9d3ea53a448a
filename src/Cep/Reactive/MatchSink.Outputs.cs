using Cep.Operators;
using NodaTime;

namespace Cep.Reactive;

/// <content>Turning the operator's outputs into <see cref="PatternOutput{TKey, T}"/> notifications.</content>
internal sealed partial class MatchSink<TKey, T>
{
    void ICepOutput<TKey, T>.OnMatch(TKey key, MatchView<T> match)
    {
        var m = match.ToMatch();
        _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Match, Key = key, Match = m, Timestamp = m.Last });
    }

    void ICepOutput<TKey, T>.OnTimeout(TKey key, MatchView<T> partialMatch, Instant timedOutAt) =>
        _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Timeout, Key = key, Match = partialMatch.ToMatch(), Timestamp = timedOutAt });

    void ICepOutput<TKey, T>.OnLate(TKey key, T value, Instant timestamp, Instant watermark) =>
        _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Late, Key = key, Record = value, Timestamp = timestamp, Watermark = watermark });

    public void OnError(TKey? key, T value, Instant timestamp, Exception error) =>
        _observer.OnNext(new PatternOutput<TKey, T> { Kind = PatternOutputKind.Error, Key = key, Record = value, Timestamp = timestamp, Error = error });
}
