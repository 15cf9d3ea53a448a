using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Xunit;
using Wire = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.Server;

/// <summary>The gateway writes a protobuf multi-get answer row by row straight into its body: byte for byte what the
/// generated message classes write for the rows a simple model of the table holds (asked keys in order, repeats
/// included, missing rows left out, columns in order, newest versions first), and 404 when no row is found.</summary>
public sealed class ProtobufCellSetBufferTests
{
    private static readonly string[] Keys = ["k0", "k1", "k2", "ключ", "a/b", "x y", "k+1", "req-00000042"];
    private static readonly string[] Columns = ["f:", "f:q", "f:z", "g:q", "g:a:b"];

    [Fact]
    public async Task MultiGetAnswersAreWhatTheGeneratedClassesWrite()
    {
        await using var g = await TestGateway.StartAsync();
        var version = Gen.Choose(1, 1_000_000).SelectMany(ts => Gen.Choose(0, 150).Select(size => (Timestamp: (long)ts, Size: size)));
        var cell = Gen.Elements(Keys).SelectMany(k => Gen.Elements(Columns).SelectMany(c => version.Select(v => (Key: k, Column: c, v.Timestamp, v.Size))));
        var scenario =
            from cells in Gen.ListOf(cell)
            from asked in Gen.NonEmptyListOf(Gen.Elements(Keys))
            from selector in Gen.Elements("", "/f", "/g:q", "/f:z,g")
            from versions in Gen.Elements(1, 2)
            select (Cells: cells.ToList(), Asked: asked.ToList(), Selector: selector, Versions: versions);
        var table = 0;
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var name = $"t{table++}";
            g.CreateTableAsync(name, ("f", 3, int.MaxValue), ("g", 3, int.MaxValue)).GetAwaiter().GetResult();
            var model = new Dictionary<(string Key, string Column), SortedDictionary<long, byte[]>>();
            foreach (var (key, column, timestamp, size) in s.Cells)
            {
                var value = Enumerable.Range(0, size).Select(i => (byte)(i * 7 + timestamp)).ToArray();
                g.Gateway.Store.Put(name, Encoding.UTF8.GetBytes(key), column, timestamp, value);
                var versions = model.TryGetValue((key, column), out var v) ? v : model[(key, column)] = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
                versions[timestamp] = value;
            }

            var query = string.Join("&", s.Asked.Select(k => "row=" + Uri.EscapeDataString(k)));
            using var response = g.GetAsync($"{name}/multiget{s.Selector}?{query}&v={s.Versions}", TestGateway.Protobuf).GetAwaiter().GetResult();
            var expected = Expected(model, s.Asked, s.Selector, s.Versions);
            if (expected.Rows.Count == 0)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                return;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected.ToByteArray(), response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases()));
    }

    private static Wire.CellSet Expected(
        Dictionary<(string Key, string Column), SortedDictionary<long, byte[]>> model, List<string> asked, string selector, int versions)
    {
        bool Selected(string column) => selector.Length == 0 || selector[1..].Split(',').Any(p => p.Contains(':') ? column == p : column.StartsWith(p + ":", StringComparison.Ordinal));
        var set = new Wire.CellSet();
        foreach (var key in asked)
        {
            var row = new Wire.CellSet.Types.Row { Key = ByteString.CopyFromUtf8(key) };
            var columns = model.Keys.Where(k => k.Key == key && Selected(k.Column)).Select(k => k.Column)
                .OrderBy(c => Encoding.UTF8.GetBytes(c), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
            foreach (var column in columns)
            {
                foreach (var (timestamp, value) in model[(key, column)].Take(versions))
                {
                    row.Values.Add(new Wire.Cell { Column = ByteString.CopyFromUtf8(column), Timestamp = timestamp, Data = ByteString.CopyFrom(value) });
                }
            }

            if (row.Values.Count > 0)
            {
                set.Rows.Add(row);
            }
        }

        return set;
    }

    private static int Cases() =>
        int.TryParse(Environment.GetEnvironmentVariable("CEP_PROPERTY_CASES"), out var n) && n > 150 ? n : 150;
}
