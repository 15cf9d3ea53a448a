using NodaTime;

namespace Cep.Operators;

/// <summary>
/// Where a <see cref="CepOperator{TKey, T}"/> sends what it produces. Every record that enters the operator ends in
/// exactly one place: in a match or timed-out partial match, in <see cref="OnLate"/>, in <see cref="OnError"/>, or in
/// live state (buffered or inside a partial match), or it is discarded by the automaton as matching nothing.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>Called on the thread that drives the operator. The views are valid only during the call.</remarks>
public interface ICepOutput<TKey, T>
{
    /// <summary>A match completed.</summary>
    /// <param name="key">The key of the match.</param>
    /// <param name="match">The match; valid only during this call.</param>
    void OnMatch(TKey key, MatchView<T> match);

    /// <summary>A partial match was discarded by a window, or by the end of input, before completing.</summary>
    /// <param name="key">The key of the partial match.</param>
    /// <param name="partialMatch">The events it had accepted; valid only during this call.</param>
    /// <param name="timedOutAt">
    /// When it timed out: its first event plus the window (or previous event plus a stage's window); or
    /// <see cref="Instant.MaxValue"/> when the input ended (a final watermark of <see cref="Instant.MaxValue"/>) before a
    /// partial match of a pattern without a window could complete.
    /// </param>
    void OnTimeout(TKey key, MatchView<T> partialMatch, Instant timedOutAt);

    /// <summary>A record arrived with a timestamp at or below the current watermark.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="watermark">The watermark it was late against.</param>
    void OnLate(TKey key, T value, Instant timestamp, Instant watermark);

    /// <summary>
    /// A user function (key selector or condition) threw for a record. The record had no effect on any partial match.
    /// </summary>
    /// <param name="key">The record's key, or the default value if the key selector threw.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="error">The exception the user function threw.</param>
    void OnError(TKey? key, T value, Instant timestamp, Exception error);
}
