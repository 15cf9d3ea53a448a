using System.Net;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>
    /// Writes <paramref name="cells"/> to <paramref name="row"/> only if <paramref name="checkColumn"/> currently holds
    /// <paramref name="expectedValue"/> (<c>PUT /{table}/{row}?check=put</c>, the condition as the last cell).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="checkColumn">The column whose value is compared, <c>family:qualifier</c>.</param>
    /// <param name="expectedValue">The value it must hold.</param>
    /// <param name="cells">The cells to write; the gateway requires one of them to be for <paramref name="checkColumn"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if the condition held and the cells were written (200); false if not (304).</returns>
    /// <exception cref="ArgumentException">The table, row or a column is invalid, <paramref name="cells"/> is empty or
    /// has no cell for <paramref name="checkColumn"/>.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200 or 304.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <remarks>A retry after a lost answer may report false for a write that was applied: the value then already matches
    /// the written one, not the expected one.</remarks>
    public Task<bool> CheckAndPutAsync(
        string table, string row, string checkColumn, ReadOnlyMemory<byte> expectedValue, IReadOnlyList<HBaseCell> cells, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var key = HBaseNames.EncodePathRowKey(row, nameof(row));
        var check = HBaseNames.EncodeColumn(checkColumn, nameof(checkColumn), familyAllowed: false);
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count == 0)
        {
            throw new ArgumentException("A check-and-put needs at least one cell to write.", nameof(cells));
        }

        var wire = new List<WireCell>(cells.Count + 1);
        for (var i = 0; i < cells.Count; i++)
        {
            wire.Add(ToWire(cells[i] ?? throw new ArgumentException($"cells[{i}] is null.", nameof(cells)), $"{nameof(cells)}[{i}]"));
        }

        if (!cells.Any(c => string.Equals(c.Column, checkColumn, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The gateway requires one of the cells to write to be for the checked column '{checkColumn}'.", nameof(cells));
        }

        wire.Add(new WireCell(check, expectedValue, null));
        var request = new RestRequest(HttpMethod.Put, $"{HBaseNames.Segment(table)}/{HBaseNames.Segment(row)}?check=put", "check-and-put", table, row)
        {
            Body = _codec.WriteCellSet([new WireRow(key, wire)]),
        };
        return ConditionalAsync(request, cancellationToken);
    }

    /// <summary>
    /// Deletes <paramref name="columns"/> of <paramref name="row"/> (or <paramref name="checkColumn"/> itself when none are
    /// given) only if <paramref name="checkColumn"/> currently holds <paramref name="expectedValue"/>
    /// (<c>PUT /{table}/{row}?check=delete</c>, the condition as the last cell).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="row">The row key.</param>
    /// <param name="checkColumn">The column whose value is compared, <c>family:qualifier</c>.</param>
    /// <param name="expectedValue">The value it must hold.</param>
    /// <param name="columns">The columns (or families) to delete, or null/empty to delete the checked column.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if the condition held and the cells were deleted (200); false if not (304).</returns>
    /// <exception cref="ArgumentException">The table, row or a column is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200 or 304.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public Task<bool> CheckAndDeleteAsync(
        string table, string row, string checkColumn, ReadOnlyMemory<byte> expectedValue, IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var key = HBaseNames.EncodePathRowKey(row, nameof(row));
        var check = HBaseNames.EncodeColumn(checkColumn, nameof(checkColumn), familyAllowed: false);
        var wire = new List<WireCell>();
        for (var i = 0; i < (columns?.Count ?? 0); i++)
        {
            wire.Add(new WireCell(HBaseNames.EncodeColumn(columns![i], $"{nameof(columns)}[{i}]", familyAllowed: true), ReadOnlyMemory<byte>.Empty, null));
        }

        wire.Add(new WireCell(check, expectedValue, null));
        var request = new RestRequest(HttpMethod.Put, $"{HBaseNames.Segment(table)}/{HBaseNames.Segment(row)}?check=delete", "check-and-delete", table, row)
        {
            Body = _codec.WriteCellSet([new WireRow(key, wire)]),
        };
        return ConditionalAsync(request, cancellationToken);
    }

    private async Task<bool> ConditionalAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotModified => false,
            _ => throw Unexpected(request, response),
        };
    }
}
