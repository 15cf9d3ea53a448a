using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Cep.Tests.Connectors.Server;

public sealed class ScanFilterTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public static TheoryData<string, string[]> Filters() => new()
    {
        { JsonSerializer.Serialize(new { type = "RowFilter", op = "GREATER_OR_EQUAL", comparator = new { type = "BinaryComparator", value = B64("b") } }), ["b1/cf:x=4", "b2/cf:x=5"] },
        { JsonSerializer.Serialize(new { type = "RowFilter", op = "EQUAL", comparator = new { type = "BinaryPrefixComparator", value = B64("a") } }), ["a1/cf:x=1", "a1/cf:y=2", "a2/cf:x=3"] },
        { JsonSerializer.Serialize(new { type = "ValueFilter", op = "LESS", comparator = new { type = "BinaryComparator", value = B64("3") } }), ["a1/cf:x=1", "a1/cf:y=2"] },
        { JsonSerializer.Serialize(new { type = "QualifierFilter", op = "EQUAL", comparator = new { type = "SubstringComparator", value = "Y" } }), ["a1/cf:y=2"] },
        { JsonSerializer.Serialize(new { type = "ColumnPrefixFilter", value = B64("y") }), ["a1/cf:y=2"] },
        { JsonSerializer.Serialize(new { type = "KeyOnlyFilter" }), ["a1/cf:x=", "a1/cf:y=", "a2/cf:x=", "b1/cf:x=", "b2/cf:x="] },
        { JsonSerializer.Serialize(new { type = "FirstKeyOnlyFilter" }), ["a1/cf:x=1", "a2/cf:x=3", "b1/cf:x=4", "b2/cf:x=5"] },
        { JsonSerializer.Serialize(new { type = "InclusiveStopFilter", value = B64("a2") }), ["a1/cf:x=1", "a1/cf:y=2", "a2/cf:x=3"] },
        { JsonSerializer.Serialize(new { type = "SingleColumnValueFilter", family = B64("cf"), qualifier = B64("y"), op = "EQUAL", comparator = new { type = "BinaryComparator", value = B64("2") }, ifMissing = true }), ["a1/cf:x=1", "a1/cf:y=2"] },
        { JsonSerializer.Serialize(new { type = "RowFilter", op = "EQUAL", comparator = new { type = "RegexStringComparator", value = "^b" } }), ["b1/cf:x=4", "b2/cf:x=5"] },
        {
            JsonSerializer.Serialize(new
            {
                type = "FilterList",
                op = "MUST_PASS_ONE",
                filters = new object[] { new { type = "PrefixFilter", value = B64("a2") }, new { type = "PrefixFilter", value = B64("b2") } },
            }),
            ["a2/cf:x=3", "b2/cf:x=5"]
        },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task EachFilterKeepsWhatItsDefinitionSays(string filter, string[] expected)
    {
        await using var g = await TestGateway.StartAsync();
        await g.CreateTableAsync("t", ("cf", 1, int.MaxValue));
        await g.PutCellsAsync("t/x",
            new Cell("a1", "cf:x", "1", 1), new Cell("a1", "cf:y", "2", 1), new Cell("a2", "cf:x", "3", 1),
            new Cell("b1", "cf:x", "4", 1), new Cell("b2", "cf:x", "5", 1));
        using var created = await g.SendAsync(HttpMethod.Put, "t/scanner",
            new StringContent(JsonSerializer.Serialize(new { filter }), Encoding.UTF8, TestGateway.Json));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var next = await g.GetAsync(created.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(expected, (await CellSets.ReadAsync(next)).Select(c => $"{c.Row}/{c.Column}={c.Value}"));
    }
}
