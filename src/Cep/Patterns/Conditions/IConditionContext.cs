using NodaTime;

namespace Cep.Patterns.Conditions;

/// <summary>
/// What an iterative condition can see besides the event under test: the events already accepted by
/// the same partial match, and the event's timestamp.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>Valid only during the call that receives it; do not keep it.</remarks>
public interface IConditionContext<T>
{
    /// <summary>
    /// Returns the events that this partial match has accepted so far for stage <paramref name="stageName"/>,
    /// in the order they were accepted, never including the event under test. Empty if none.
    /// </summary>
    /// <param name="stageName">The name of a stage of the pattern.</param>
    IReadOnlyList<T> EventsFor(string stageName);

    /// <summary>Gets the timestamp of the event under test.</summary>
    Instant Timestamp { get; }
}
