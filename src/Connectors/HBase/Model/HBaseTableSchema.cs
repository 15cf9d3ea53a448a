namespace Cep.Connectors.HBase;

/// <summary>The schema of a table: its name, column families and table attributes.</summary>
/// <param name="Name">The table name (optionally <c>namespace:table</c>).</param>
/// <param name="ColumnFamilies">The column families.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseTableSchema(string Name, IReadOnlyList<HBaseColumnFamilySchema> ColumnFamilies)
{
    /// <summary>Gets the table attributes (e.g. <c>IS_META</c>), copied verbatim.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
