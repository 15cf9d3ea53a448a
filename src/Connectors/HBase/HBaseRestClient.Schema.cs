using System.Net;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>Creates a table, or replaces the schema of an existing one (<c>PUT /{table}/schema</c>).</summary>
    /// <param name="schema">The table and its column families.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the gateway created or replaced it (201, or 200); false when a concurrent creator won (304).</returns>
    /// <exception cref="ArgumentException">The table name is invalid, there is no column family, a family name is empty
    /// or has a colon, a TTL is not a positive whole number of seconds up to <see cref="int.MaxValue"/>, or a maximum
    /// number of versions is less than 1.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<bool> CreateTableAsync(HBaseTableSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        CheckSchema(schema);
        var request = new RestRequest(HttpMethod.Put, $"{HBaseNames.Segment(schema.Name)}/schema", "create table", schema.Name, null)
        {
            Body = _codec.WriteSchema(schema),
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.Created or HttpStatusCode.OK => true,
            HttpStatusCode.NotModified => false,
            _ => throw Unexpected(request, response),
        };
    }

    /// <summary>Reads a table's schema (<c>GET /{table}/schema</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema, or null if the table does not exist (404).</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200 or 404, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseTableSchema?> GetTableSchemaAsync(string table, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var request = new RestRequest(HttpMethod.Get, $"{HBaseNames.Segment(table)}/schema", "get schema", table, null);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.OK => Decode(request, response, _codec.ReadSchema),
            HttpStatusCode.NotFound => null,
            _ => throw Unexpected(request, response),
        };
    }

    /// <summary>Disables and deletes a table (<c>DELETE /{table}/schema</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if it was deleted (200); false if it did not exist (404).</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200 or 404.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<bool> DeleteTableAsync(string table, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var request = new RestRequest(HttpMethod.Delete, $"{HBaseNames.Segment(table)}/schema", "delete table", table, null);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw Unexpected(request, response),
        };
    }

    /// <summary>Tells whether a table exists (<c>GET /{table}/exists</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True on 200, false on 404.</returns>
    /// <exception cref="ArgumentException">The table name is invalid.</exception>
    /// <exception cref="HBaseRestException">The gateway answered something else than 200 or 404.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        HBaseNames.CheckTable(table, nameof(table));
        var request = new RestRequest(HttpMethod.Get, $"{HBaseNames.Segment(table)}/exists", "table exists", table, null)
        {
            Accept = $"{_codec.MediaType}, text/plain;q=0.5",
        };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw Unexpected(request, response),
        };
    }

    /// <summary>Lists the tables (<c>GET /</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The table names, in the gateway's order.</returns>
    /// <exception cref="HBaseRestException">The gateway did not answer 200, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken = default)
    {
        var request = new RestRequest(HttpMethod.Get, string.Empty, "list tables", null, null);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.OK ? Decode(request, response, _codec.ReadTableList) : throw Unexpected(request, response);
    }

    /// <summary>Reads the gateway's versions (<c>GET /version</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="HBaseRestException">The gateway did not answer 200, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var request = new RestRequest(HttpMethod.Get, "version", "get version", null, null);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.OK ? Decode(request, response, _codec.ReadVersion) : throw Unexpected(request, response);
    }

    /// <summary>Reads the HBase cluster's version (<c>GET /version/cluster</c>; as text in protobuf mode, which has no
    /// message for it).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, e.g. <c>2.6.1</c>.</returns>
    /// <exception cref="HBaseRestException">The gateway did not answer 200, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<string> GetClusterVersionAsync(CancellationToken cancellationToken = default)
    {
        var json = Format == HBaseRestFormat.Json;
        var request = new RestRequest(HttpMethod.Get, "version/cluster", "get cluster version", null, null) { Accept = json ? "application/json" : "text/plain" };
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.OK
            ? Decode(request, response, body => json ? JsonCodec.ReadClusterVersion(body) : HBaseNames.Decode(body).Trim())
            : throw Unexpected(request, response);
    }

    /// <summary>Reads the storage cluster's status (<c>GET /status/cluster</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="HBaseRestException">The gateway did not answer 200, or the answer is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async Task<HBaseClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken = default)
    {
        var request = new RestRequest(HttpMethod.Get, "status/cluster", "get cluster status", null, null);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.OK ? Decode(request, response, _codec.ReadStatus) : throw Unexpected(request, response);
    }

    private static void CheckSchema(HBaseTableSchema schema)
    {
        HBaseNames.CheckTable(schema.Name, "schema.Name");
        if (schema.ColumnFamilies is not { Count: > 0 })
        {
            throw new ArgumentException($"The schema of '{schema.Name}' needs at least one column family.", nameof(schema));
        }

        foreach (var family in schema.ColumnFamilies)
        {
            if (family is null || string.IsNullOrEmpty(family.Name) || family.Name.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A column family of '{schema.Name}' has an empty name or one with a colon ('{family?.Name}').", nameof(schema));
            }

            if (family.Ttl is { } ttl && (ttl <= NodaTime.Duration.Zero || ttl.SubsecondTicks != 0 || ttl.TotalSeconds > int.MaxValue))
            {
                throw new ArgumentException($"The TTL of family '{family.Name}' must be a positive whole number of seconds up to {int.MaxValue}; it was {ttl}.", nameof(schema));
            }

            if (family.MaxVersions is < 1)
            {
                throw new ArgumentException($"The maximum versions of family '{family.Name}' must be at least 1; it was {family.MaxVersions}.", nameof(schema));
            }
        }
    }
}
