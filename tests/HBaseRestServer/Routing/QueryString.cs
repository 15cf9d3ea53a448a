namespace Cep.HBaseRestServer.Routing;

/// <summary>
/// The query of a request target: <c>name=value</c> pairs between '&amp;', names percent-decoded, values left encoded.
/// Read in place, without copying the values out: a multi-get's query holds one pair per row.
/// </summary>
internal static class QueryString
{
    /// <summary>Whether every name decodes (a name with a malformed escape makes the target malformed).</summary>
    public static bool IsWellFormed(ReadOnlyMemory<char> query)
    {
        var pairs = new Pairs(query);
        while (pairs.MoveNext(out var rawName, out _))
        {
            if (rawName.ContainsAny('%', '+'))
            {
                try
                {
                    _ = PathCodec.DecodeString(rawName);
                }
                catch (Formats.BadRequestException)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>All parameters by decoded name, values in order; assumes <see cref="IsWellFormed"/>.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Parse(ReadOnlyMemory<char> query)
    {
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var pairs = new Pairs(query);
        while (pairs.MoveNext(out var rawName, out var value))
        {
            var name = PathCodec.DecodeString(rawName);
            if (!parameters.TryGetValue(name, out var list))
            {
                list = new List<string>();
                parameters[name] = list;
            }
            ((List<string>)list).Add(value.ToString());
        }
        return parameters;
    }

    /// <summary>The non-empty pairs of a query; a pair without '=' has an empty value.</summary>
    public ref struct Pairs(ReadOnlyMemory<char> query)
    {
        private ReadOnlySpan<char> _rest = query.Span;

        public bool MoveNext(out ReadOnlySpan<char> rawName, out ReadOnlySpan<char> rawValue)
        {
            while (!_rest.IsEmpty)
            {
                var amp = _rest.IndexOf('&');
                var pair = amp >= 0 ? _rest[..amp] : _rest;
                _rest = amp >= 0 ? _rest[(amp + 1)..] : [];
                if (pair.IsEmpty)
                {
                    continue;
                }
                var eq = pair.IndexOf('=');
                rawName = eq >= 0 ? pair[..eq] : pair;
                rawValue = eq >= 0 ? pair[(eq + 1)..] : [];
                return true;
            }
            rawName = rawValue = default;
            return false;
        }
    }

    /// <summary>The still-encoded values of the parameters whose decoded name is <c>name</c>, in order.</summary>
    public ref struct Values(ReadOnlyMemory<char> query, string name)
    {
        private Pairs _pairs = new(query);

        public ReadOnlySpan<char> Current { get; private set; }

        public bool MoveNext()
        {
            while (_pairs.MoveNext(out var rawName, out var value))
            {
                if (rawName.ContainsAny('%', '+') ? PathCodec.DecodeString(rawName) == name : rawName.SequenceEqual(name))
                {
                    Current = value;
                    return true;
                }
            }
            return false;
        }
    }
}
