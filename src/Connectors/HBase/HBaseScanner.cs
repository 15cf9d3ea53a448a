namespace Cep.Connectors.HBase;

/// <summary>
/// A stateful scanner on one HBase REST gateway: <see cref="NextAsync"/> returns the next batch of cells (grouped by
/// row) until the scan is exhausted. Every call goes to the gateway that created the scanner, since scanner state
/// lives there.
/// </summary>
/// <remarks>A "next" call is not retried: repeating one after a lost answer would skip rows. A scanner the gateway
/// dropped (HTTP 410) throws <see cref="HBaseScannerExpiredException"/>.</remarks>
/// <threadsafety>Not safe for concurrent calls: call <see cref="NextAsync"/> from one flow at a time.</threadsafety>
public sealed class HBaseScanner : IAsyncDisposable
{
    private readonly HBaseRestClient _client;
    private int _deleted;

    internal HBaseScanner(HBaseRestClient client, string table, string id, int endpointIndex, Uri endpoint)
    {
        _client = client;
        Table = table;
        Id = id;
        EndpointIndex = endpointIndex;
        Endpoint = endpoint;
    }

    /// <summary>Gets the table scanned.</summary>
    public string Table { get; }

    /// <summary>Gets the gateway's scanner id.</summary>
    public string Id { get; }

    /// <summary>Gets the gateway that holds the scanner.</summary>
    public Uri Endpoint { get; }

    internal int EndpointIndex { get; }

    /// <summary>Reads the next batch (<c>GET /{table}/scanner/{id}</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows of the batch (a row may continue in the next batch when it has more cells than the batch
    /// size), or null when the scan is exhausted (204).</returns>
    /// <exception cref="HBaseScannerExpiredException">The gateway dropped the scanner (410).</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200, 204 or 410, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The scanner was deleted, or the client is disposed.</exception>
    public Task<IReadOnlyList<HBaseRow>?> NextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _deleted) != 0, this);
        return _client.ScannerNextAsync(this, cancellationToken);
    }

    /// <summary>Deletes the scanner on its gateway (<c>DELETE /{table}/scanner/{id}</c>); later calls do nothing.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the gateway has released the scanner.</returns>
    /// <exception cref="HBaseRestException">The gateway answered something unexpected.</exception>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _deleted, 1) == 0)
        {
            await _client.ScannerDeleteAsync(this, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the scanner if it was not deleted yet; a failure is ignored (the gateway expires it anyway).</summary>
    /// <returns>A task that completes when the delete was attempted.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HBaseRestException or ObjectDisposedException)
        {
            // The gateway drops unused scanners after its expiry time; nothing is lost by not deleting it now.
        }
    }

    /// <summary>Describes the scanner.</summary>
    /// <returns>The table, id and gateway.</returns>
    public override string ToString() => $"HBaseScanner {{ Table = {Table}, Id = {Id}, Endpoint = {Endpoint} }}";
}
