using System.Text;

namespace Cep.HBaseRestServer.Store;

/// <summary>Unsigned lexicographic ordering and equality of byte strings, as HBase orders row keys and qualifiers.
/// Also compares spans with arrays, for look-ups without copying a key out of a request.</summary>
internal sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.AsSpan().SequenceCompareTo(y);

    public bool Equals(byte[]? x, byte[]? y) =>
        x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => other is not null && alternate.SequenceEqual(other);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}

/// <summary>A column's coordinates inside a row: family name and qualifier bytes.</summary>
internal readonly record struct ColumnKey(string Family, byte[] Qualifier)
{
    /// <summary>Splits <c>family:qualifier</c> at the first colon; <c>false</c> when there is no colon.</summary>
    public static bool TryParse(ReadOnlySpan<byte> column, out ColumnKey key)
    {
        var colon = column.IndexOf((byte)':');
        if (colon < 0)
        {
            key = default;
            return false;
        }
        key = new ColumnKey(Encoding.UTF8.GetString(column[..colon]), column[(colon + 1)..].ToArray());
        return true;
    }

    /// <summary>The <c>family:qualifier</c> byte string.</summary>
    public byte[] ToColumnBytes()
    {
        var family = Encoding.UTF8.GetBytes(Family);
        var result = new byte[family.Length + 1 + Qualifier.Length];
        family.CopyTo(result, 0);
        result[family.Length] = (byte)':';
        Qualifier.CopyTo(result, family.Length + 1);
        return result;
    }

    public override string ToString() => Family + ":" + Encoding.UTF8.GetString(Qualifier);
}

/// <summary>Orders columns by family, then qualifier, both bytewise; equal when both are.</summary>
internal sealed class ColumnKeyComparer : IComparer<ColumnKey>, IEqualityComparer<ColumnKey>
{
    public static readonly ColumnKeyComparer Instance = new();

    public bool Equals(ColumnKey x, ColumnKey y) =>
        string.Equals(x.Family, y.Family, StringComparison.Ordinal) && ByteArrayComparer.Instance.Equals(x.Qualifier, y.Qualifier);

    public int GetHashCode(ColumnKey obj) => HashCode.Combine(obj.Family, ByteArrayComparer.Instance.GetHashCode(obj.Qualifier));

    public int Compare(ColumnKey x, ColumnKey y)
    {
        var byFamily = string.CompareOrdinal(x.Family, y.Family);
        return byFamily != 0 ? byFamily : ByteArrayComparer.Instance.Compare(x.Qualifier, y.Qualifier);
    }
}
