using Cep.Operators;
using NodaTime;

namespace Cep.Tests.Harness;

/// <summary>An output that keeps everything an operator emits, materialized, for assertions.</summary>
public sealed class CollectingOutput<TKey, T> : ICepOutput<TKey, T>
{
    public List<(TKey Key, Match<T> Match)> Matches { get; } = [];

    public List<(TKey Key, Match<T> Partial, Instant TimedOutAt)> Timeouts { get; } = [];

    public List<(TKey Key, T Value, Instant Timestamp, Instant Watermark)> Late { get; } = [];

    public List<(TKey? Key, T Value, Instant Timestamp, Exception Error)> Errors { get; } = [];

    public void OnMatch(TKey key, MatchView<T> match) => Matches.Add((key, match.ToMatch()));

    public void OnTimeout(TKey key, MatchView<T> partialMatch, Instant timedOutAt) => Timeouts.Add((key, partialMatch.ToMatch(), timedOutAt));

    public void OnLate(TKey key, T value, Instant timestamp, Instant watermark) => Late.Add((key, value, timestamp, watermark));

    public void OnError(TKey? key, T value, Instant timestamp, Exception error) => Errors.Add((key, value, timestamp, error));

    /// <summary>Each match as "stage:event stage:event ..." in pattern order, sorted, for comparing as a multiset.</summary>
    public List<string> MatchStrings() => Matches.Select(m => Describe(m.Match)).OrderBy(s => s, StringComparer.Ordinal).ToList();

    public static string Describe(Match<T> match) =>
        string.Join(" ", match.SelectMany(stage => stage.Value.Select(e => $"{stage.Key}:{e}")));
}
