using Cep.Metrics;

namespace Cep.Joins.Retry;

/// <summary>Publishes the counters of a retry queue on the Cep meter (see <see cref="CepMetrics.TrackCounters"/>).</summary>
/// <threadsafety>Thread-safe.</threadsafety>
public static class RetryQueueMetrics
{
    /// <summary>
    /// Starts publishing <paramref name="counters"/> until the result is disposed: the totals as
    /// <c>cep.retry_queue.*</c> gauges (<c>records_in</c>, <c>joined</c>, <c>expired</c>, <c>pending</c>, ...) tagged
    /// <c>cep.operator</c> = <paramref name="operatorName"/>, and each level's counters as <c>cep.retry_level.*</c> gauges
    /// (<c>depth</c>, <c>attempts</c>, <c>successes</c>, <c>expirations</c>, ...) tagged <c>cep.operator</c> =
    /// <c>&lt;operatorName&gt;/level-&lt;n&gt;</c>, n = 1 for the first level.
    /// </summary>
    /// <param name="counters">The counters (<see cref="RetryQueueOperator{TKey, TIn, TValue}.Counters"/>).</param>
    /// <param name="operatorName">The name of the queue.</param>
    /// <returns>A handle that stops publishing all of them when disposed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IDisposable Track(RetryQueueCounters counters, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(operatorName);
        var handles = new List<IDisposable> { CepMetrics.TrackCounters(counters, operatorName) };
        handles.AddRange(counters.Levels.Select(level => CepMetrics.TrackCounters(level, $"{operatorName}/level-{level.Level}")));
        return System.Reactive.Disposables.Disposable.Create(() => handles.ForEach(h => h.Dispose()));
    }
}
