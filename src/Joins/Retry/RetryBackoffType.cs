namespace Cep.Joins.Retry;

/// <summary>How the wait before each attempt grows within one level of a retry queue.</summary>
/// <remarks>With <c>n</c> the number of the attempt within its level (1 for the first) and <c>d</c> the level's
/// <see cref="RetryLevelOptions.Delay"/>, the wait before attempt <c>n</c> is, before jitter and the cap of
/// <see cref="RetryLevelOptions.MaxDelay"/>: constant <c>d</c>, linear <c>d × n</c>, exponential <c>d × 2^(n−1)</c>.</remarks>
public enum RetryBackoffType
{
    /// <summary>Every attempt of the level waits <see cref="RetryLevelOptions.Delay"/>.</summary>
    Constant,

    /// <summary>Attempt <c>n</c> waits <c>n</c> times <see cref="RetryLevelOptions.Delay"/>.</summary>
    Linear,

    /// <summary>Attempt <c>n</c> waits <see cref="RetryLevelOptions.Delay"/> times <c>2^(n−1)</c>.</summary>
    Exponential,
}
