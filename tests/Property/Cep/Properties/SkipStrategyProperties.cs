using Cep.Tests.Generators;
using Cep.Tests.Harness;
using Cep.Tests.Oracles;
using Xunit;

namespace Cep.Tests.Properties;

/// <summary>The operator applies after-match skip strategies like the rule of cep-semantics.md §1 applied to the oracle's matches.</summary>
public sealed class SkipStrategyProperties
{
    /// <summary>
    /// For SkipToNext, SkipPastLastEvent, SkipToFirst(x) and SkipToLast(x), the operator's matches of each key are the output
    /// of <see cref="SkipStrategyOracle"/> over the oracle's matches for some order of tied matches.
    /// </summary>
    [Fact]
    public void OperatorMatchesEqualFilteredOracleMatches() =>
        PropertyRunner.Check(CepGenerators.Cases(withSkip: true), c =>
        {
            var pattern = c.Pattern.Build();
            var output = PropertyRunner.RunOperator(pattern, c.Events);
            foreach (var group in CepGenerators.ByKeyInProcessingOrder(c.Events))
            {
                var events = group.ToList();
                var matches = BruteForceMatcher.Matches(pattern, events, e => e.Ts);
                var actual = output.Matches.Where(m => m.Key == group.Key)
                    .Select(m => CollectingOutput<int, GenEvent>.Describe(m.Match)).OrderBy(s => s, StringComparer.Ordinal).ToList();
                if (SkipStrategyOracle.Accepts(pattern.SkipStrategy, matches, events, actual) == false)
                {
                    var expected = SkipStrategyOracle.OneOutcome(pattern.SkipStrategy, matches, events).OrderBy(s => s, StringComparer.Ordinal);
                    throw new MatchMismatchException(
                        $"{c}\n  key k{group.Key}; unfiltered oracle: [{string.Join("; ", matches.Select(m => m.Describe(events)))}]"
                        + $"\n  expected (one tie order): [{string.Join("; ", expected)}]\n  operator: [{string.Join("; ", actual)}]");
                }
            }
        });
}
