using Cep.Connectors.Features;
using FASTER.core;
using NodaTime;

namespace Cep.Connectors.Faster;

public sealed partial class FasterFeatureStore
{
    private long _pendingCompleted;

    /// <summary>Gets the number of operations that went pending (waited for the disk) and were completed.</summary>
    internal long PendingCompleted => Interlocked.Read(ref _pendingCompleted);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException">A record is null, has a null or empty key, or is larger than
    /// <see cref="MaxRecordBytes"/>; nothing of the batch was written.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the write.</exception>
    /// <exception cref="FasterException">FASTER failed the write (for example a disk error).</exception>
    /// <remarks>The batch runs synchronously on the caller's thread; records whose key is in the part of the log on
    /// disk wait for that read before the call returns.</remarks>
    public ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default)
    {
        FeatureStoreRules.CheckRecords(records, nameof(records));
        var winners = Winners(records);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (winners.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var session = RentSession();
        var healthy = false;
        try
        {
            var pending = false;
            var index = 0;
            foreach (var (record, keyBytes) in winners.Values)
            {
                var scratch = session.Scratch(keyBytes + FeatureValueCodec.HeaderSize + record.Value.Length);
                var keyLength = FeatureValueCodec.Utf8.GetBytes(record.Key, scratch);
                var valueLength = FeatureValueCodec.WriteValue(scratch.AsSpan(keyLength), record.EventTime.ToUnixTimeTicks(), record.Value.Span);
                var key = SpanByte.FromFixedSpan(scratch.AsSpan(0, keyLength));
                var input = SpanByte.FromFixedSpan(scratch.AsSpan(keyLength, valueLength));
                byte[] output = null!;
                var status = session.Session.RMW(ref key, ref input, ref output, index++);
                pending |= status.IsPending;
                ThrowIfFaulted(status, record.Key, "write");
            }

            if (pending)
            {
                session.Session.CompletePendingWithOutputs(out var completed, wait: true);
                using (completed)
                {
                    while (completed.Next())
                    {
                        Interlocked.Increment(ref _pendingCompleted);
                        ThrowIfFaulted(completed.Current.Status, "(pending)", "write");
                    }
                }
            }

            healthy = true;
        }
        finally
        {
            ReturnSession(session, healthy);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the read.</exception>
    /// <exception cref="FasterException">FASTER failed the read (for example a disk error).</exception>
    public async ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        FeatureStoreRules.CheckKey(key, nameof(key));
        var found = await LookupAsync([key], cancellationToken).ConfigureAwait(false);
        return found.TryGetValue(key, out var record) ? record : null;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> holds a null or empty key.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the read.</exception>
    /// <exception cref="FasterException">FASTER failed a read (for example a disk error).</exception>
    /// <remarks>All keys are read in one pass over one session; reads that must go to disk are issued together and
    /// awaited once (<c>CompletePending</c>). Expiry is judged against one clock reading taken at the start.</remarks>
    public ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        FeatureStoreRules.CheckKeys(keys, nameof(keys));
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var nowTicks = _clock.GetCurrentInstant().ToUnixTimeTicks();
        var found = new Dictionary<string, FeatureRecord>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return new(found);
        }

        var session = RentSession();
        var healthy = false;
        try
        {
            var pending = false;
            for (var i = 0; i < keys.Count; i++)
            {
                var scratch = session.Scratch(FeatureValueCodec.Utf8.GetMaxByteCount(keys[i].Length));
                var length = FeatureValueCodec.Utf8.GetBytes(keys[i], scratch);
                var key = SpanByte.FromFixedSpan(scratch.AsSpan(0, length));
                byte[] output = null!;
                var status = session.Session.Read(ref key, ref output, i);
                ThrowIfFaulted(status, keys[i], "read");
                if (status.IsPending)
                {
                    pending = true;
                }
                else if (status.Found)
                {
                    AddIfVisible(found, keys[i], output, nowTicks);
                }
            }

            if (pending)
            {
                session.Session.CompletePendingWithOutputs(out var completed, wait: true);
                using (completed)
                {
                    while (completed.Next())
                    {
                        Interlocked.Increment(ref _pendingCompleted);
                        ref var done = ref completed.Current;
                        ThrowIfFaulted(done.Status, keys[done.Context], "read");
                        if (done.Status.Found)
                        {
                            AddIfVisible(found, keys[done.Context], done.Output, nowTicks);
                        }
                    }
                }
            }

            healthy = true;
        }
        finally
        {
            ReturnSession(session, healthy);
        }

        return new(found);
    }

    private void AddIfVisible(Dictionary<string, FeatureRecord> found, string key, byte[] stored, long nowTicks)
    {
        var eventTicks = FeatureValueCodec.EventTicks(stored);
        if (FeatureStoreRules.IsVisible(eventTicks, _ttlTicks, nowTicks))
        {
            found[key] = new FeatureRecord(key, Instant.FromUnixTimeTicks(eventTicks), FeatureValueCodec.Features(stored));
        }
    }

    /// <summary>
    /// The record each key of the batch ends with (newest event time, the later one on ties) and its key's UTF-8 length,
    /// in order of first appearance: one FASTER operation per key keeps the batch's order from mattering even when
    /// operations go pending. Also rejects records too large for a page.
    /// </summary>
    private Dictionary<string, (FeatureRecord Record, int KeyBytes)> Winners(IReadOnlyList<FeatureRecord> records)
    {
        var winners = new Dictionary<string, (FeatureRecord, int)>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var keyBytes = FeatureValueCodec.Utf8.GetByteCount(record.Key);
            if ((long)keyBytes + FeatureValueCodec.HeaderSize + record.Value.Length > MaxRecordBytes)
            {
                throw new ArgumentException(
                    $"The record at index {i} of the batch (key '{Shorten(record.Key)}') has {keyBytes} key bytes and {record.Value.Length} value bytes; "
                    + $"with 12 bytes of event time and length that exceeds the store's largest record, {MaxRecordBytes} bytes (raise PageSize). Nothing of the batch was written.",
                    nameof(records));
            }

            if (!winners.TryGetValue(record.Key, out var current) || current.Item1.EventTime <= record.EventTime)
            {
                winners[record.Key] = (record, keyBytes);
            }
        }

        return winners;
    }

    private static string Shorten(string key) => key.Length <= 64 ? key : string.Concat(key.AsSpan(0, 61), "...");

    private void ThrowIfFaulted(Status status, string key, string operation)
    {
        if (status.IsFaulted || status.IsCanceled)
        {
            throw new FasterException(
                $"FASTER failed the {operation} of key '{Shorten(key)}' in the feature store in '{Options.Directory}' (status {status}).");
        }
    }
}
