namespace Cep.Patterns;

/// <summary>Which two events a time window given to <see cref="Pattern{T}.Within(NodaTime.Duration, WithinType)"/> measures between.</summary>
public enum WithinType
{
    /// <summary>
    /// From the first event of the match to the current time: a partial match is discarded (and reported as timed out)
    /// as soon as <c>now - first.Timestamp &gt;= window</c>, so a complete match has <c>last - first &lt; window</c>.
    /// One window applies to the whole pattern; if several stages declare one, the smallest wins.
    /// </summary>
    FirstAndLast,

    /// <summary>
    /// From the previously accepted event to the current time, while a partial match waits in the stage that declares it:
    /// the partial match is discarded when <c>now - previous.Timestamp &gt;= window</c>. Must not exceed the
    /// <see cref="FirstAndLast"/> window.
    /// </summary>
    PreviousAndCurrent,
}
