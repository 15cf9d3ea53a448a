using System.Globalization;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Routing;

/// <summary>
/// The row part of a path: <c>{row}[/{columns}][/{ts}|/{start},{end}]</c>, with <c>{prefix}*</c> globs and
/// <c>{start},{end}</c> row ranges. Separators are split before percent-decoding, so encoded ones are data.
/// A single timestamp (or a range starting at 0) selects exactly that version; a range selects [start, end).
/// </summary>
internal sealed class RowSpec
{
    public required byte[] Row { get; init; }

    /// <summary>Exclusive end row for globs and ranges; null for a single row.</summary>
    public byte[]? EndRow { get; init; }

    public required IReadOnlyList<byte[]> Columns { get; init; }

    public long StartTime { get; init; }

    public long EndTime { get; init; } = long.MaxValue;

    public int MaxVersions { get; init; } = 1;

    public bool IsSingleRow => EndRow is null;

    public bool HasTimestamp => StartTime == 0 && EndTime != long.MaxValue;

    public long? Timestamp => HasTimestamp ? EndTime : null;

    public ReadSpec ToReadSpec() => new()
    {
        Columns = [.. Columns.Select(c => ColumnSelector.Parse(c))],
        Timestamp = Timestamp,
        StartTime = HasTimestamp ? 0 : StartTime,
        EndTime = HasTimestamp ? long.MaxValue : EndTime,
        MaxVersions = MaxVersions,
    };

    /// <summary>Parses the segments after the table name.</summary>
    public static RowSpec Parse(IReadOnlyList<string> segments, string? versions)
    {
        var rowPart = segments[0];
        byte[] row;
        byte[]? end = null;
        var comma = rowPart.IndexOf(',');
        if (comma >= 0)
        {
            row = PathCodec.DecodeBytes(rowPart[..comma]);
            end = PathCodec.DecodeBytes(rowPart[(comma + 1)..]);
            if (row.Length > 0 && row[^1] == '*')
            {
                throw new BadRequestException("Bad request: invalid path: start row specified with wildcard");
            }
        }
        else
        {
            row = PathCodec.DecodeBytes(rowPart);
            if (row.Length > 0 && row[^1] == '*')
            {
                row = row[..^1];
                end = [.. row, 0xFF];
            }
        }
        if (row.Length == 0 && end is null)
        {
            throw new BadRequestException("Bad request: Row key not specified.");
        }
        var columns = new List<byte[]>();
        if (segments.Count > 1 && segments[1].Length > 0)
        {
            foreach (var column in segments[1].Split(','))
            {
                if (column.Length == 0)
                {
                    throw new BadRequestException("Bad request: invalid path: empty column in the column list");
                }
                columns.Add(PathCodec.DecodeBytes(column));
            }
        }
        long start = 0, stop = long.MaxValue;
        if (segments.Count > 2 && segments[2].Length > 0)
        {
            var stamps = segments[2].Split(',');
            if (stamps.Length > 2 || !TryTime(stamps[0], out var t0))
            {
                throw new BadRequestException($"Bad request: invalid timestamp '{segments[2]}'");
            }
            if (stamps.Length == 2)
            {
                if (!TryTime(stamps[1], out var t1))
                {
                    throw new BadRequestException($"Bad request: invalid timestamp '{segments[2]}'");
                }
                (start, stop) = t1 != 0 ? (t0, t1) : (0, t0);
            }
            else
            {
                stop = t0;
            }
        }
        var maxVersions = 1;
        if (versions is not null && (!int.TryParse(versions, NumberStyles.None, CultureInfo.InvariantCulture, out maxVersions) || maxVersions < 1))
        {
            throw new BadRequestException($"Bad request: invalid number of versions '{versions}'");
        }
        return new RowSpec { Row = row, EndRow = end, Columns = columns, StartTime = start, EndTime = stop, MaxVersions = maxVersions };
    }

    private static bool TryTime(string encoded, out long value) =>
        long.TryParse(PathCodec.DecodeString(encoded), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
