using System.Text;

namespace Cep.Connectors.HBase.Internal;

/// <summary>Checks and encodes table names, row keys and columns before anything is sent.</summary>
internal static class HBaseNames
{
    /// <summary>HBase's limit on a row key, in bytes (a Java <c>short</c>).</summary>
    public const int MaxRowKeyBytes = short.MaxValue;

    /// <summary>Strict UTF-8: throws on unpaired surrogates instead of writing replacement characters.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks a table name (<c>[namespace:]table</c>, letters, digits, '_', '-', '.').</summary>
    public static void CheckTable(string table, string paramName)
    {
        ArgumentNullException.ThrowIfNull(table, paramName);
        var colon = table.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? table[(colon + 1)..] : table;
        var ns = colon >= 0 ? table[..colon] : null;
        if (name.Length == 0 || name[0] == '.' || name[0] == '-' || !name.All(IsTableChar)
            || (ns is not null && (ns.Length == 0 || !ns.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))))
        {
            throw new ArgumentException(
                $"'{table}' is not a valid HBase table name: use [namespace:]name with letters, digits, '_', '-' and '.', not starting with '.' or '-'.", paramName);
        }
    }

    private static bool IsTableChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>Encodes a row key to UTF-8, rejecting what cannot be stored or addressed.</summary>
    public static byte[] EncodeRowKey(string row, string paramName)
    {
        ArgumentNullException.ThrowIfNull(row, paramName);
        if (row.Length == 0)
        {
            throw new ArgumentException("A row key must not be empty.", paramName);
        }

        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(row);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The row key has an unpaired surrogate at index {ex.Index} and cannot be encoded as UTF-8.", paramName, ex);
        }

        if (bytes.Length > MaxRowKeyBytes)
        {
            throw new ArgumentException(
                $"The row key is {bytes.Length} bytes in UTF-8; HBase allows at most {MaxRowKeyBytes}.", paramName);
        }

        return bytes;
    }

    /// <summary>Checks a row key as <see cref="EncodeRowKey"/> does, without encoding it when it is plainly valid;
    /// the parameter name of a failure is <c>{paramName}[{index}]</c>.</summary>
    public static void CheckRowKey(string row, string paramName, int index)
    {
        // Without surrogates every char is at most three bytes of UTF-8 and nothing can fail to encode.
        if (row is null || row.Length == 0 || row.Length > MaxRowKeyBytes / 3 || row.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            _ = EncodeRowKey(row!, $"{paramName}[{index}]");
        }
    }

    /// <summary>Encodes a row key that goes into a URL path as a single row: a trailing '*' would read as a prefix glob.</summary>
    public static byte[] EncodePathRowKey(string row, string paramName)
    {
        var bytes = EncodeRowKey(row, paramName);
        if (row is "." or "..")
        {
            throw new ArgumentException(
                $"The row key '{row}' cannot be addressed in a URL path (it is a dot segment); such keys can only be written in batches, read by multi-get or scanned.",
                paramName);
        }

        if (row.EndsWith('*'))
        {
            throw new ArgumentException(
                $"The row key '{row}' ends with '*', which the gateway reads as a prefix glob in a row path; such keys can only be written in batches, read by multi-get or scanned.",
                paramName);
        }

        return bytes;
    }

    /// <summary>Encodes a column (<c>family:qualifier</c>, or a family alone when <paramref name="familyAllowed"/>).</summary>
    public static byte[] EncodeColumn(string column, string paramName, bool familyAllowed)
    {
        ArgumentNullException.ThrowIfNull(column, paramName);
        var colon = column.IndexOf(':', StringComparison.Ordinal);
        if (colon == 0 || column.Length == 0 || (colon < 0 && !familyAllowed))
        {
            throw new ArgumentException(
                familyAllowed
                    ? $"The column '{column}' must be 'family' or 'family:qualifier' with a non-empty family."
                    : $"The column '{column}' must be 'family:qualifier' with a non-empty family.",
                paramName);
        }

        if (column is "." or "..")
        {
            throw new ArgumentException($"The column '{column}' cannot be addressed in a URL path (it is a dot segment).", paramName);
        }

        try
        {
            return StrictUtf8.GetBytes(column);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The column has an unpaired surrogate at index {ex.Index} and cannot be encoded as UTF-8.", paramName, ex);
        }
    }

    /// <summary>Checks a list of columns for a path or scanner; null or empty means all.</summary>
    public static void CheckColumns(IReadOnlyList<string>? columns, string paramName)
    {
        if (columns is null)
        {
            return;
        }

        for (var i = 0; i < columns.Count; i++)
        {
            _ = EncodeColumn(columns[i], $"{paramName}[{i}]", familyAllowed: true);
        }
    }

    /// <summary>Percent-encodes one path segment: '/', ':', ',', '*' and every other reserved character are escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value).Replace("*", "%2A", StringComparison.Ordinal);

    /// <summary>Decodes UTF-8 from the gateway, failing on invalid bytes.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => StrictUtf8.GetString(bytes);
}
