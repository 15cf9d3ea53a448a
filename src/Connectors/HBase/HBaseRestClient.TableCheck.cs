using System.Collections.Concurrent;
using System.Net;
using Cep.Connectors.HBase.Internal;

namespace Cep.Connectors.HBase;

public sealed partial class HBaseRestClient
{
    /// <summary>Per table, the last (or current) check that it exists; a successful one holds when it was answered, in
    /// <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    private readonly ConcurrentDictionary<string, Task<long>> _tableChecks = new(StringComparer.Ordinal);

    /// <summary>A read (multi-get or row) of <paramref name="request"/>'s table answered 404, which the gateway answers both when none of
    /// the rows is found and when the table does not exist. Confirms that the table exists through its schema resource
    /// (<c>GET /{table}/schema</c>), trusting a confirmation for <see cref="HBaseRestClientOptions.TableExistenceTtl"/>;
    /// concurrent callers share one check.</summary>
    /// <exception cref="HBaseRestException">The table does not exist (404 from both resources), or the check failed.</exception>
    private async ValueTask ConfirmTableExistsAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var table = request.Table!;
        Task<long>? known;
        while (true)
        {
            if (_tableChecks.TryGetValue(table, out known))
            {
                if (!known.IsCompleted)
                {
                    break; // join the check under way
                }

                if (known.IsCompletedSuccessfully && _time.GetElapsedTime(known.Result) < _tableExistenceTtl)
                {
                    return;
                }
            }

            var check = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (known is null ? !_tableChecks.TryAdd(table, check.Task) : !_tableChecks.TryUpdate(table, check.Task, known))
            {
                continue;
            }

            // The check does not take the caller's token: others may join it. The client's timeout bounds it.
            _ = RunTableCheckAsync(request, check);
            known = check.Task;
            break;
        }

        try
        {
            await known.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HBaseRestException missing) when (missing.StatusCode == HttpStatusCode.NotFound && missing.Table == table && missing.Row != request.Row)
        {
            // A check shared with another call: say which row this call asked for.
            throw MissingTable(request, missing.StatusCode.Value, missing.Endpoint, missing.BodySnippet, missing);
        }
    }

    private static HBaseRestException MissingTable(RestRequest request, HttpStatusCode status, Uri? endpoint, string? snippet, Exception? inner = null) =>
        new($"{request.Operation} failed: the table does not exist (its schema resource answered 404 as well)",
            request.Table, request.Row, status, endpoint, snippet, isTransient: false, inner);

    private async Task RunTableCheckAsync(RestRequest asker, TaskCompletionSource<long> check)
    {
        try
        {
            var table = asker.Table!;
            var request = new RestRequest(HttpMethod.Get, $"{HBaseNames.Segment(table)}/schema", "check table", table, null);
            var response = await SendAsync(request, CancellationToken.None).ConfigureAwait(false);
            switch (response.Status)
            {
                case HttpStatusCode.OK:
                    check.SetResult(_time.GetTimestamp());
                    return;
                case HttpStatusCode.NotFound:
                    throw MissingTable(asker, response.Status, response.EndpointUri, Snippet(response.Body));
                default:
                    throw Unexpected(request, response);
            }
        }
        catch (Exception error)
        {
            // Not remembered: the next 404 checks again (the table may have been created meanwhile).
            _tableChecks.TryRemove(KeyValuePair.Create(asker.Table!, check.Task));
            check.SetException(error);
        }
    }
}
