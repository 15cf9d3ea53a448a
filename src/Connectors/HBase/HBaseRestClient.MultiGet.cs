using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Unicode;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>The longest path and query of one multi-get request; more keys go into further requests.</summary>
    private const int MaxMultiGetPathLength = 6000;

    /// <summary>The largest key set kept for reuse.</summary>
    private const int MaxKeptAskedSetSize = 4096;

    private StringBuilder? _pathBuilder;

    /// <summary>Key sets of finished multi-gets, kept for the next ones (a few run at once).</summary>
    private readonly HashSet<string>?[] _askedSets = new HashSet<string>?[8];

    /// <summary>Reads many rows in one request (<c>GET /{table}/multiget[/{columns}]?row=..&amp;row=..[&amp;v=n]</c>), or
    /// in as few as keep each request line under 6000 characters when the keys do not fit in one.</summary>
    /// <param name="table">The table.</param>
    /// <param name="rows">The row keys; not empty.</param>
    /// <param name="options">Which columns and versions; a time range is not supported by the multi-get resource.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows found, in the gateway's order; missing or expired rows are absent (empty on HTTP 404 when the
    /// table exists).</returns>
    /// <remarks>The gateway answers 404 both when no row is found and when the table does not exist. On a 404 the client
    /// reads the table's schema (<c>GET /{table}/schema</c>) to tell them apart, and trusts a table found there for
    /// <see cref="HBaseRestClientOptions.TableExistenceTtl"/>, so that batches whose keys all miss cost no extra request
    /// each.</remarks>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty or a key cannot be encoded, the table or a
    /// column is invalid, <see cref="HBaseGetOptions.MaxVersions"/> is less than 1, or a time range is given.</exception>
    /// <exception cref="HBaseRestException">The table does not exist (<see cref="HBaseRestException.StatusCode"/> 404),
    /// the gateway answered something else than 200 or 404, the answer is malformed or holds a row that was not asked
    /// for, or the call failed after its retries.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<IReadOnlyList<HBaseRow>> MultiGetAsync(
        string table, IReadOnlyList<string> rows, HBaseGetOptions? options = null, CancellationToken cancellationToken = default)
    {
        var collector = new RowCollector();
        await MultiGetAsync(table, rows, options, collector, cancellationToken).ConfigureAwait(false);
        return collector.Rows;
    }

    /// <summary>As <see cref="MultiGetAsync(string, IReadOnlyList{string}, HBaseGetOptions?, CancellationToken)"/>, but
    /// hands each row of the answers to <paramref name="sink"/> as it is decoded, with its key as the very string that
    /// was asked for, instead of building rows. A failure can come after some rows were handed over. With
    /// <paramref name="distinct"/>, a key given more than once is asked once.</summary>
    internal async Task MultiGetAsync(
        string table, IReadOnlyList<string> rows, HBaseGetOptions? options, IRowSink sink, CancellationToken cancellationToken, bool distinct = false)
    {
        HBaseNames.CheckTable(table, nameof(table));
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A multi-get needs at least one row key.", nameof(rows));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            HBaseNames.CheckRowKey(rows[i], nameof(rows), i);
        }

        if (options?.TimeRange is not null)
        {
            throw new ArgumentException("The multi-get resource takes no time range; read the rows one by one.", nameof(options));
        }

        var prefix = new StringBuilder().Append(HBaseNames.Segment(table)).Append("/multiget");
        AppendColumns(prefix, options?.Columns);
        var asked = RentAskedSet();
        try
        {
            var repeats = false;
            for (var i = 0; i < rows.Count; i++)
            {
                repeats |= !asked.Add(rows[i]);
            }

            if (repeats && distinct)
            {
                rows = rows.Distinct(StringComparer.Ordinal).ToList();
            }

            var prefixText = prefix.ToString();
            var next = 0;
            while (next < rows.Count)
            {
                var first = next;
                var endpoint = _endpoints.Pick();
                var uri = NextMultiGetUri(_endpoints.Origin(endpoint), prefixText, rows, ref next, options?.MaxVersions);
                var request = new RestRequest(HttpMethod.Get, uri, "multi-get", table, null) { PooledBody = true, PathOrigin = endpoint, Origin = endpoint };
                await MultiGetOnceAsync(request, new AskedRows(asked, rows, first, next), sink, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ReturnAskedSet(asked);
        }
    }

    /// <summary>A set for the keys of one multi-get, from a few kept between calls.</summary>
    private HashSet<string> RentAskedSet()
    {
        for (var i = 0; i < _askedSets.Length; i++)
        {
            if (Interlocked.Exchange(ref _askedSets[i], null) is { } set)
            {
                return set;
            }
        }

        return new HashSet<string>(StringComparer.Ordinal);
    }

    private void ReturnAskedSet(HashSet<string> set)
    {
        if (set.Count > MaxKeptAskedSetSize)
        {
            return;
        }

        set.Clear();
        for (var i = 0; i < _askedSets.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _askedSets[i], set, null) is null)
            {
                return;
            }
        }
    }

    /// <summary>The absolute address of one multi-get request on the gateway at <paramref name="origin"/>: as many keys
    /// from <paramref name="next"/> on as fit in one request line (gateways refuse longer ones with 414 or 400), at least
    /// one; <paramref name="next"/> moves past them.</summary>
    private string NextMultiGetUri(string origin, string prefix, IReadOnlyList<string> rows, ref int next, int? maxVersions)
    {
        // One builder kept between calls, taken while a path is built: a multi-get path runs to thousands of characters.
        var path = Interlocked.Exchange(ref _pathBuilder, null) ?? new StringBuilder(MaxMultiGetPathLength + 64);
        path.Clear().Append(origin);
        var pathStart = path.Length;
        path.Append(prefix);
        var separator = '?';
        var first = next;
        while (next < rows.Count)
        {
            var start = path.Length;
            path.Append(separator).Append("row=");
            AppendEscaped(path, rows[next]);
            if (next > first && path.Length - pathStart > MaxMultiGetPathLength)
            {
                path.Length = start;
                break;
            }

            separator = '&';
            next++;
        }

        AppendVersions(path, maxVersions, separator);
        var text = path.ToString();
        if (path.Capacity <= 4 * MaxMultiGetPathLength)
        {
            Volatile.Write(ref _pathBuilder, path);
        }

        return text;
    }

    /// <summary>Appends <paramref name="value"/> percent-encoded as <see cref="Uri.EscapeDataString(string)"/> does.</summary>
    private static void AppendEscaped(StringBuilder builder, string value)
    {
        // Up to three bytes of UTF-8 per char, three chars per escaped byte.
        if (value.Length <= 256)
        {
            Span<char> escaped = stackalloc char[value.Length * 9];
            if (Uri.TryEscapeDataString(value, escaped, out var written))
            {
                builder.Append(escaped[..written]);
                return;
            }
        }

        builder.Append(Uri.EscapeDataString(value));
    }

    private async Task MultiGetOnceAsync(RestRequest request, AskedRows asked, IRowSink sink, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.OK)
        {
            try
            {
                ReadRows(request, response, asked, sink);
            }
            finally
            {
                response.ReturnBody();
            }

            return;
        }

        var unexpected = response.Status == HttpStatusCode.NotFound ? null : Unexpected(request, response);
        response.ReturnBody();
        if (unexpected is not null)
        {
            throw unexpected;
        }

        // "No rows found.", or no such table: the gateway answers both alike.
        await ConfirmTableExistsAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the rows of a 200 answer to the sink.</summary>
    private void ReadRows(RestRequest request, RawResponse response, AskedRows asked, IRowSink sink)
    {
        try
        {
            if (_codec is ProtobufCodec)
            {
                var reader = new AskedRowReader(asked, sink);
                ProtobufCellSetReader.Read(response.Content, ref reader);
            }
            else
            {
                Replay(_codec.ReadCellSet(response.Content.ToArray()), asked.Set, sink);
            }
        }
        catch (StrangerRowException stranger)
        {
            throw new HBaseRestException(
                $"multi-get: the answer holds row '{stranger.Row}', which was not asked for", request.Table, stranger.Row, response.Status, response.EndpointUri, Snippet(response.Content), false);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or HBaseRestException))
        {
            throw new HBaseRestException(
                $"{request.Operation}: the answer is malformed or truncated ({ex.Message})",
                request.Table, request.Row, response.Status, response.EndpointUri, Snippet(response.Content), isTransient: false, ex);
        }
    }

    /// <summary>Hands rows decoded by another codec to the sink, keys checked against those asked.</summary>
    private static void Replay(List<HBaseRow> rows, HashSet<string> asked, IRowSink sink)
    {
        foreach (var row in rows)
        {
            if (!asked.TryGetValue(row.Key, out var key))
            {
                throw new StrangerRowException(row.Key);
            }

            sink.BeginRow(key);
            foreach (var cell in row.Cells)
            {
                sink.Cell(cell.Column, cell.TimestampMilliseconds, cell.Value.Span);
            }

            sink.EndRow();
        }
    }

    /// <summary>An answer's row that was not asked for.</summary>
    private sealed class StrangerRowException(string row) : Exception($"row '{row}' was not asked for")
    {
        public string Row { get; } = row;
    }

    /// <summary>The keys of one multi-get request: <see cref="Rows"/> from <see cref="First"/> to before
    /// <see cref="End"/>, and <see cref="Set"/> holding every key of the call.</summary>
    private readonly record struct AskedRows(HashSet<string> Set, IReadOnlyList<string> Rows, int First, int End);

    /// <summary>Forwards decoded protobuf rows to an <see cref="IRowSink"/>, each key resolved to the string asked for.</summary>
    /// <remarks>A gateway answers the rows found in the order they were asked (the Java gateway reads them one by one,
    /// in order), so each key is first compared with the keys asked after the previous row's; only a key not found
    /// there (another order, a key that is not ASCII, or a row not asked for) is looked up in the set.</remarks>
    private struct AskedRowReader(AskedRows asked, IRowSink sink) : ICellSetSink
    {
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _set = asked.Set.GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly ColumnNames _columns = new();
        private int _cursor = asked.First;

        public void BeginRow(ReadOnlySpan<byte> key)
        {
            var rows = asked.Rows;
            for (var i = _cursor; i < asked.End; i++)
            {
                var row = rows[i];
                if (row.Length == key.Length && Ascii.Equals(key, row))
                {
                    _cursor = i + 1;
                    sink.BeginRow(row);
                    return;
                }
            }

            BeginRowBySet(key);
        }

        private readonly void BeginRowBySet(ReadOnlySpan<byte> key)
        {
            char[]? rented = null;
            var chars = key.Length <= 256 ? stackalloc char[key.Length] : (rented = ArrayPool<char>.Shared.Rent(key.Length));
            try
            {
                if (Utf8.ToUtf16(key, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
                {
                    throw new MalformedBodyException("a row key is not valid UTF-8");
                }

                if (!_set.TryGetValue(chars[..written], out var found))
                {
                    throw new StrangerRowException(chars[..written].ToString());
                }

                sink.BeginRow(found);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        public readonly void Cell(ReadOnlySpan<byte> column, long? timestamp, ReadOnlySpan<byte> data) =>
            sink.Cell(_columns.Decode(column), timestamp, data);

        public readonly void EndRow() => sink.EndRow();
    }

    /// <summary>Builds <see cref="HBaseRow"/>s, each value in its own array.</summary>
    private sealed class RowCollector : IRowSink
    {
        private string? _key;
        private List<HBaseCell>? _cells;

        public List<HBaseRow> Rows { get; } = [];

        public void BeginRow(string key)
        {
            _key = key;
            _cells = [];
        }

        public void Cell(string column, long? timestamp, ReadOnlySpan<byte> value) =>
            _cells!.Add(new HBaseCell(column, value.ToArray(), timestamp is { } ts ? NodaTime.Instant.FromUnixTimeMilliseconds(ts) : null));

        public void EndRow() => Rows.Add(new HBaseRow(_key!, _cells!));
    }
}
