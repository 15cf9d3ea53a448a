using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using System.Reactive.Disposables;

namespace Cep.Joins.Lookup;

/// <summary>
/// Gathers the keys of pending records into batches and runs the round trips: a batch is sent when it holds
/// <see cref="AsyncLookupOptions.MaxBatchSize"/> distinct keys, when its linger elapses, or when the operator asks
/// (it must wait for room, or is flushed). A key asked twice while its batch is open is asked once; each round trip
/// has its own timeout and cancellation token.
/// </summary>
/// <remarks>Answers, timeouts and lingers arrive as mail; the operator hands them back to <see cref="OnLinger"/>,
/// <see cref="TryFinish"/> and <see cref="TryTimeOut"/> on its own thread.</remarks>
/// <threadsafety>Not thread-safe: used only on the operator's thread (its timers and completions only post mail).</threadsafety>
internal sealed class LookupBatcher<TIn, TKey, TValue>
    where TKey : notnull
{
    private readonly IAsyncLookupSource<TKey, TValue> _source;
    private readonly LookupMailbox<LookupMail<TKey, TValue>> _mailbox;
    private readonly IScheduler _scheduler;
    private readonly AsyncLookupCounters _counters;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _linger;
    private readonly TimeSpan _timeout;
    private readonly int _batchCapacity;
    private readonly Dictionary<long, RoundTrip> _inFlight = [];
    private Batch _open;

    /// <summary>When the open batch got its first key, in scheduler ticks.</summary>
    private long _openedAt;

    /// <summary>Whether a linger timer is scheduled and has not fired yet.</summary>
    private bool _lingerPending;

    /// <summary>The first record waiting on each key of the open batch: one map for every batch, cleared when it is sent.</summary>
    private readonly Dictionary<TKey, LookupItem<TIn, TKey, TValue>> _openWaiters = [];
    private long _nextId;

    public LookupBatcher(
        IAsyncLookupSource<TKey, TValue> source,
        LookupMailbox<LookupMail<TKey, TValue>> mailbox,
        AsyncLookupOptions options,
        AsyncLookupCounters counters)
    {
        _source = source;
        _mailbox = mailbox;
        _scheduler = options.Scheduler!;
        _counters = counters;
        _maxBatchSize = options.MaxBatchSize;
        _linger = options.Linger.ToTimeSpan();
        _timeout = options.Timeout.ToTimeSpan();
        _batchCapacity = Math.Min(_maxBatchSize, 1024);
        _open = new Batch(_nextId++, _batchCapacity);
    }

    /// <summary>Gets the number of distinct keys in the open batch.</summary>
    public int OpenKeys => _open.Keys.Count;

    /// <summary>Gets the number of round trips under way.</summary>
    public int RoundTrips => _inFlight.Count;

    /// <summary>Adds a pending record's key to the open batch; sends the batch if it is full or there is no linger.</summary>
    public void Add(LookupItem<TIn, TKey, TValue> item)
    {
        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_openWaiters, item.Key, out var exists);
        if (exists)
        {
            first!.LastWaiter!.NextWaiter = item;
            first.LastWaiter = item;
            return;
        }

        first = item;
        item.LastWaiter = item;
        _open.Keys.Add(item.Key);
        _open.Waiters.Add(item);
        if (_open.Keys.Count >= _maxBatchSize || _linger <= TimeSpan.Zero)
        {
            SendOpen();
        }
        else if (_open.Keys.Count == 1)
        {
            _openedAt = _scheduler.Now.UtcTicks;
            if (!_lingerPending)
            {
                ScheduleLinger(_linger);
            }
        }
    }

    /// <summary>A linger timer fired: sends the open batch if its linger has elapsed, or waits for the rest of it.</summary>
    /// <remarks>One timer at a time serves every batch: a batch that fills up before its linger leaves the timer
    /// running, and the next batch's linger ends no earlier than it, so creating and cancelling a timer per batch (and
    /// waking the timer thread for each) is saved when batches fill up quickly. A batch leaves when its linger has
    /// elapsed, or up to a millisecond later.</remarks>
    public void OnLinger()
    {
        _lingerPending = false;
        if (_open.Keys.Count == 0)
        {
            return;
        }

        // Capped at a whole linger, so that a clock set back holds a batch for at most twice its linger.
        var remaining = Math.Min(_openedAt + _linger.Ticks - _scheduler.Now.UtcTicks, _linger.Ticks);
        if (remaining <= 0)
        {
            SendOpen();
        }
        else
        {
            // Real timers tick in milliseconds: a shorter wait would fire at once, again and again, until the
            // remainder is gone. So a batch leaves at most a millisecond after its linger, never before.
            ScheduleLinger(TimeSpan.FromTicks(Math.Max(remaining, TimeSpan.TicksPerMillisecond)));
        }
    }

    private void ScheduleLinger(TimeSpan due)
    {
        _lingerPending = true;
        _scheduler.Schedule(_mailbox, due, static (_, mailbox) =>
        {
            mailbox.Post(new(LookupMailKind.Lingered, 0, null, null));
            return Disposable.Empty;
        });
    }

    /// <summary>Sends the open batch now, if it holds a key.</summary>
    public void SendOpen()
    {
        if (_open.Keys.Count == 0)
        {
            return;
        }

        var batch = _open;
        _open = new Batch(_nextId++, _batchCapacity);
        _openWaiters.Clear();
        var trip = new RoundTrip(batch);
        _inFlight.Add(batch.Id, trip);
        _counters.CallCount++;
        _counters.KeyCount += batch.Keys.Count;
        trip.Timer = _scheduler.Schedule((Mailbox: _mailbox, batch.Id), _timeout, static (_, s) =>
        {
            s.Mailbox.Post(new(LookupMailKind.TimedOut, s.Id, null, null));
            return Disposable.Empty;
        });

        ValueTask<IReadOnlyDictionary<TKey, TValue>> call;
        try
        {
            call = _source.LookupAsync(batch.Keys, trip.Cancellation.Token);
        }
        catch (Exception error)
        {
            _mailbox.Post(new(LookupMailKind.Answered, batch.Id, null, error));
            return;
        }

        if (call.IsCompletedSuccessfully)
        {
            _mailbox.Post(new(LookupMailKind.Answered, batch.Id, call.Result, null));
        }
        else
        {
            _ = AwaitAnswer(call, batch.Id);
        }
    }

    /// <summary>Takes the round trip <paramref name="batchId"/> when its answer arrives; false if it already timed out.</summary>
    public bool TryFinish(long batchId, out Batch batch)
    {
        if (_inFlight.Remove(batchId, out var trip))
        {
            trip.Timer?.Dispose();
            trip.Cancellation.Dispose();
            batch = trip.Batch;
            return true;
        }

        batch = null!;
        return false;
    }

    /// <summary>Takes the round trip <paramref name="batchId"/> when its timeout fires and cancels it; false if it already answered.</summary>
    public bool TryTimeOut(long batchId, out Batch batch)
    {
        if (_inFlight.Remove(batchId, out var trip))
        {
            batch = trip.Batch;
            try
            {
                trip.Cancellation.Cancel();
            }
            catch (AggregateException)
            {
                // A cancellation callback of the source threw; the round trip is abandoned either way.
            }

            trip.Cancellation.Dispose();
            return true;
        }

        batch = null!;
        return false;
    }

    private async Task AwaitAnswer(ValueTask<IReadOnlyDictionary<TKey, TValue>> call, long batchId)
    {
        try
        {
            var result = await call.ConfigureAwait(false);
            _mailbox.Post(new(LookupMailKind.Answered, batchId, result, null));
        }
        catch (Exception error)
        {
            _mailbox.Post(new(LookupMailKind.Answered, batchId, null, error));
        }
    }

    /// <summary>The distinct keys of one batch, in the order they were first asked for, with the records waiting on each
    /// (the first, which chains the others through <see cref="LookupItem{TIn, TKey, TValue}.NextWaiter"/>).</summary>
    internal sealed class Batch(long id, int capacity)
    {
        public long Id { get; } = id;

        public List<TKey> Keys { get; } = new(capacity);

        /// <summary>Gets the first record waiting on each key, at the key's index in <see cref="Keys"/>.</summary>
        public List<LookupItem<TIn, TKey, TValue>> Waiters { get; } = new(capacity);
    }

    private sealed class RoundTrip(Batch batch)
    {
        public Batch Batch { get; } = batch;

        public CancellationTokenSource Cancellation { get; } = new();

        public IDisposable? Timer { get; set; }
    }
}
