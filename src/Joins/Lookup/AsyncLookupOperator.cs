using System.ComponentModel.DataAnnotations;
using Cep.State;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.Lookup;

/// <summary>
/// Joins each record of an event-time stream with a value looked up in an external store, asynchronously and in
/// batches, with the semantics of Flink's async I/O operator (<c>AsyncDataStream.orderedWait</c> /
/// <c>unorderedWait</c>).
/// </summary>
/// <typeparam name="TIn">The record type.</typeparam>
/// <typeparam name="TKey">The lookup key.</typeparam>
/// <typeparam name="TValue">The looked-up value.</typeparam>
/// <remarks>
/// <para><b>Outcomes.</b> Each record given to <see cref="OnRecordAsync"/> ends in exactly one place: joined with the
/// value of its key, a miss (the store does not hold the key: a normal outcome, which the CTR pipeline sends to a retry
/// queue), failed (the round trip threw or timed out, or the key selector threw: a reason and an exception), or rejected
/// (the operator was full in <see cref="LookupFullMode.Reject"/> mode). Until then it is in flight.
/// <see cref="AsyncLookupCounters"/> balance at every moment.</para>
/// <para><b>Order.</b> Ordered (<see cref="AsyncLookupOptions.Ordered"/>): results and watermarks leave in input order.
/// Unordered: results leave as their answers arrive, but watermarks are barriers, as in Flink: a result of a record
/// that arrived before a watermark leaves before it, and one that arrived after leaves after it. Watermarks are
/// forwarded in order; a watermark not above the previous one is ignored. Records are not checked against the
/// watermark (a record behind it is looked up like any other).</para>
/// <para><b>Batches and cache.</b> The keys of pending records are gathered into one
/// <see cref="IAsyncLookupSource{TKey, TValue}.LookupAsync"/> call per round trip (see
/// <see cref="AsyncLookupOptions.MaxBatchSize"/> and <see cref="AsyncLookupOptions.Linger"/>); a key is asked once per
/// batch however many records wait on it. With <see cref="AsyncLookupOptions.Cache"/>, a cache hit answers at once
/// without calling the source.</para>
/// <para><b>Threads and time.</b> The public methods must be called from one thread at a time, each call awaited
/// before the next (a call made while another is pending throws). Answers of the source and timers arrive on other
/// threads; they only post mail, which the operator takes during its calls: every output callback runs inside a call,
/// never concurrently. Between calls nothing is emitted; call <see cref="PollAsync"/> when idle to emit what has
/// arrived. A call that waits (a full operator in <see cref="LookupFullMode.Wait"/> mode, or <see cref="FlushAsync"/>)
/// resumes when mail arrives, on the thread pool (or, with
/// <see cref="AsyncLookupOptions.AllowSynchronousContinuations"/>, on the thread that posted it). Processing time
/// (linger, timeout, cache age) comes only from <see cref="AsyncLookupOptions.Scheduler"/>. An exception thrown by an
/// output callback leaves the call that emitted.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time, awaiting each call.</threadsafety>
public sealed partial class AsyncLookupOperator<TIn, TKey, TValue>
    where TKey : notnull
{
    private readonly Func<TIn, TKey> _keySelector;
    private readonly ILookupOutput<TIn, TValue> _output;
    private readonly AsyncLookupOptions _options;
    private readonly IStateSerializer<TIn> _recordSerializer;
    private readonly LookupMailbox<LookupMail<TKey, TValue>> _mailbox;
    private readonly LookupBatcher<TIn, TKey, TValue> _batcher;
    private readonly LookupCache<TKey, TValue>? _cache;
    private readonly LookupQueue<TIn, TKey, TValue> _queue = new();
    private readonly TimeoutException _timeoutTemplate;
    private long _watermarkIn = long.MinValue;
    private long _watermarkOut = long.MinValue;
    private long _completions;
    private int _ready;
    private bool _busy;

    /// <summary>Creates an async lookup operator.</summary>
    /// <param name="source">The store to look keys up in.</param>
    /// <param name="keySelector">Extracts a record's lookup key.</param>
    /// <param name="output">Receives the results, rejected records and watermarks.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="recordSerializer">Writes records into snapshots; <see cref="StateSerializer.Default{T}"/> if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="keySelector"/>,
    /// <paramref name="output"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ValidationException"><paramref name="options"/> are invalid; the message lists every violation.</exception>
    public AsyncLookupOperator(
        IAsyncLookupSource<TKey, TValue> source,
        Func<TIn, TKey> keySelector,
        ILookupOutput<TIn, TValue> output,
        AsyncLookupOptions options,
        IStateSerializer<TIn>? recordSerializer = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _keySelector = keySelector;
        _output = output;
        _options = options;
        _recordSerializer = recordSerializer ?? StateSerializer.Default<TIn>();
        _mailbox = new(options.AllowSynchronousContinuations);
        _batcher = new(source, _mailbox, options, Counters);
        _cache = options.Cache is { } cache ? new LookupCache<TKey, TValue>(cache) : null;
        _timeoutTemplate = new TimeoutException($"The lookup round trip did not answer within {options.Timeout}.");
    }

    /// <summary>Gets the counters; see <see cref="AsyncLookupCounters"/> for how they balance.</summary>
    public AsyncLookupCounters Counters { get; } = new();

    /// <summary>Gets the last watermark forwarded to the output; <see cref="Instant.MinValue"/> before the first.</summary>
    public Instant Watermark => EventTicks.ToInstant(_watermarkOut);

    /// <summary>Gets the number of entries in the lookup cache (zero without a cache).</summary>
    public int CachedKeys => _cache?.Count ?? 0;

    /// <summary>Gives the operator one record: it is looked up, rejected, or (full, in wait mode) waits for room.</summary>
    /// <param name="record">The record.</param>
    /// <param name="timestamp">Its event timestamp; kept with its result.</param>
    /// <returns>Completes when the record has been taken in or rejected; results that are ready are emitted before.</returns>
    /// <exception cref="InvalidOperationException">Another call to this operator has not completed.</exception>
    public async ValueTask OnRecordAsync(TIn record, Instant timestamp)
    {
        Enter();
        try
        {
            Drain();
            Counters.In++;
            if (Counters.InFlightCount >= _options.Capacity)
            {
                if (_options.FullMode == LookupFullMode.Reject)
                {
                    Counters.RejectedCount++;
                    _output.OnRejected(record, timestamp, LookupRejectReason.CapacityFull);
                    return;
                }

                Counters.WaitCount++;
                _batcher.SendOpen();
                while (Counters.InFlightCount >= _options.Capacity)
                {
                    await _mailbox.WaitAsync().ConfigureAwait(false);
                    Drain();
                }
            }

            Counters.InFlightCount++;
            var item = NewItem(record, EventTicks.ToTicks(timestamp));
            _queue.AddLast(item);
            Issue(item);
            Drain();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Gives the operator a watermark. It is forwarded to the output after every result of the records before it
    /// (in both modes); a watermark not above the previous one is ignored.</summary>
    /// <param name="watermark">The watermark.</param>
    /// <returns>Completes at once; results and watermarks that are ready are emitted before.</returns>
    /// <exception cref="InvalidOperationException">Another call to this operator has not completed.</exception>
    public ValueTask OnWatermarkAsync(Instant watermark)
    {
        Enter();
        try
        {
            var ticks = EventTicks.ToTicks(watermark);
            if (ticks > _watermarkIn)
            {
                _watermarkIn = ticks;
                var item = LookupItem<TIn, TKey, TValue>.ForWatermark(ticks);
                _queue.AddLast(item);
            }

            Drain();
            return ValueTask.CompletedTask;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Takes the answers and timers that have arrived and emits what is ready, without waiting.</summary>
    /// <returns>Completes at once.</returns>
    /// <exception cref="InvalidOperationException">Another call to this operator has not completed.</exception>
    public ValueTask PollAsync()
    {
        Enter();
        try
        {
            Drain();
            return ValueTask.CompletedTask;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Sends the open batch at once and waits until no record is in flight: every record taken in so far has
    /// been emitted, and so has every watermark given so far.</summary>
    /// <returns>Completes when nothing is in flight.</returns>
    /// <exception cref="InvalidOperationException">Another call to this operator has not completed.</exception>
    public async ValueTask FlushAsync()
    {
        Enter();
        try
        {
            Drain();
            _batcher.SendOpen();
            Drain();
            while (Counters.InFlightCount > 0)
            {
                await _mailbox.WaitAsync().ConfigureAwait(false);
                Drain();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void Enter()
    {
        if (_busy)
        {
            throw new InvalidOperationException("The async lookup operator is driven by one caller at a time: a previous call has not completed (await each call before the next).");
        }

        _busy = true;
    }

    private long ProcessingNow() => _options.Scheduler!.Now.UtcTicks;

    /// <summary>Extracts the key of a record just queued and answers it from the cache or hands it to the batcher.</summary>
    private void Issue(LookupItem<TIn, TKey, TValue> item)
    {
        TKey key;
        try
        {
            key = _keySelector(item.Record) ?? throw new InvalidOperationException("The key selector returned null.");
        }
        catch (Exception error)
        {
            Complete(item, LookupStatus.Failed, default!, LookupFailureReason.KeySelectorFailed, error);
            return;
        }

        item.Key = key;
        if (_cache is { } cache)
        {
            if (cache.TryGet(key, ProcessingNow(), out var found, out var value))
            {
                Counters.CacheHitCount++;
                Complete(item, found ? LookupStatus.Joined : LookupStatus.Missed, value, default, null);
                return;
            }

            Counters.CacheMissCount++;
        }

        _batcher.Add(item);
    }

    private void Complete(LookupItem<TIn, TKey, TValue> item, LookupStatus status, TValue value, LookupFailureReason reason, Exception? error)
    {
        item.Status = status;
        item.Value = value;
        item.Reason = reason;
        item.Error = error;
        item.CompletionOrder = _completions++;
        _ready++;
    }

    /// <summary>Takes every mail that has arrived, then emits what is ready.</summary>
    private void Drain()
    {
        while (_mailbox.TryTake(out var mail))
        {
            switch (mail.Kind)
            {
                case LookupMailKind.Lingered:
                    _batcher.OnLinger();
                    break;
                case LookupMailKind.TimedOut:
                    if (_batcher.TryTimeOut(mail.BatchId, out var expired))
                    {
                        Counters.TimeoutCount++;
                        FailAll(expired, LookupFailureReason.Timeout, _timeoutTemplate);
                    }

                    break;
                default:
                    Answer(mail);
                    break;
            }
        }

        Emit();
    }

    private void Answer(LookupMail<TKey, TValue> mail)
    {
        if (!_batcher.TryFinish(mail.BatchId, out var batch))
        {
            Counters.LateAnswerCount++;
            return;
        }

        if (mail.Error is not null || mail.Result is null)
        {
            FailAll(batch, LookupFailureReason.SourceFailed, mail.Error ?? new InvalidOperationException("The lookup source returned null instead of a dictionary."));
            return;
        }

        var now = _cache is null ? 0 : ProcessingNow();
        for (var i = 0; i < batch.Keys.Count; i++)
        {
            var key = batch.Keys[i];
            var waiters = batch.Waiters[i];
            var found = mail.Result.TryGetValue(key, out var value);
            if (found)
            {
                _cache?.PutValue(key, value!, now);
            }
            else
            {
                _cache?.PutMiss(key, now);
            }

            for (var item = waiters; item is not null; item = item.NextWaiter)
            {
                Complete(item, found ? LookupStatus.Joined : LookupStatus.Missed, value!, default, null);
            }
        }
    }

    private void FailAll(LookupBatcher<TIn, TKey, TValue>.Batch batch, LookupFailureReason reason, Exception error)
    {
        foreach (var waiters in batch.Waiters)
        {
            for (var item = waiters; item is not null; item = item.NextWaiter)
            {
                Complete(item, LookupStatus.Failed, default!, reason, error);
            }
        }
    }
}
