using Cep.Operators;
using Cep.Patterns;
using Cep.Tests.Generators;
using Cep.Tests.Harness;
using Cep.Tests.Oracles;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Cep.Tests.Properties;

/// <summary>Shared plumbing of the CEP properties: case counts, running the operator and the oracle, comparing.</summary>
public static class PropertyRunner
{
    /// <summary>
    /// Gets the number of cases per property: <paramref name="byDefault"/>, or the value of the environment variable
    /// <c>CEP_PROPERTY_CASES</c> when it is set to a larger positive number.
    /// </summary>
    public static int Cases(int byDefault = 300) =>
        int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > byDefault ? n : byDefault;

    /// <summary>Checks <paramref name="property"/> on <see cref="Cases"/> cases; throws with the shrunk counterexample on failure.</summary>
    public static void Check<T>(Arbitrary<T> arbitrary, Action<T> property, int byDefault = 300) =>
        Prop.ForAll(arbitrary, property).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases(byDefault)));

    public static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    /// <summary>
    /// Feeds <paramref name="arrival"/> to a fresh operator, with <paramref name="watermarkAfter"/> deciding the watermark
    /// (if any) after each record, then a final watermark at <see cref="Instant.MaxValue"/>.
    /// </summary>
    public static CollectingOutput<int, GenEvent> RunOperator(Pattern<GenEvent> pattern, IEnumerable<GenEvent> arrival, Func<int, GenEvent, Instant?>? watermarkAfter = null)
    {
        var output = new CollectingOutput<int, GenEvent>();
        var op = new CepOperator<int, GenEvent>(pattern, e => e.Key, output);
        var i = 0;
        foreach (var e in arrival)
        {
            op.OnRecord(e, Ms(e.Ts));
            if (watermarkAfter?.Invoke(i++, e) is { } w)
            {
                op.OnWatermark(w);
            }
        }

        op.OnWatermark(Instant.MaxValue);
        return output;
    }

    /// <summary>The operator's matches as sorted "k{key}| stage:event ..." strings.</summary>
    public static List<string> Describe(CollectingOutput<int, GenEvent> output) =>
        output.Matches.Select(m => $"k{m.Key}| {CollectingOutput<int, GenEvent>.Describe(m.Match)}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The oracle's matches for every key, as sorted "k{key}| stage:event ..." strings; <paramref name="filter"/> may
    /// post-process the matches of one key (given its events in processing order).
    /// </summary>
    public static List<string> Oracle(Pattern<GenEvent> pattern, IEnumerable<GenEvent> arrival, Func<List<OracleMatch>, IReadOnlyList<GenEvent>, IEnumerable<OracleMatch>>? filter = null)
    {
        var result = new List<string>();
        foreach (var group in CepGenerators.ByKeyInProcessingOrder(arrival))
        {
            var events = group.ToList();
            var matches = BruteForceMatcher.Matches(pattern, events, e => e.Ts);
            var kept = filter is null ? matches : filter(matches, events);
            result.AddRange(kept.Select(m => $"k{group.Key}| {m.Describe(events)}"));
        }

        return result.OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    /// <summary>Throws a readable report when the two multisets differ.</summary>
    public static void AssertSameMatches(object testCase, List<string> expected, List<string> actual, string expectedName = "oracle", string actualName = "operator")
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        var missing = Minus(expected, actual);
        var extra = Minus(actual, expected);
        throw new MatchMismatchException(
            $"{testCase}\n  {expectedName} ({expected.Count}): [{string.Join("; ", expected)}]\n  {actualName} ({actual.Count}): [{string.Join("; ", actual)}]"
            + $"\n  missing from {actualName}: [{string.Join("; ", missing)}]\n  extra in {actualName}: [{string.Join("; ", extra)}]");
    }

    private static List<string> Minus(List<string> a, List<string> b)
    {
        var rest = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var result = new List<string>();
        foreach (var x in a)
        {
            if (rest.TryGetValue(x, out var n) && n > 0)
            {
                rest[x] = n - 1;
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }
}

/// <summary>The operator and the expectation disagree; the message has the case and both outputs.</summary>
public sealed class MatchMismatchException(string message) : Exception(message);
