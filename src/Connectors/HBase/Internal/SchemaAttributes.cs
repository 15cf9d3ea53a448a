using System.Globalization;
using NodaTime;

namespace Cep.Connectors.HBase.Internal;

/// <summary>Maps a column family's attribute dictionary to and from <see cref="HBaseColumnFamilySchema"/>.</summary>
internal static class SchemaAttributes
{
    /// <summary>Builds a family schema: TTL and VERSIONS become typed properties, the rest stays in the attributes; a
    /// TTL of <see cref="int.MaxValue"/> seconds or <c>FOREVER</c> is HBase's "forever" and reads as null.</summary>
    public static HBaseColumnFamilySchema Family(string name, Dictionary<string, string> attributes)
    {
        Duration? ttl = null;
        int? versions = null;
        if (attributes.Remove(HBaseColumnFamilySchema.TtlAttribute, out var ttlText)
            && long.TryParse(ttlText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < int.MaxValue)
        {
            ttl = Duration.FromSeconds(seconds);
        }

        if (attributes.Remove(HBaseColumnFamilySchema.VersionsAttribute, out var versionsText)
            && int.TryParse(versionsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            versions = v;
        }

        return new HBaseColumnFamilySchema(name) { Ttl = ttl, MaxVersions = versions, Attributes = attributes };
    }

    /// <summary>All attributes of a family as strings, TTL and VERSIONS included.</summary>
    public static Dictionary<string, string> All(HBaseColumnFamilySchema family)
    {
        var all = new Dictionary<string, string>(family.Attributes, StringComparer.Ordinal);
        if (family.Ttl is { } ttl)
        {
            all[HBaseColumnFamilySchema.TtlAttribute] = ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (family.MaxVersions is { } versions)
        {
            all[HBaseColumnFamilySchema.VersionsAttribute] = versions.ToString(CultureInfo.InvariantCulture);
        }

        return all;
    }
}
