using System.Net;
using System.Runtime.CompilerServices;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>Creates a stateful scanner on one gateway (<c>PUT /{table}/scanner</c>, 201 with its location).</summary>
    /// <param name="table">The table.</param>
    /// <param name="options">The row range or prefix, columns, time range and batch size; null for the whole table.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The scanner; its calls go to the gateway that created it. Dispose it to release it on the gateway.</returns>
    /// <exception cref="ArgumentException">The table, a row key or a column is invalid, <see cref="HBaseScanOptions.Batch"/>
    /// or <see cref="HBaseScanOptions.MaxVersions"/> is less than 1.</exception>
    /// <exception cref="HBaseRestException">The gateway did not answer 201 with a location (404 when the table is missing).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseScanner> CreateScannerAsync(string table, HBaseScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        options ??= new HBaseScanOptions();
        var request = new RestRequest(HttpMethod.Put, $"{HBaseNames.Segment(table)}/scanner", "create scanner", table, null)
        {
            Body = _codec.WriteScanner(ToWire(options)),
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw Unexpected(request, response);
        }

        var id = response.Location is { } location
            ? Uri.UnescapeDataString((location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]).TrimEnd('/').Split('/')[^1])
            : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new HBaseRestException(
                "create scanner: the answer has no Location with the scanner id", table, null, response.Status, response.EndpointUri, Snippet(response.Body), false);
        }

        return new HBaseScanner(this, table, id, response.EndpointIndex, response.EndpointUri);
    }

    /// <summary>Reads every row a scan selects, creating a scanner, calling it until it is exhausted and deleting it.</summary>
    /// <param name="table">The table.</param>
    /// <param name="options">What to scan; null for the whole table.</param>
    /// <param name="cancellationToken">Cancels the scan (the scanner is still deleted).</param>
    /// <returns>The rows in key order; a row split over several batches is returned once, whole.</returns>
    /// <exception cref="ArgumentException">As for <see cref="CreateScannerAsync"/>.</exception>
    /// <exception cref="HBaseRestException">A call failed; <see cref="HBaseScannerExpiredException"/> when the scanner
    /// expired on the gateway.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async IAsyncEnumerable<HBaseRow> ScanAsync(
        string table, HBaseScanOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scanner = await CreateScannerAsync(table, options, cancellationToken).ConfigureAwait(false);
        await using (scanner.ConfigureAwait(false))
        {
            HBaseRow? pending = null;
            while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                foreach (var row in batch)
                {
                    if (pending is not null && pending.Key == row.Key)
                    {
                        pending = pending with { Cells = [.. pending.Cells, .. row.Cells] };
                        continue;
                    }

                    if (pending is not null)
                    {
                        yield return pending;
                    }

                    pending = row;
                }
            }

            if (pending is not null)
            {
                yield return pending;
            }
        }
    }

    /// <summary>The next batch of a scanner, on its own gateway, without retries (a repeated "next" would skip rows).</summary>
    internal async Task<IReadOnlyList<HBaseRow>?> ScannerNextAsync(HBaseScanner scanner, CancellationToken cancellationToken)
    {
        var request = new RestRequest(HttpMethod.Get, ScannerPath(scanner), "scanner next", scanner.Table, null)
        {
            Endpoint = scanner.EndpointIndex,
            Retry = false,
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.OK => Decode(request, response, _codec.ReadCellSet),
            HttpStatusCode.NoContent => null,
            HttpStatusCode.Gone => throw new HBaseScannerExpiredException(scanner.Table, scanner.Id, response.EndpointUri, Snippet(response.Body)),
            HttpStatusCode.NotFound => throw new HBaseRestException(
                $"scanner next: scanner '{scanner.Id}' is unknown to the gateway (deleted, or the gateway restarted)",
                scanner.Table, null, response.Status, response.EndpointUri, Snippet(response.Body), false),
            _ => throw Unexpected(request, response),
        };
    }

    /// <summary>Deletes a scanner on its own gateway (200, also for an unknown id; 404 is accepted as already gone).</summary>
    internal async Task ScannerDeleteAsync(HBaseScanner scanner, CancellationToken cancellationToken)
    {
        var request = new RestRequest(HttpMethod.Delete, ScannerPath(scanner), "delete scanner", scanner.Table, null) { Endpoint = scanner.EndpointIndex };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Gone))
        {
            throw Unexpected(request, response);
        }
    }

    private static int Compare(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>, or null if there is none.</summary>
    private static byte[]? PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }

        return null;
    }

    private static string ScannerPath(HBaseScanner scanner) => $"{HBaseNames.Segment(scanner.Table)}/scanner/{HBaseNames.Segment(scanner.Id)}";

    private static WireScanner ToWire(HBaseScanOptions options)
    {
        if (options.Batch < 1)
        {
            throw new ArgumentException($"The scan batch must be at least 1; it was {options.Batch}.", nameof(options));
        }

        if (options.MaxVersions is < 1)
        {
            throw new ArgumentException($"The scan's maximum versions must be at least 1; it was {options.MaxVersions}.", nameof(options));
        }

        var start = options.StartRow is { } s ? HBaseNames.EncodeRowKey(s, "options.StartRow") : null;
        var end = options.EndRow is { } e ? HBaseNames.EncodeRowKey(e, "options.EndRow") : null;
        if (options.Prefix is { } prefix)
        {
            // A prefix is the row range [prefix, next key after every key with the prefix), intersected with the given
            // range: cheaper than a PrefixFilter, which would read from the table's start.
            var bytes = HBaseNames.EncodeRowKey(prefix, "options.Prefix");
            if (start is null || Compare(start, bytes) < 0)
            {
                start = bytes;
            }

            if (PrefixEnd(bytes) is { } prefixEnd && (end is null || Compare(prefixEnd, end) < 0))
            {
                end = prefixEnd;
            }
        }

        var columns = new List<byte[]>();
        for (var i = 0; i < (options.Columns?.Count ?? 0); i++)
        {
            columns.Add(HBaseNames.EncodeColumn(options.Columns![i], $"options.Columns[{i}]", familyAllowed: true));
        }

        return new WireScanner(start, end, columns, options.Batch, options.TimeRange?.StartMilliseconds, options.TimeRange?.EndMilliseconds, options.MaxVersions, options.Filter);
    }
}
