using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Cep.Connectors.Features;

/// <summary>
/// Writes a stream of <see cref="FeatureRecord"/>s to an <see cref="IFeatureStore"/> in batches: a batch closes when it
/// holds <see cref="FeatureWriterOptions.MaxBatchSize"/> records or when its first record has waited
/// <see cref="FeatureWriterOptions.Linger"/> on the writer's <see cref="IScheduler"/>, whichever comes first.
/// </summary>
/// <remarks>
/// <para>Batches are written one at a time, in the order they closed. A failed write is retried up to
/// <see cref="FeatureWriterOptions.MaxAttempts"/> attempts in all, waiting <see cref="FeatureWriterOptions.RetryDelay"/>
/// (doubling) on the scheduler between them; an <see cref="ArgumentException"/> from the store (a record it refuses) is
/// not retried. A batch that still fails goes, with its records and the reason, to the error output given to the
/// constructor. Nothing is dropped: <see cref="Counters"/> always balance (<c>Received = Written + Failed + Pending</c>).</para>
/// <para>Time is only the scheduler's: with a virtual-time scheduler, linger and retries happen when the test
/// advances it.</para>
/// </remarks>
/// <threadsafety><see cref="OnRecord"/> and <see cref="FlushAsync"/> may be called from several threads at once.
/// The error output is called from the thread that finished the failing write, one failure at a time.</threadsafety>
public sealed partial class FeatureWriter : IAsyncDisposable
{
    private readonly IFeatureStore _store;
    private readonly IScheduler _scheduler;
    private readonly FeatureWriterOptions _options;
    private readonly Action<FeatureWriteFailure> _errorOutput;
    private readonly object _gate = new();
    private readonly Queue<(long Seq, List<FeatureRecord> Records)> _closed = new();
    private readonly List<(long Seq, TaskCompletionSource Done)> _flushes = [];
    private readonly SerialDisposable _lingerTimer = new();
    private List<FeatureRecord> _open = [];
    private long _closedSeq;
    private long _finishedSeq;
    private bool _draining;
    private bool _disposed;
    private Exception? _errorOutputFault;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="scheduler">The scheduler of linger timers and retry waits.</param>
    /// <param name="errorOutput">Receives every batch that could not be written; it should not throw (if it does, the
    /// records still count as failed and the next <see cref="FlushAsync"/> throws the exception).</param>
    /// <param name="options">The options, or null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/>, <paramref name="scheduler"/> or <paramref name="errorOutput"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> are invalid (see <see cref="FeatureWriterOptions.Validate"/>).</exception>
    public FeatureWriter(IFeatureStore store, IScheduler scheduler, Action<FeatureWriteFailure> errorOutput, FeatureWriterOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _errorOutput = errorOutput ?? throw new ArgumentNullException(nameof(errorOutput));
        _options = options ?? new FeatureWriterOptions();
        _options.Validate();
    }

    /// <summary>Gets the counters.</summary>
    public FeatureWriterCounters Counters { get; } = new();

    /// <summary>Accepts one record for writing.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException">The record's key is null or empty (the record is not counted as received).</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void OnRecord(FeatureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        FeatureStoreRules.CheckKey(record.Key, nameof(record));
        bool startDrain;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Interlocked.Increment(ref Counters.ReceivedCount);
            Interlocked.Increment(ref Counters.PendingCount);
            _open.Add(record);
            if (_open.Count >= _options.MaxBatchSize)
            {
                startDrain = CloseOpenBatch();
            }
            else
            {
                if (_open.Count == 1)
                {
                    var seqWhenOpened = _closedSeq;
                    _lingerTimer.Disposable = _scheduler.Schedule(_options.Linger.ToTimeSpan(), () => OnLinger(seqWhenOpened));
                }

                startDrain = false;
            }
        }

        if (startDrain)
        {
            Drain();
        }
    }

    /// <summary>Closes the open batch and completes once every record received before the call is written or failed.</summary>
    /// <param name="cancellationToken">Stops waiting (the writes go on).</param>
    /// <returns>A task that completes when those records are settled.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="InvalidOperationException">The error output threw; the exception is the inner one. Reported once.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task done;
        bool startDrain;
        lock (_gate)
        {
            startDrain = _open.Count > 0 && CloseOpenBatch();
            if (_finishedSeq >= _closedSeq)
            {
                done = Task.CompletedTask;
            }
            else
            {
                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _flushes.Add((_closedSeq, waiter));
                done = waiter.Task;
            }
        }

        if (startDrain)
        {
            Drain();
        }

        await done.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _errorOutputFault, null) is { } fault)
        {
            throw new InvalidOperationException("The feature writer's error output threw; the failed records were counted as failed.", fault);
        }
    }

    /// <summary>Flushes, then refuses further records. Does not dispose the store. Idempotent.</summary>
    /// <returns>A task that completes when every received record is written or failed.</returns>
    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _disposed = true;
        }

        _lingerTimer.Dispose();
    }

    private void OnLinger(long seqWhenOpened)
    {
        bool startDrain;
        lock (_gate)
        {
            // Only the batch this timer was started for: if it closed by size meanwhile, a newer batch has its own timer.
            startDrain = _closedSeq == seqWhenOpened && _open.Count > 0 && CloseOpenBatch();
        }

        if (startDrain)
        {
            Drain();
        }
    }

    /// <summary>Moves the open batch to the write queue; returns whether the caller must start the drain. Under the gate.</summary>
    private bool CloseOpenBatch()
    {
        _lingerTimer.Disposable = null;
        _closed.Enqueue((++_closedSeq, _open));
        _open = [];
        if (_draining)
        {
            return false;
        }

        _draining = true;
        return true;
    }
}
