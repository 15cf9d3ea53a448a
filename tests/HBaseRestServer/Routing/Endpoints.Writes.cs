using System.Globalization;
using System.Text;
using Cep.HBaseRestServer.Formats;
using Cep.HBaseRestServer.Store;

namespace Cep.HBaseRestServer.Routing;

internal sealed partial class Endpoints
{
    /// <summary><c>PUT|POST /{table}/{row}[/{column}[/{ts}]][?check=put|delete]</c>.</summary>
    private RestResult Write(RestRequest request)
    {
        if (readOnly)
        {
            return RestResult.Forbidden();
        }
        var table = Table(request, out var notFound);
        if (table is null)
        {
            return notFound!;
        }
        var spec = RowSpec.Parse([.. request.Segments.Skip(1)], null);
        var check = request.QueryValue("check");
        if (check is not null && check is not ("put" or "delete"))
        {
            return RestResult.BadRequest($"Bad request: Invalid check value '{check}'");
        }
        if (BodyFormat(request) is not { } format)
        {
            return RestResult.UnsupportedMediaType();
        }
        store.CountWrite();
        if (format == Format.Binary)
        {
            return check is null ? PutBinary(request, table, spec) : RestResult.BadRequest("Bad request: check needs a cell set body");
        }
        var rows = CellSetCodec.Parse(format, request.Body);
        return check switch
        {
            "put" => CheckAndPut(table, spec, rows),
            "delete" => CheckAndDelete(table, spec, rows),
            _ => Put(table, spec, rows),
        };
    }

    private RestResult Put(StoredTable table, RowSpec spec, IReadOnlyList<RowModel> rows)
    {
        var puts = new List<PutCell>();
        foreach (var row in rows)
        {
            var key = row.Key ?? spec.Row;
            if (key.Length == 0)
            {
                return RestResult.BadRequest("Bad request: Row key not specified.");
            }
            foreach (var cell in row.Cells)
            {
                var column = cell.Column ?? spec.Columns.FirstOrDefault();
                if (column is null)
                {
                    return RestResult.BadRequest("Bad request: Column found to be null.");
                }
                if (!ColumnKey.TryParse(column, out var columnKey))
                {
                    return RestResult.BadRequest($"Bad request: column '{Encoding.UTF8.GetString(column)}' has no family:qualifier separator");
                }
                puts.Add(new PutCell(key, columnKey, cell.Timestamp, cell.Value));
            }
        }
        table.Put(puts, Now);
        counters.Put(rows.Count, puts.Count);
        return RestResult.Ok();
    }

    private RestResult PutBinary(RestRequest request, StoredTable table, RowSpec spec)
    {
        var row = request.Header("X-Row") is { Length: > 0 } xr ? Encoding.UTF8.GetBytes(xr) : spec.Row;
        var column = request.Header("X-Column") is { Length: > 0 } xc ? Encoding.UTF8.GetBytes(xc) : spec.Columns.FirstOrDefault();
        long? ts = spec.Timestamp;
        if (request.Header("X-Timestamp") is { Length: > 0 } xt)
        {
            if (!long.TryParse(xt, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return RestResult.BadRequest($"Bad request: invalid X-Timestamp '{xt}'");
            }
            ts = parsed;
        }
        if (row.Length == 0)
        {
            return RestResult.BadRequest("Bad request: Row key not specified.");
        }
        if (column is null)
        {
            return RestResult.BadRequest("Bad request: Column found to be null.");
        }
        if (!ColumnKey.TryParse(column, out var key))
        {
            return RestResult.BadRequest($"Bad request: column '{Encoding.UTF8.GetString(column)}' has no family:qualifier separator");
        }
        table.Put([new PutCell(row, key, ts == long.MaxValue ? null : ts, request.Body)], Now);
        counters.Put(1, 1);
        return RestResult.Ok();
    }

    /// <summary>The last cell is the condition; the cells before it are the put and must include the checked column.</summary>
    private RestResult CheckAndPut(StoredTable table, RowSpec spec, IReadOnlyList<RowModel> rows)
    {
        if (rows.Count != 1)
        {
            return RestResult.BadRequest("Bad request: Number of rows specified is not 1.");
        }
        var row = rows[0];
        var key = row.Key ?? spec.Row;
        if (key.Length == 0 || row.Cells.Count <= 1)
        {
            return RestResult.BadRequest("Bad request: Either row key is null or no data found for columns specified.");
        }
        var condition = row.Cells[^1];
        if (condition.Column is null || !ColumnKey.TryParse(condition.Column, out var checkKey) || checkKey.Qualifier.Length == 0)
        {
            return RestResult.BadRequest("Bad request: Column incorrectly specified.");
        }
        var puts = new List<PutCell>();
        var putsCheckedColumn = false;
        foreach (var cell in row.Cells.Take(row.Cells.Count - 1))
        {
            if (cell.Column is null)
            {
                return RestResult.BadRequest("Bad request: Column found to be null.");
            }
            if (!ColumnKey.TryParse(cell.Column, out var columnKey))
            {
                return RestResult.BadRequest("Bad request");
            }
            putsCheckedColumn |= cell.Column.AsSpan().SequenceEqual(condition.Column);
            puts.Add(new PutCell(key, columnKey, cell.Timestamp, cell.Value));
        }
        if (!putsCheckedColumn)
        {
            return RestResult.BadRequest("Bad request: The column to put and check do not match.");
        }
        if (!table.CheckAndPut(key, checkKey, condition.Value, puts, Now))
        {
            return RestResult.Text(304, "Value not Modified");
        }
        counters.Put(1, puts.Count);
        return RestResult.Ok();
    }

    /// <summary>The last cell is the condition; the cells before it name what to delete (the checked column itself when alone).</summary>
    private RestResult CheckAndDelete(StoredTable table, RowSpec spec, IReadOnlyList<RowModel> rows)
    {
        if (rows.Count != 1)
        {
            return RestResult.BadRequest("Bad request: Number of rows specified is not 1.");
        }
        var row = rows[0];
        var key = row.Key ?? spec.Row;
        if (key.Length == 0 || row.Cells.Count == 0)
        {
            return RestResult.BadRequest("Bad request: Either row key is null or no data found for columns specified.");
        }
        var condition = row.Cells[^1];
        var checkColumn = condition.Column ?? spec.Columns.FirstOrDefault();
        if (checkColumn is null)
        {
            return RestResult.BadRequest("Bad request: Column not specified for check.");
        }
        var deletes = new List<DeleteOp>();
        foreach (var cell in row.Cells.Take(row.Cells.Count - 1))
        {
            if (cell.Column is null)
            {
                return RestResult.BadRequest("Bad request: Column found to be null.");
            }
            var selector = ColumnSelector.Parse(cell.Column);
            deletes.Add(selector.Qualifier is null
                ? new DeleteOp(DeleteKind.Family, selector.Family)
                : new DeleteOp(DeleteKind.LatestVersion, selector.Family, selector.Qualifier));
        }
        if (!ColumnKey.TryParse(checkColumn, out var checkKey))
        {
            return RestResult.BadRequest("Bad request: Column incorrectly specified.");
        }
        if (row.Cells.Count == 1)
        {
            deletes.Add(new DeleteOp(DeleteKind.Column, checkKey.Family, checkKey.Qualifier));
        }
        return table.CheckAndDelete(key, checkKey, condition.Value, deletes, Now)
            ? RestResult.Ok()
            : RestResult.Text(304, "Value not Modified");
    }

    /// <summary><c>DELETE /{table}/{row}[/{family}[:{qualifier}]][/{ts}]</c>: everything at or below ts (default now).</summary>
    private RestResult DeleteRow(RestRequest request)
    {
        if (readOnly)
        {
            return RestResult.Forbidden();
        }
        var table = Table(request, out var notFound);
        if (table is null)
        {
            return notFound!;
        }
        var spec = RowSpec.Parse([.. request.Segments.Skip(1)], null);
        if (!spec.IsSingleRow)
        {
            return RestResult.BadRequest("Bad request: deletes address a single row");
        }
        store.CountWrite();
        var ts = spec.Timestamp;
        List<DeleteOp> deletes = spec.Columns.Count == 0
            ? [new DeleteOp(DeleteKind.Row, Timestamp: ts)]
            : [.. spec.Columns.Select(c => ColumnSelector.Parse(c)).Select(s => s.Qualifier is null
                ? new DeleteOp(DeleteKind.Family, s.Family, Timestamp: ts)
                : new DeleteOp(DeleteKind.Column, s.Family, s.Qualifier, ts))];
        table.Delete(spec.Row, deletes, Now);
        return RestResult.Ok();
    }
}
