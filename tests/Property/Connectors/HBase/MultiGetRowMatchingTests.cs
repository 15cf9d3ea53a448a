using System.Net;
using System.Text;
using Cep.Connectors.HBase;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cep.Tests.Connectors.HBase;

/// <summary>The rows of a multi-get answer are matched to the keys asked whatever their order, encoding or repetition:
/// the oracle is the answer itself (its rows, in its order, each under the very key asked), or, when it holds a row
/// that was not asked for, an error naming that row.</summary>
public sealed class MultiGetRowMatchingTests
{
    private static readonly string[] Keys = ["a", "b", "req-1", "req-10", "ключ", "𝄞x", "é", "a,b/c", "req-2"];

    [Fact]
    public void AnswersInAnyOrderWithRepeatsOrStrangersAreMatchedAsTheOracleSays()
    {
        var cases =
            from asked in Gen.NonEmptyListOf(Gen.Elements(Keys)).Select(k => k.Take(8).ToList())
            from answered in Gen.NonEmptyListOf(Gen.Elements(asked.ToArray())).Select(a => a.Take(10).ToList())
            from stranger in Gen.Elements<string?>(null, null, null, "stranger", "req-3")
            from at in Gen.Choose(0, answered.Count)
            select (Asked: asked, Answered: stranger is null ? answered : answered.Take(at).Append(stranger).Concat(answered.Skip(at)).ToList(), Stranger: stranger);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK, HBaseRestClientStatusTests.CellSet(HBaseRestFormat.Protobuf, [.. c.Answered])));
            using var client = StubHandler.Client(stub);
            try
            {
                var rows = client.MultiGetAsync("t", c.Asked).GetAwaiter().GetResult();
                Assert.Null(c.Stranger);
                Assert.Equal(c.Answered, rows.Select(r => r.Key));
                Assert.All(rows, r =>
                {
                    Assert.Contains(c.Asked, k => ReferenceEquals(k, r.Key));
                    Assert.Equal("v-" + r.Key, Encoding.UTF8.GetString(r.Cells.Single().Value.Span));
                });
            }
            catch (HBaseRestException error)
            {
                Assert.NotNull(c.Stranger);
                Assert.Equal(c.Stranger, error.Row);
                Assert.Contains("not asked for", error.Message, StringComparison.Ordinal);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases(300)));
    }
}
