using Cep.Tests.Generators;
using Xunit;

namespace Cep.Tests.Properties;

/// <summary>The operator finds exactly the matches of the brute-force oracle (cep-semantics.md §1, §4).</summary>
public sealed class OracleProperties
{
    /// <summary>
    /// For any small pattern and keyed input (all records, then a final watermark at the end of time), the operator's
    /// matches equal the oracle's, per key, as multisets of stage -> events.
    /// </summary>
    [Fact]
    public void OperatorMatchesEqualOracleMatches() =>
        PropertyRunner.Check(CepGenerators.Cases(), c =>
        {
            var pattern = c.Pattern.Build();
            var expected = PropertyRunner.Oracle(pattern, c.Events);
            var actual = PropertyRunner.Describe(PropertyRunner.RunOperator(pattern, c.Events));
            PropertyRunner.AssertSameMatches(c, expected, actual);
        });
}
