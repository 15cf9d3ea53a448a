using System.Net;
using System.Text;
using Cep.Connectors.HBase;
using Cep.Connectors.HBase.Internal;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using NodaTime;
using Xunit;
using WirePb = Cep.Connectors.HBase.Protobuf;

namespace Cep.Tests.Connectors.HBase;

/// <summary>The hand-written protobuf <c>CellSet</c> reader against the generated message classes as the oracle: the
/// same rows for every body the generated parser accepts (fields in any order, repeated, unknown fields and groups
/// anywhere), and a failure for every body it rejects.</summary>
public sealed class ProtobufCellSetReaderTests
{
    private static readonly string[] Texts = ["r", "row-1", "f:q", "ключ", "𝄞x", "a,b/c", "", "req-00000042"];

    [Fact]
    public void ReadsWhatTheGeneratedClassesWrite()
    {
        Prop.ForAll(CellSets().ToArbitrary(), set =>
        {
            var body = set.ToByteArray();
            var expected = Describe(Oracle(body));
            Assert.Equal(expected, Describe(ProtobufCodec.Instance.ReadCellSet(body)));
            Assert.Equal(set.Rows.Count, ProtobufCodec.Instance.ReadCellSet(body).Count);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases(300)));
    }

    [Fact]
    public void ReadsFieldsInAnyOrderRepeatedOrUnknownAsTheGeneratedParserDoes()
    {
        Prop.ForAll(ScrambledBodies().ToArbitrary(), body =>
            Assert.Equal(Outcome(() => Oracle(body)), Outcome(() => ProtobufCodec.Instance.ReadCellSet(body))))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases(300)));
    }

    [Fact]
    public void RejectsWhatTheGeneratedParserRejects()
    {
        var valid = CellSets().Select(s => s.ToByteArray()).Where(b => b.Length > 0);
        var truncated = valid.SelectMany(b => Gen.Choose(0, b.Length - 1).Select(n => b[..n]));
        var mutated = valid.SelectMany(b => Gen.Choose(0, b.Length - 1).SelectMany(i => Gen.Choose(0, 255).Select(v =>
        {
            var copy = (byte[])b.Clone();
            copy[i] = (byte)v;
            return copy;
        })));
        var garbage = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        Prop.ForAll(Gen.OneOf(truncated, mutated, garbage).ToArbitrary(), body =>
        {
            var ours = Outcome(() => ProtobufCodec.Instance.ReadCellSet(body));
            Assert.Equal(Outcome(() => Oracle(body)), ours);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(HBaseRestClientArgumentTests.Cases(500)));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x02, 0x12, 0x00 }, "a row has no key")]
    [InlineData(new byte[] { 0x0A, 0x05, 0x0A, 0x01, 0x72, 0x12, 0x00 }, "a cell has no column")]
    [InlineData(new byte[] { 0x0A, 0x05, 0x0A, 0x09, 0x72 }, "truncated")]
    [InlineData(new byte[] { 0x0C }, "end-group")]
    [InlineData(new byte[] { 0x0E, 0x00 }, "wire type")]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "varint")]
    public void MalformedBodiesSayWhatIsWrong(byte[] body, string expected)
    {
        var error = Assert.Throws<MalformedBodyException>(() => ProtobufCodec.Instance.ReadCellSet(body));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task AnAnswerWithARowNotAskedForNamesTableAndRow()
    {
        var body = HBaseRestClientStatusTests.CellSet(HBaseRestFormat.Protobuf, "r1", "intruder");
        var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK, body));
        using var client = StubHandler.Client(stub);
        var error = await Assert.ThrowsAsync<HBaseRestException>(() => client.MultiGetAsync("t", ["r1", "r2"]));
        Assert.Equal("t", error.Table);
        Assert.Equal("intruder", error.Row);
        Assert.Contains("not asked for", error.Message);
    }

    [Fact]
    public async Task MultiGetRowsAreTheAskedKeysWithTheirOwnValues()
    {
        var body = HBaseRestClientStatusTests.CellSet(HBaseRestFormat.Protobuf, "r1", "r2");
        var stub = new StubHandler(_ => StubHandler.Answer(HttpStatusCode.OK, body));
        using var client = StubHandler.Client(stub);
        var rows = await client.MultiGetAsync("t", ["r2", "r1", "r2"]);
        Assert.Equal(["r1", "r2"], rows.Select(r => r.Key));
        Assert.Equal("v-r2", Encoding.UTF8.GetString(rows[1].Cells[0].Value.Span));
        Assert.Equal(Instant.FromUnixTimeMilliseconds(5), rows[1].Cells[0].Timestamp);

        // Each value has an array of its own, not a window on the answer.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(rows[0].Cells[0].Value, out var segment));
        Assert.Equal(segment.Array!.Length, segment.Count);
    }

    internal static Gen<WirePb.CellSet> CellSets()
    {
        var bytes = UpTo(Gen.Choose(0, 255).Select(b => (byte)b), 40).Select(b => b.ToArray());
        var cell =
            from column in Gen.Elements(Texts).Where(t => t.Length > 0)
            from timestamp in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(0, int.MaxValue).Select(t => (long?)t * 1000))
            from data in Gen.OneOf(Gen.Constant<byte[]?>(null), bytes.Select(b => (byte[]?)b))
            from rowField in Gen.Elements(false, false, true)
            select Cell(column, timestamp, data, rowField);
        var row =
            from key in Gen.Elements(Texts)
            from cells in UpTo(cell, 4)
            select new WirePb.CellSet.Types.Row { Key = ByteString.CopyFromUtf8(key), Values = { cells } };
        return UpTo(row, 5).Select(rows => new WirePb.CellSet { Rows = { rows } });
    }

    private static WirePb.Cell Cell(string column, long? timestamp, byte[]? data, bool rowField)
    {
        var cell = new WirePb.Cell { Column = ByteString.CopyFromUtf8(column) };
        if (timestamp is { } t)
        {
            cell.Timestamp = t;
        }

        if (data is not null)
        {
            cell.Data = ByteString.CopyFrom(data);
        }

        if (rowField)
        {
            cell.Row = ByteString.CopyFromUtf8("ignored");
        }

        return cell;
    }

    /// <summary>Bodies written field by field: fields shuffled, keys and scalars repeated, unknown fields of every wire
    /// type (groups included) spliced in at every level, some rows without a key and some cells without a column.</summary>
    private static Gen<byte[]> ScrambledBodies()
    {
        var unknown = Gen.Elements(
            new byte[] { 0x18, 0x05 },                          // field 3, varint
            new byte[] { 0x25, 1, 2, 3, 4 },                    // field 4, fixed32
            new byte[] { 0x29, 1, 2, 3, 4, 5, 6, 7, 8 },        // field 5, fixed64
            new byte[] { 0x32, 0x02, 0xAA, 0xBB },              // field 6, length-delimited
            new byte[] { 0x3B, 0x08, 0x01, 0x43, 0x44, 0x3C },  // field 7, a group holding a varint and an empty group
            new byte[] { 0x08, 0x96, 0x01 });                   // field 1, varint: the wrong wire type for a known field
        Gen<byte[]> Fields(IEnumerable<Gen<byte[]>> known) =>
            from parts in Sequence(known.Append(UpTo(unknown, 2).Select(Concat)))
            from seed in Gen.Choose(0, int.MaxValue)
            select Concat(parts.OrderBy(_ => new Random(seed).Next()).ToArray());
        var text = Gen.Elements(Texts).Select(Encoding.UTF8.GetBytes);
        var cell = Fields(
        [
            UpTo(text.Select(c => Field(2, c)), 2).Select(Concat),
            UpTo(Gen.Choose(0, int.MaxValue).Select(t => Varint(3, (ulong)t)), 2).Select(Concat),
            UpTo(text.Select(d => Field(4, d)), 2).Select(Concat),
        ]);
        var row = Fields(
        [
            UpTo(text.Select(k => Field(1, k)), 2).Select(Concat),
            UpTo(cell.Select(c => Field(2, c)), 3).Select(Concat),
        ]);
        return Fields([UpTo(row.Select(r => Field(1, r)), 4).Select(Concat)]);
    }

    private static Gen<List<T>> UpTo<T>(Gen<T> gen, int max) =>
        Gen.Choose(0, max).SelectMany(n => Sequence(Enumerable.Repeat(gen, n)));

    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Constant(new List<T>()), (acc, gen) => acc.SelectMany(list => gen.Select(x => new List<T>(list) { x })));

    private static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Field(int number, byte[] payload) =>
        [.. VarintBytes((ulong)((number << 3) | 2)), .. VarintBytes((ulong)payload.Length), .. payload];

    private static byte[] Varint(int number, ulong value) => [.. VarintBytes((ulong)(number << 3)), .. VarintBytes(value)];

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>What the generated classes read, mapped as the client always mapped them.</summary>
    private static List<HBaseRow> Oracle(byte[] body)
    {
        var set = WirePb.CellSet.Parser.ParseFrom(body);
        return [.. set.Rows.Select(r => new HBaseRow(
            r.HasKey ? HBaseNames.Decode(r.Key.Span) : throw new InvalidDataException("no key"),
            [.. r.Values.Select(c => new HBaseCell(
                c.HasColumn ? HBaseNames.Decode(c.Column.Span) : throw new InvalidDataException("no column"),
                c.Data.ToByteArray(),
                c.HasTimestamp ? Instant.FromUnixTimeMilliseconds(c.Timestamp) : null))]))];
    }

    private static string Outcome(Func<List<HBaseRow>> read)
    {
        try
        {
            return Describe(read());
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidDataException or MalformedBodyException
                                       or DecoderFallbackException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            return "fails";
        }
    }

    private static string Describe(IEnumerable<HBaseRow> rows) => string.Join(" | ", rows.Select(r =>
        $"{r.Key}: " + string.Join(", ", r.Cells.Select(c => $"{c.Column}@{c.TimestampMilliseconds}={Convert.ToHexString(c.Value.Span)}"))));
}
