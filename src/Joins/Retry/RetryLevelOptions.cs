using System.ComponentModel.DataAnnotations;
using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>One level of a retry queue: how long its records wait before each attempt and how many attempts it makes.</summary>
/// <remarks>
/// <para>A record enters the first level when it enters the queue, and the next level when the last attempt of its level
/// missed or failed. Before attempt <c>n</c> of a level (1 for the first) it waits the level's <see cref="Delay"/> grown
/// by <see cref="BackoffType"/>, then with jitter if <see cref="UseJitter"/>, then capped by <see cref="MaxDelay"/>. The
/// wait is counted from the record's timestamp for its very first attempt (event time) or from its arrival (processing
/// time), and from the previous attempt otherwise. Levels usually widen: seconds, then minutes, then hours.</para>
/// </remarks>
/// <threadsafety>Read when the operator is built; do not change it afterwards.</threadsafety>
public sealed class RetryLevelOptions
{
    /// <summary>Gets or sets the base wait before each attempt of this level.</summary>
    /// <value>The default value is 10 seconds.</value>
    /// <remarks>Must not be negative; zero means "at the next chance", still never before the previous attempt.</remarks>
    public Duration Delay { get; set; } = Duration.FromSeconds(10);

    /// <summary>Gets or sets how many attempts this level makes before the record moves on (or exits, on the last level).</summary>
    /// <value>The default value is 3.</value>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets how the wait grows from one attempt of the level to the next.</summary>
    /// <value>The default value is <see cref="RetryBackoffType.Constant"/>.</value>
    public RetryBackoffType BackoffType { get; set; } = RetryBackoffType.Constant;

    /// <summary>Gets or sets whether each wait is spread randomly over ±25 % of its value (drawn from
    /// <see cref="RetryQueueOptions{TKey, TIn, TValue}.Randomizer"/>), so that records that missed together do not all
    /// come back together.</summary>
    /// <value>The default value is false.</value>
    public bool UseJitter { get; set; }

    /// <summary>Gets or sets the longest wait of the level, applied after backoff and jitter; null for no cap.</summary>
    /// <value>The default value is null.</value>
    /// <remarks>Must not be negative when set.</remarks>
    public Duration? MaxDelay { get; set; }

    /// <summary>Describes the level for snapshot fingerprints and messages.</summary>
    /// <returns>The delay, attempts, backoff type, jitter flag and cap.</returns>
    public override string ToString() =>
        $"delay={Delay.BclCompatibleTicks} attempts={MaxAttempts} backoff={BackoffType} jitter={UseJitter} max={MaxDelay?.BclCompatibleTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
}
