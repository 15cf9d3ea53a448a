using System.Globalization;
using System.Net;
using System.Text;
using Cep.Connectors.HBase.Internal;
using NodaTime;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    private const string BatchPathRow = "batch";

    /// <summary>Reads one row (<c>GET /{table}/{row}[/{columns}][/{start},{end}][?v=n]</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="options">Which columns, versions and time range; null for the newest version of every column.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The row, or null if it does not exist or nothing in it matches (HTTP 404, also for expired cells; the
    /// table's existence is then confirmed through its schema, see <see cref="HBaseRestClientOptions.TableExistenceTtl"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a valid table name, <paramref name="row"/>
    /// cannot be encoded, a column is malformed, <see cref="HBaseGetOptions.MaxVersions"/> is less than 1, or a time range
    /// is given without columns.</exception>
    /// <exception cref="HBaseRestException">The table does not exist, the gateway answered something else than 200 or
    /// 404, the answer is malformed, or the call failed after its retries.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseRow?> GetRowAsync(string table, string row, HBaseGetOptions? options = null, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        _ = HBaseNames.EncodePathRowKey(row, nameof(row));
        var path = new StringBuilder().Append(HBaseNames.Segment(table)).Append('/').Append(HBaseNames.Segment(row));
        AppendReadSpec(path, options, allowTimeRange: true);
        var request = new RestRequest(HttpMethod.Get, path.ToString(), "get row", table, row);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case HttpStatusCode.OK:
                return Decode(request, response, _codec.ReadCellSet) switch
                {
                    [] => null,
                    [var only] when only.Key == row => only,
                    var rows => throw new HBaseRestException(
                        $"get row: the answer holds {rows.Count} rows, expected row '{row}' alone", table, row, response.Status, response.EndpointUri, Snippet(response.Body), false),
                };
            case HttpStatusCode.NotFound:
                // No such row, or no such table: the gateway answers both alike (as for a multi-get).
                await ConfirmTableExistsAsync(request, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                throw Unexpected(request, response);
        }
    }

    /// <summary>Reads the newest version of one cell.</summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="column">The column, <c>family:qualifier</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cell, or null if it does not exist (HTTP 404).</returns>
    /// <exception cref="ArgumentException">The table, row or column is invalid (see <see cref="GetRowAsync"/>).</exception>
    /// <exception cref="HBaseRestException">As for <see cref="GetRowAsync"/>.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseCell?> GetCellAsync(string table, string row, string column, CancellationToken cancellationToken = default)
    {
        _ = HBaseNames.EncodeColumn(column, nameof(column), familyAllowed: false);
        var result = await GetRowAsync(table, row, new HBaseGetOptions { Columns = [column] }, cancellationToken).ConfigureAwait(false);
        return result?.Newest(column);
    }

    /// <summary>Writes one cell (<c>PUT /{table}/{row}/{family:qualifier}</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="column">The column, <c>family:qualifier</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">The cell timestamp (milliseconds are kept), or null to let the gateway assign its time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the gateway has stored the cell.</returns>
    /// <exception cref="ArgumentException">The table, row or column is invalid, or the timestamp is before the Unix epoch.</exception>
    /// <exception cref="HBaseRestException">The gateway did not answer 200 (404 when the table or family is missing).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task PutCellAsync(
        string table, string row, string column, ReadOnlyMemory<byte> value, Instant? timestamp = null, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var key = HBaseNames.EncodePathRowKey(row, nameof(row));
        var cell = new WireCell(HBaseNames.EncodeColumn(column, nameof(column), familyAllowed: false), value, Millis(timestamp, nameof(timestamp)));
        var path = $"{HBaseNames.Segment(table)}/{HBaseNames.Segment(row)}/{ColumnSegment(column)}";
        return WriteAsync(new RestRequest(HttpMethod.Put, path, "put cell", table, row) { Body = _codec.WriteCellSet([new WireRow(key, [cell])]) }, cancellationToken);
    }

    /// <summary>Writes many rows in one request (<c>PUT /{table}/{first row}</c> with a cell set of all the rows);
    /// the gateway stores them as one batch and answers once for all.</summary>
    /// <param name="table">The table.</param>
    /// <param name="rows">The rows, each with at least one cell of a <c>family:qualifier</c> column.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the gateway has stored the batch.</returns>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty, a row has no cells, or a key, column or
    /// timestamp is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway did not answer 200.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task PutRowsAsync(string table, IReadOnlyList<HBaseRow> rows, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A batch put needs at least one row.", nameof(rows));
        }

        var wire = new List<WireRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"rows[{i}] is null.", nameof(rows));
            wire.Add(ToWire(row, $"{nameof(rows)}[{i}]"));
        }

        // Each row's key in the body overrides the path's, which only has to be a harmless placeholder.
        var path = $"{HBaseNames.Segment(table)}/{BatchPathRow}";
        return WriteAsync(new RestRequest(HttpMethod.Put, path, "put rows", table, rows.Count == 1 ? rows[0].Key : null) { Body = _codec.WriteCellSet(wire) }, cancellationToken);
    }

    /// <summary>Deletes a whole row (<c>DELETE /{table}/{row}</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the row is deleted (also when it did not exist).</returns>
    /// <exception cref="ArgumentException">The table or row is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway did not answer 200 (404 when the table is missing).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task DeleteRowAsync(string table, string row, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        _ = HBaseNames.EncodePathRowKey(row, nameof(row));
        return WriteAsync(new RestRequest(HttpMethod.Delete, $"{HBaseNames.Segment(table)}/{HBaseNames.Segment(row)}", "delete row", table, row), cancellationToken);
    }

    /// <summary>Deletes a column or a family of one row, all versions or those at or before a timestamp
    /// (<c>DELETE /{table}/{row}/{column}[/{ts}]</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="column">The column <c>family:qualifier</c>, or a family alone.</param>
    /// <param name="timestamp">Deletes only the versions at or before this timestamp, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the cells are deleted.</returns>
    /// <exception cref="ArgumentException">The table, row, column or timestamp is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway did not answer 200.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task DeleteColumnAsync(string table, string row, string column, Instant? timestamp = null, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        _ = HBaseNames.EncodePathRowKey(row, nameof(row));
        _ = HBaseNames.EncodeColumn(column, nameof(column), familyAllowed: true);
        var path = $"{HBaseNames.Segment(table)}/{HBaseNames.Segment(row)}/{ColumnSegment(column)}";
        if (Millis(timestamp, nameof(timestamp)) is { } ms)
        {
            path += "/" + ms.ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(new RestRequest(HttpMethod.Delete, path, "delete column", table, row), cancellationToken);
    }

    private async Task WriteAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent))
        {
            throw Unexpected(request, response);
        }
    }

    private static WireRow ToWire(HBaseRow row, string paramName)
    {
        var key = HBaseNames.EncodeRowKey(row.Key, $"{paramName}.Key");
        if (row.Cells is null || row.Cells.Count == 0)
        {
            throw new ArgumentException($"The row '{row.Key}' has no cells to write.", paramName);
        }

        var cells = new List<WireCell>(row.Cells.Count);
        for (var i = 0; i < row.Cells.Count; i++)
        {
            var cell = row.Cells[i] ?? throw new ArgumentException($"{paramName}.Cells[{i}] is null.", paramName);
            cells.Add(ToWire(cell, $"{paramName}.Cells[{i}]"));
        }

        return new WireRow(key, cells);
    }

    private static WireCell ToWire(HBaseCell cell, string paramName) =>
        new(HBaseNames.EncodeColumn(cell.Column, $"{paramName}.Column", familyAllowed: false), cell.Value, Millis(cell.Timestamp, $"{paramName}.Timestamp"));

    private static long? Millis(Instant? timestamp, string paramName)
    {
        if (timestamp is not { } t)
        {
            return null;
        }

        var ms = t.ToUnixTimeMilliseconds();
        return ms >= 0 ? ms : throw new ArgumentException($"HBase timestamps start at the Unix epoch; {t} is before it.", paramName);
    }

    /// <summary>A column in a path: family and qualifier escaped apart, joined by a literal colon.</summary>
    private static string ColumnSegment(string column)
    {
        var colon = column.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? HBaseNames.Segment(column)
            : HBaseNames.Segment(column[..colon]) + ":" + HBaseNames.Segment(column[(colon + 1)..]);
    }

    private static void AppendColumns(StringBuilder path, IReadOnlyList<string>? columns)
    {
        HBaseNames.CheckColumns(columns, "options.Columns");
        if (columns is { Count: > 0 })
        {
            path.Append('/').AppendJoin(',', columns.Select(ColumnSegment));
        }
    }

    private static void AppendReadSpec(StringBuilder path, HBaseGetOptions? options, bool allowTimeRange)
    {
        AppendColumns(path, options?.Columns);
        if (options?.TimeRange is { } range && allowTimeRange)
        {
            if (options.Columns is not { Count: > 0 })
            {
                throw new ArgumentException("A time range needs at least one column (or family): the gateway reads it after the column list.", nameof(options));
            }

            if (range.StartMilliseconds == 0)
            {
                throw new ArgumentException(
                    "A row read cannot take a time range starting at the epoch: the gateway reads '0,end' as the single timestamp 'end'. Start at 1 ms or later.", nameof(options));
            }

            path.Append('/').Append(range.StartMilliseconds.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(range.EndMilliseconds.ToString(CultureInfo.InvariantCulture));
        }

        AppendVersions(path, options?.MaxVersions, '?');
    }

    private static void AppendVersions(StringBuilder path, int? maxVersions, char separator)
    {
        if (maxVersions is { } v)
        {
            if (v < 1)
            {
                throw new ArgumentException($"MaxVersions must be at least 1; it was {v}.", "options");
            }

            path.Append(separator).Append("v=").Append(v.ToString(CultureInfo.InvariantCulture));
        }
    }
}
