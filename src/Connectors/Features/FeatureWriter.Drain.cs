using System.Reactive.Concurrency;

namespace Cep.Connectors.Features;

public sealed partial class FeatureWriter
{
    /// <summary>
    /// Subscribes the writer to <paramref name="source"/>: each element is given to <see cref="OnRecord"/>, except that
    /// an element with a null or empty key goes to the error output (counted received and failed) instead of throwing
    /// into the source. When the source ends (normally or with an error) the writer flushes.
    /// </summary>
    /// <param name="source">The feature stream.</param>
    /// <returns>The subscription; dispose it to stop consuming.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public IDisposable Consume(IObservable<FeatureRecord> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Subscribe(
            record =>
            {
                if (record is null || string.IsNullOrEmpty(record.Key))
                {
                    Refuse(record);
                }
                else
                {
                    OnRecord(record);
                }
            },
            error => { _ = FlushAsync(); },
            () => { _ = FlushAsync(); });
    }

    private void Refuse(FeatureRecord? record)
    {
        Interlocked.Increment(ref Counters.ReceivedCount);
        Interlocked.Increment(ref Counters.FailedCount);
        var reason = record is null ? "The stream carried a null record." : $"The record's key is {(record.Key is null ? "null" : "empty")}.";
        Report(new FeatureWriteFailure(record is null ? [] : [record], reason, null, 0));
    }

    /// <summary>
    /// Writes the closed batches one after another until none is left or one waits (for a retry on the scheduler, or
    /// for a store write that did not complete at once); whatever settles that batch calls this again. Only one drain
    /// runs at a time. No awaits: a retry runs inside the scheduler's callback, so virtual time drives it exactly.
    /// </summary>
    private void Drain()
    {
        while (true)
        {
            (long Seq, List<FeatureRecord> Records) batch;
            lock (_gate)
            {
                if (!_closed.TryDequeue(out batch))
                {
                    _draining = false;
                    return;
                }
            }

            if (!Attempt(batch, 1))
            {
                return;
            }
        }
    }

    /// <summary>Tries one write; returns true if the batch is settled (written or failed) now, false if it settles later.</summary>
    private bool Attempt((long Seq, List<FeatureRecord> Records) batch, int attempt)
    {
        ValueTask write;
        try
        {
            write = _store.WriteAsync(batch.Records);
        }
        catch (Exception error)
        {
            return AttemptFailed(batch, attempt, error);
        }

        if (!write.IsCompleted)
        {
            write.AsTask().ContinueWith(
                done =>
                {
                    var settled = done.IsCompletedSuccessfully
                        ? Written(batch)
                        : AttemptFailed(batch, attempt, done.Exception?.InnerException ?? new OperationCanceledException("The feature store write was cancelled."));
                    if (settled)
                    {
                        Drain();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            return false;
        }

        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            return AttemptFailed(batch, attempt, error);
        }

        return Written(batch);
    }

    private bool Written((long Seq, List<FeatureRecord> Records) batch)
    {
        Interlocked.Increment(ref Counters.BatchCount);
        Interlocked.Add(ref Counters.WrittenCount, batch.Records.Count);
        Interlocked.Add(ref Counters.PendingCount, -batch.Records.Count);
        Settle(batch.Seq);
        return true;
    }

    private bool AttemptFailed((long Seq, List<FeatureRecord> Records) batch, int attempt, Exception error)
    {
        var records = batch.Records;
        if (error is ArgumentException || attempt >= _options.MaxAttempts)
        {
            var reason = error is ArgumentException
                ? $"The store refused the batch of {records.Count} records (not retried): {error.Message}"
                : $"Writing the batch of {records.Count} records failed {attempt} times: {error.Message}";
            Interlocked.Add(ref Counters.FailedCount, records.Count);
            Interlocked.Add(ref Counters.PendingCount, -records.Count);
            Report(new FeatureWriteFailure(records, reason, error, attempt));
            Settle(batch.Seq);
            return true;
        }

        Interlocked.Increment(ref Counters.RetryCount);
        var delay = _options.RetryDelay * Math.Pow(2, attempt - 1);
        if (delay == NodaTime.Duration.Zero)
        {
            return Attempt(batch, attempt + 1);
        }

        _scheduler.Schedule(delay.ToTimeSpan(), () =>
        {
            if (Attempt(batch, attempt + 1))
            {
                Drain();
            }
        });
        return false;
    }

    /// <summary>Marks the batches up to <paramref name="seq"/> settled and completes the flushes waiting for them.</summary>
    private void Settle(long seq)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _finishedSeq = seq;
            _flushes.RemoveAll(f =>
            {
                if (f.Seq > seq)
                {
                    return false;
                }

                ready.Add(f.Done);
                return true;
            });
        }

        ready.ForEach(done => done.TrySetResult());
    }

    private void Report(FeatureWriteFailure failure)
    {
        try
        {
            _errorOutput(failure);
        }
        catch (Exception fault)
        {
            Interlocked.CompareExchange(ref _errorOutputFault, fault, null);
        }
    }
}
