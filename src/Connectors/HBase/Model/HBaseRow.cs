namespace Cep.Connectors.HBase;

/// <summary>One row: its key and cells, newest version first within a column when read from the gateway.</summary>
/// <param name="Key">The row key (UTF-8 on the wire).</param>
/// <param name="Cells">The cells.</param>
/// <threadsafety>Immutable as long as the cell list is not changed; safe to share.</threadsafety>
public sealed record HBaseRow(string Key, IReadOnlyList<HBaseCell> Cells)
{
    /// <summary>Gets the newest cell of <paramref name="column"/> in this row, or null.</summary>
    /// <param name="column">The column as <c>family:qualifier</c>.</param>
    /// <returns>The cell with the greatest timestamp among the cells of that column, or null if there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="column"/> is null.</exception>
    public HBaseCell? Newest(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        HBaseCell? best = null;
        foreach (var cell in Cells)
        {
            if (string.Equals(cell.Column, column, StringComparison.Ordinal)
                && (best is null || (cell.TimestampMilliseconds ?? long.MinValue) > (best.TimestampMilliseconds ?? long.MinValue)))
            {
                best = cell;
            }
        }

        return best;
    }
}
