using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>
/// Where a <see cref="KeyedCoProcessOperator{TKey, T1, T2, TOut}"/> sends what it produces. Every record that enters
/// the operator is processed by the function, or sent to <see cref="OnLate1"/>/<see cref="OnLate2"/>, or to
/// <see cref="OnError1"/>/<see cref="OnError2"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="T1">The record type of the first input.</typeparam>
/// <typeparam name="T2">The record type of the second input.</typeparam>
/// <typeparam name="TOut">The output type.</typeparam>
/// <threadsafety>Called on the thread that drives the operator (or the scheduler's, for processing-time timers).</threadsafety>
public interface ICoProcessOutput<TKey, T1, T2, TOut>
{
    /// <summary>The function emitted a record on the main output.</summary>
    /// <param name="key">The key being processed.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The timestamp of the record or timer being processed.</param>
    void OnOutput(TKey key, TOut value, Instant timestamp);

    /// <summary>The function emitted a record on a side output.</summary>
    /// <param name="tag">The side output's name.</param>
    /// <param name="key">The key being processed.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The timestamp of the record or timer being processed.</param>
    void OnSideOutput(string tag, TKey key, TOut value, Instant timestamp);

    /// <summary>A record of the first input arrived with a timestamp at or below that input's watermark; the function did not see it.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="watermark">The first input's watermark it was late against.</param>
    void OnLate1(TKey key, T1 value, Instant timestamp, Instant watermark);

    /// <summary>A record of the second input arrived with a timestamp at or below that input's watermark; the function did not see it.</summary>
    /// <param name="key">The record's key.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="watermark">The second input's watermark it was late against.</param>
    void OnLate2(TKey key, T2 value, Instant timestamp, Instant watermark);

    /// <summary>The key selector or the function threw for a record of the first input.</summary>
    /// <param name="key">The record's key, or the default value if the key selector threw.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="error">The exception.</param>
    void OnError1(TKey? key, T1 value, Instant timestamp, Exception error);

    /// <summary>The key selector or the function threw for a record of the second input.</summary>
    /// <param name="key">The record's key, or the default value if the key selector threw.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    /// <param name="error">The exception.</param>
    void OnError2(TKey? key, T2 value, Instant timestamp, Exception error);

    /// <summary>The function's <c>OnTimer</c> threw; the timer is consumed.</summary>
    /// <param name="key">The timer's key.</param>
    /// <param name="time">The timer's time.</param>
    /// <param name="domain">The timer's domain.</param>
    /// <param name="error">The exception.</param>
    void OnTimerError(TKey key, Instant time, TimeDomain domain, Exception error);
}
