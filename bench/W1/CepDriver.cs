using Cep.Operators;
using Cep.Patterns;
using NodaTime;

namespace Cep.Bench.W1;

/// <summary>Counts what the operator emits; reads nothing from the views, so it allocates nothing.</summary>
public sealed class CountingOutput<T> : ICepOutput<int, T>
{
    public long Matches;
    public long Timeouts;
    public long Late;
    public long Errors;

    public void OnMatch(int key, MatchView<T> match) => Matches++;

    public void OnTimeout(int key, MatchView<T> partialMatch, Instant timedOutAt) => Timeouts++;

    public void OnLate(int key, T value, Instant timestamp, Instant watermark) => Late++;

    public void OnError(int key, T value, Instant timestamp, Exception error) => Errors++;
}

/// <summary>
/// Drives a <see cref="CepOperator{TKey, T}"/> over W1 on one thread, in event time. Watermark cadence: after every
/// <see cref="WatermarkEvery"/> records, a watermark one millisecond below the last record's timestamp; after the last
/// record, <see cref="Instant.MaxValue"/>, which flushes the buffer and times out every partial match left.
/// </summary>
public sealed class CepDriver<T>
{
    public const int DefaultWatermarkEvery = 1_000;
    private static readonly Duration OneMs = Duration.FromMilliseconds(1);

    private readonly CepOperator<int, T> _operator;
    private readonly CountingOutput<T> _output = new();

    public CepDriver(Pattern<T> pattern, Func<T, int> keySelector, int watermarkEvery = DefaultWatermarkEvery)
    {
        _operator = new CepOperator<int, T>(pattern, keySelector, _output);
        WatermarkEvery = watermarkEvery;
    }

    public int WatermarkEvery { get; }

    public CountingOutput<T> Output => _output;

    public CepCounters Counters => _operator.Counters;

    public void Run(T[] events, Instant[] timestamps)
    {
        var op = _operator;
        var every = WatermarkEvery;
        var untilWatermark = every;
        for (var i = 0; i < events.Length; i++)
        {
            op.OnRecord(events[i], timestamps[i]);
            if (--untilWatermark == 0)
            {
                op.OnWatermark(timestamps[i] - OneMs);
                untilWatermark = every;
            }
        }

        op.OnWatermark(Instant.MaxValue);
    }
}
