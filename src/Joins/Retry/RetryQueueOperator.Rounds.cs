using Cep.Time;
using NodaTime;

namespace Cep.Joins.Retry;

/// <content>Rounds: taking the due records, multi-gets, applying outcomes, exits and ordered release.</content>
public sealed partial class RetryQueueOperator<TKey, TIn, TValue>
{
    private readonly List<RetryEntry<TKey, TIn, TValue>> _due = [];

    /// <summary>Runs rounds until nothing is due at <paramref name="now"/>; in the final round everything is due.</summary>
    private async ValueTask RunAsync(long now, bool final)
    {
        while (_waiting.Count > 0 && (final || _waiting.Peek() is var next && WakeOf(next) <= now))
        {
            _due.Clear();
            while (_waiting.TryPeek(out var entry, out var wake) && (final || wake.Wake <= now))
            {
                _waiting.Dequeue();
                if (!final && now >= TtlDeadline(entry))
                {
                    Finish(entry, RetryExitReason.TtlExceeded, now);
                }
                else
                {
                    _due.Add(entry);
                }
            }

            if (_due.Count > 0)
            {
                await AttemptAsync([.. _due], now, final).ConfigureAwait(false);
            }
        }
    }

    private long WakeOf(RetryEntry<TKey, TIn, TValue> entry) => Math.Min(entry.Due, TtlDeadline(entry));

    /// <summary>One round: the distinct keys of <paramref name="due"/> in multi-gets, then every record's outcome.</summary>
    private async ValueTask AttemptAsync(RetryEntry<TKey, TIn, TValue>[] due, long now, bool final)
    {
        var round = _round++;
        var keys = new List<TKey>();
        var batchOf = new Dictionary<TKey, int>();
        foreach (var entry in due)
        {
            if (batchOf.TryAdd(entry.Key, keys.Count / _maxBatch))
            {
                keys.Add(entry.Key);
            }

            var level = Counters.Levels[entry.Level];
            entry.Attempt++;
            entry.Total++;
            level.AttemptCount++;
            Counters.AttemptCount++;
            Trace?.Invoke(new(entry.Record, entry.Level + 1, entry.Attempt, entry.Due, now, round, final));
        }

        var batches = (keys.Count + _maxBatch - 1) / _maxBatch;
        var calls = new ValueTask<IReadOnlyDictionary<TKey, TValue>>[batches];
        var results = new IReadOnlyDictionary<TKey, TValue>?[batches];
        var errors = new Exception?[batches];
        for (var b = 0; b < batches; b++)
        {
            var start = b * _maxBatch;
            var batch = keys.GetRange(start, Math.Min(_maxBatch, keys.Count - start));
            try
            {
                calls[b] = _source.LookupAsync(batch, CancellationToken.None);
            }
            catch (Exception error)
            {
                errors[b] = error;
            }
        }

        for (var b = 0; b < batches; b++)
        {
            if (errors[b] is not null)
            {
                continue;
            }

            try
            {
                results[b] = await calls[b].ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The lookup source returned null instead of a dictionary.");
            }
            catch (Exception error)
            {
                errors[b] = error;
            }
        }

        Counters.LookupCount += batches;
        Counters.LookupFailureCount += errors.Count(e => e is not null);
        foreach (var entry in due)
        {
            var b = batchOf[entry.Key];
            if (results[b] is { } found && found.TryGetValue(entry.Key, out var value))
            {
                entry.Joined = true;
                entry.Value = value;
                Done(entry, now);
                continue;
            }

            var level = Counters.Levels[entry.Level];
            entry.LastError = errors[b];
            if (entry.LastError is null)
            {
                level.MissCount++;
            }
            else
            {
                level.FailureCount++;
            }

            if (final)
            {
                Finish(entry, RetryExitReason.EndOfInput, now);
            }
            else if (AskPredicate(entry, now))
            {
                Finish(entry, RetryExitReason.Predicate, now);
            }
            else if (entry.Attempt >= _levels[entry.Level].MaxAttempts && entry.Level == _levels.Length - 1)
            {
                Finish(entry, RetryExitReason.AttemptsExhausted, now);
            }
            else
            {
                if (entry.Attempt >= _levels[entry.Level].MaxAttempts)
                {
                    level.DepthCount--;
                    entry.Level++;
                    entry.Attempt = 0;
                    Counters.Levels[entry.Level].EnteredCount++;
                    Counters.Levels[entry.Level].DepthCount++;
                }

                entry.Due = EventTicks.Plus(now, RetryBackoff.DelayTicks(_levels[entry.Level], entry.Attempt + 1, _randomizer));
                Wait(entry);
            }
        }
    }

    private bool AskPredicate(RetryEntry<TKey, TIn, TValue> entry, long now)
    {
        if (_shouldExit is not { } shouldExit)
        {
            return false;
        }

        try
        {
            return shouldExit(new(entry.Key, entry.Record, EventTicks.ToInstant(entry.Timestamp), entry.Level + 1, entry.Attempt, entry.Total,
                entry.LastError, EventTicks.ToInstant(now)));
        }
        catch (Exception error)
        {
            entry.LastError = error;
            return true;
        }
    }

    private void Finish(RetryEntry<TKey, TIn, TValue> entry, RetryExitReason reason, long now)
    {
        entry.Joined = false;
        entry.Reason = reason;
        Done(entry, now);
    }

    /// <summary>Marks an entry done and lets it (and the done records behind it) leave, in key order if asked.</summary>
    private void Done(RetryEntry<TKey, TIn, TValue> entry, long now)
    {
        entry.Done = true;
        entry.DoneAt = now;
        if (!_keyOrder)
        {
            Leave(entry);
            return;
        }

        var queue = _byKey[entry.Key];
        if (queue.Peek() != entry)
        {
            Counters.HeldCount++;
            return;
        }

        queue.Dequeue();
        Leave(entry);
        while (queue.Count > 0 && queue.Peek().Done)
        {
            Counters.HeldCount--;
            Leave(queue.Dequeue());
        }

        if (queue.Count == 0)
        {
            _byKey.Remove(entry.Key);
        }
    }

    private void Leave(RetryEntry<TKey, TIn, TValue> entry)
    {
        var level = Counters.Levels[entry.Level];
        level.DepthCount--;
        Counters.PendingCount--;
        var at = EventTicks.ToInstant(entry.DoneAt);
        var timestamp = EventTicks.ToInstant(entry.Timestamp);
        if (entry.Joined)
        {
            level.SuccessCount++;
            Counters.JoinedCount++;
            _output.OnJoined(new(entry.Key, entry.Record, timestamp, entry.Value, entry.Level + 1, entry.Attempt, entry.Total, at));
            return;
        }

        level.ExpirationCount++;
        Counters.ExpiredCount++;
        switch (entry.Reason)
        {
            case RetryExitReason.AttemptsExhausted: Counters.Exhausted++; break;
            case RetryExitReason.TtlExceeded: Counters.Ttl++; break;
            case RetryExitReason.Predicate: Counters.Predicate++; break;
            default: Counters.EndOfInput++; break;
        }

        _output.OnExpired(new(entry.Key, entry.Record, timestamp, entry.Reason, entry.Level + 1, entry.Attempt, entry.Total, entry.LastError, at));
    }
}
