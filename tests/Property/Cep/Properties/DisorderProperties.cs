using Cep.Tests.Generators;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;

namespace Cep.Tests.Properties;

/// <summary>Event-time processing makes the output independent of arrival order within the out-of-orderness bound.</summary>
public sealed class DisorderProperties
{
    /// <summary>
    /// A shuffle of the input within the bound, fed with watermarks at (max seen - bound - 1 tick) after every k records,
    /// loses no record to lateness and gives the same matches and timeouts (as multisets) as the input in processing order
    /// fed the same way.
    /// </summary>
    [Fact]
    public void ShuffleWithinTheBoundGivesTheSameMatches() =>
        PropertyRunner.Check(DisorderGenerators.Cases(), c =>
        {
            var pattern = c.Pattern.Build();
            var sorted = Run(pattern, c.Sorted, c);
            var shuffled = Run(pattern, c.Shuffled, c);
            if (shuffled.Late.Count > 0 || sorted.Late.Count > 0)
            {
                throw new MatchMismatchException($"{c}\n  late records: {string.Join(" ", shuffled.Late.Concat(sorted.Late).Select(l => $"{l.Value.Full} (watermark {l.Watermark})"))}");
            }

            PropertyRunner.AssertSameMatches(c, PropertyRunner.Describe(sorted), PropertyRunner.Describe(shuffled), "sorted", "shuffled");
            PropertyRunner.AssertSameMatches(c, Timeouts(sorted), Timeouts(shuffled), "sorted timeouts", "shuffled timeouts");
        });

    private static CollectingOutput<int, GenEvent> Run(Cep.Patterns.Pattern<GenEvent> pattern, IReadOnlyList<GenEvent> arrival, DisorderCase c)
    {
        var max = long.MinValue;
        return PropertyRunner.RunOperator(pattern, arrival, (i, e) =>
        {
            max = Math.Max(max, e.Ts);
            return (i + 1) % c.Every == 0 ? PropertyRunner.Ms(max) - Duration.FromMilliseconds(c.BoundMs) - Duration.FromTicks(1) : null;
        });
    }

    private static List<string> Timeouts(CollectingOutput<int, GenEvent> output) =>
        output.Timeouts.Select(t => $"k{t.Key}| {CollectingOutput<int, GenEvent>.Describe(t.Partial)} @{t.TimedOutAt}").OrderBy(s => s, StringComparer.Ordinal).ToList();
}
