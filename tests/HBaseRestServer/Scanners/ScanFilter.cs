using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Scanners;

/// <summary>
/// A scanner filter from the gateway's JSON filter language (<c>{"type":"PrefixFilter","value":"&lt;b64&gt;"}</c>):
/// applied to each row's cells, it returns the cells to keep (none = skip the row). Filters with state
/// (PageFilter) are built fresh for each scanner.
/// </summary>
internal abstract class ScanFilter
{
    public abstract List<ResultCell> Apply(byte[] row, List<ResultCell> cells);

    /// <summary>Parses a filter; throws <see cref="BadRequestException"/> for malformed or unsupported filters.</summary>
    public static ScanFilter Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Build(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new BadRequestException("Bad request: invalid filter: " + e.Message);
        }
    }

    private static ScanFilter Build(JsonElement e)
    {
        // Everything is read from the JSON here, eagerly: the document is disposed before the filter runs.
        var type = e.GetProperty("type").GetString();
        switch (type)
        {
            case "PrefixFilter":
            {
                var prefix = B64(e, "value");
                return new RowPredicate(row => row.AsSpan().StartsWith(prefix));
            }
            case "InclusiveStopFilter":
            {
                var stop = B64(e, "value");
                return new RowPredicate(row => ByteArrayComparer.Instance.Compare(row, stop) <= 0);
            }
            case "RowFilter":
            {
                var comparison = Comparison.Build(e);
                return new RowPredicate(comparison.Holds);
            }
            case "PageFilter":
                return new PageFilter(long.Parse(Str(e, "value"), System.Globalization.CultureInfo.InvariantCulture));
            case "KeyOnlyFilter":
                return new CellMap(c => c with { Value = [] });
            case "FirstKeyOnlyFilter":
                return new FirstKeyOnly();
            case "FamilyFilter":
                return CellWhere(e, c => Encoding.UTF8.GetBytes(c.Column.Family));
            case "QualifierFilter":
                return CellWhere(e, c => c.Column.Qualifier);
            case "ValueFilter":
                return CellWhere(e, c => c.Value);
            case "ColumnPrefixFilter":
            {
                var prefix = B64(e, "value");
                return new CellPredicate(c => c.Column.Qualifier.AsSpan().StartsWith(prefix));
            }
            case "MultipleColumnPrefixFilter":
                return MultiplePrefixes(e);
            case "SingleColumnValueFilter":
                return new SingleColumnValue(e);
            case "FilterList":
                return new FilterList(
                    (e.TryGetProperty("op", out var op) ? op.GetString() : "MUST_PASS_ALL") == "MUST_PASS_ONE",
                    [.. e.GetProperty("filters").EnumerateArray().Select(Build)]);
            default:
                throw new FormatException($"unsupported filter type '{type}'");
        }
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : throw new FormatException($"filter field '{name}' is missing");

    private static byte[] B64(JsonElement e, string name) => Convert.FromBase64String(Str(e, name));

    private static CellPredicate CellWhere(JsonElement e, Func<ResultCell, byte[]> part)
    {
        var comparison = Comparison.Build(e);
        return new CellPredicate(c => comparison.Holds(part(c)));
    }

    private static CellPredicate MultiplePrefixes(JsonElement e)
    {
        var prefixes = e.GetProperty("prefixes").EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!)).ToList();
        return new CellPredicate(c => prefixes.Any(p => c.Column.Qualifier.AsSpan().StartsWith(p)));
    }

    private sealed class RowPredicate(Func<byte[], bool> keep) : ScanFilter
    {
        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells) => keep(row) ? cells : [];
    }

    private sealed class CellPredicate(Func<ResultCell, bool> keep) : ScanFilter
    {
        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells) => [.. cells.Where(keep)];
    }

    private sealed class CellMap(Func<ResultCell, ResultCell> map) : ScanFilter
    {
        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells) => [.. cells.Select(map)];
    }

    private sealed class FirstKeyOnly : ScanFilter
    {
        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells) => [.. cells.Take(1)];
    }

    private sealed class PageFilter(long pageSize) : ScanFilter
    {
        private long _rows;

        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells) =>
            cells.Count > 0 && _rows < pageSize && ++_rows > 0 ? cells : [];
    }

    private sealed class SingleColumnValue : ScanFilter
    {
        private readonly string _family;
        private readonly byte[] _qualifier;
        private readonly Comparison _comparison;
        private readonly bool _ifMissing;

        public SingleColumnValue(JsonElement e)
        {
            _family = Encoding.UTF8.GetString(B64(e, "family"));
            _qualifier = e.TryGetProperty("qualifier", out _) ? B64(e, "qualifier") : [];
            _comparison = Comparison.Build(e);
            _ifMissing = e.TryGetProperty("ifMissing", out var m) && m.ValueKind == JsonValueKind.True;
        }

        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells)
        {
            var tested = cells.FirstOrDefault(c => c.Column.Family == _family && c.Column.Qualifier.AsSpan().SequenceEqual(_qualifier));
            if (tested is null)
            {
                return _ifMissing ? [] : cells;
            }
            return _comparison.Holds(tested.Value) ? cells : [];
        }
    }

    private sealed class FilterList(bool anyOf, IReadOnlyList<ScanFilter> filters) : ScanFilter
    {
        public override List<ResultCell> Apply(byte[] row, List<ResultCell> cells)
        {
            if (!anyOf)
            {
                foreach (var filter in filters)
                {
                    cells = filter.Apply(row, cells);
                    if (cells.Count == 0)
                    {
                        break;
                    }
                }
                return cells;
            }
            var kept = new HashSet<ResultCell>(ReferenceEqualityComparer.Instance);
            foreach (var filter in filters)
            {
                kept.UnionWith(filter.Apply(row, cells));
            }
            return [.. cells.Where(kept.Contains)];
        }
    }

    /// <summary>A compare operator with its comparator: "the tested bytes OP the comparator's value".</summary>
    private sealed class Comparison(string op, Func<byte[], int> compare)
    {
        public static Comparison Build(JsonElement e)
        {
            var op = e.TryGetProperty("op", out var o) ? o.GetString()! : "EQUAL";
            var comparator = e.GetProperty("comparator");
            var type = comparator.GetProperty("type").GetString();
            Func<byte[], int> compare = type switch
            {
                "BinaryComparator" => Binary(B64(comparator, "value")),
                "BinaryPrefixComparator" => Prefix(B64(comparator, "value")),
                "SubstringComparator" => Substring(Str(comparator, "value")),
                "RegexStringComparator" => Regex(Str(comparator, "value")),
                "NullComparator" => bytes => bytes.Length == 0 ? 0 : 1,
                _ => throw new FormatException($"unsupported comparator type '{type}'"),
            };
            return op is "LESS" or "LESS_OR_EQUAL" or "EQUAL" or "NOT_EQUAL" or "GREATER_OR_EQUAL" or "GREATER" or "NO_OP"
                ? new Comparison(op, compare)
                : throw new FormatException($"unsupported compare operator '{op}'");
        }

        public bool Holds(byte[] tested)
        {
            var c = compare(tested);
            return op switch
            {
                "LESS" => c < 0,
                "LESS_OR_EQUAL" => c <= 0,
                "EQUAL" => c == 0,
                "NOT_EQUAL" => c != 0,
                "GREATER_OR_EQUAL" => c >= 0,
                "GREATER" => c > 0,
                _ => false,
            };
        }

        private static Func<byte[], int> Binary(byte[] value) => tested => Math.Sign(tested.AsSpan().SequenceCompareTo(value));

        private static Func<byte[], int> Prefix(byte[] value) =>
            tested => Math.Sign(tested.AsSpan(0, Math.Min(tested.Length, value.Length)).SequenceCompareTo(value));

        private static Func<byte[], int> Substring(string value) =>
            tested => Encoding.UTF8.GetString(tested).Contains(value, StringComparison.OrdinalIgnoreCase) ? 0 : 1;

        private static Func<byte[], int> Regex(string pattern)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return tested => regex.IsMatch(Encoding.UTF8.GetString(tested)) ? 0 : 1;
        }
    }
}
