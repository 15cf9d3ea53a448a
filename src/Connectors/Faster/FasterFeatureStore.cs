using System.Collections.Concurrent;
using Cep.Connectors.Features;
using FASTER.core;
using NodaTime;

namespace Cep.Connectors.Faster;

/// <summary>
/// An <see cref="IFeatureStore"/> embedded in the process: a FASTER key-value store (<c>FasterKV</c>) on a local
/// directory, durable at each <see cref="CheckpointAsync"/> and recovered from the latest checkpoint when opened.
/// </summary>
/// <remarks>
/// <para><b>Semantics</b> are those of <see cref="IFeatureStore"/> and <see cref="InMemoryFeatureStore"/>: a record is
/// visible while <c>clock now &lt; EventTime + Ttl</c> (visible one tick before, gone at it); a write replaces the
/// stored record unless that one has a strictly later event time (equal event times: the last write wins; a batch is
/// applied in order). Event times are kept in ticks: a sub-tick part of an <see cref="Instant"/> is dropped.</para>
/// <para><b>Representation.</b> Keys and values are <c>SpanByte</c>s: the key is the UTF-8 of the string, the value is
/// the event time (Unix ticks, 8 bytes) followed by the features. Variable-length bytes live inline in FASTER's hybrid
/// log, so there is no separate object log, no serializer per record, and a checkpoint covers everything. Writes are
/// read-modify-writes whose callback compares event times, so "newest wins" is atomic inside FASTER.</para>
/// <para><b>Durability.</b> Only what a completed <see cref="CheckpointAsync"/> covered survives disposal or a crash;
/// records written after the last checkpoint are lost on reopening.</para>
/// <para><b>Limits.</b> Expired records are not purged: they stay in the log, invisible, until the key is written
/// again (the log is not compacted). A record larger than <see cref="MaxRecordBytes"/> is rejected.</para>
/// </remarks>
/// <threadsafety>Reads, writes and checkpoints are safe to call concurrently: each call borrows a FASTER session (a
/// session is single-threaded) from a pool that grows to the number of concurrent calls. Dispose only once no call is in
/// flight.</threadsafety>
public sealed partial class FasterFeatureStore : IFeatureStore
{
    private readonly FasterKV<SpanByte, SpanByte> _kv;
    private readonly FasterKVSettings<SpanByte, SpanByte> _settings;
    private readonly IDevice _logDevice;
    private readonly IClock _clock;
    private readonly long _ttlTicks;
    private readonly ConcurrentBag<PooledSession> _sessions = [];
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private int _disposed;

    /// <summary>Opens the store in <see cref="FasterFeatureStoreOptions.Directory"/>, recovering the latest checkpoint there if any.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null, or its clock is.</exception>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="FasterFeatureStoreOptions.Validate"/>).</exception>
    /// <exception cref="IOException">The directory cannot be created or read.</exception>
    /// <remarks>Recovery runs synchronously here and reads the checkpointed log back from disk.</remarks>
    public FasterFeatureStore(FasterFeatureStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _clock = options.Clock;
        _ttlTicks = options.Ttl.BclCompatibleTicks;
        MaxRecordBytes = (int)Math.Min(int.MaxValue, options.PageSize - RecordOverheadBytes);
        Directory.CreateDirectory(options.Directory);
        _logDevice = Devices.CreateLogDevice(Path.Combine(options.Directory, "log", "hlog.log"));
        try
        {
            _settings = new FasterKVSettings<SpanByte, SpanByte>
            {
                LogDevice = _logDevice,
                IndexSize = options.IndexSize,
                MemorySize = options.MemorySize,
                PageSize = options.PageSize,
                SegmentSize = options.SegmentSize,
                CheckpointDir = Path.Combine(options.Directory, "checkpoints"),
                RemoveOutdatedCheckpoints = true, // only the latest checkpoint is ever recovered
                TryRecoverLatest = true,
            };
            _kv = new FasterKV<SpanByte, SpanByte>(_settings);
        }
        catch
        {
            _logDevice.Dispose();
            throw;
        }

        RecoveredFromCheckpoint = _kv.RecoveredVersion > 1;
    }

    /// <summary>Gets the options the store was opened with.</summary>
    public FasterFeatureStoreOptions Options { get; }

    /// <inheritdoc/>
    public Duration Ttl => Options.Ttl;

    /// <summary>Gets a value indicating whether opening the store recovered a checkpoint.</summary>
    public bool RecoveredFromCheckpoint { get; }

    /// <summary>Gets the largest record accepted: UTF-8 key bytes + 12 bytes of event time and length + feature bytes.</summary>
    /// <value>The page size less 64 bytes of FASTER's headers.</value>
    public int MaxRecordBytes { get; }

    /// <summary>Gets the number of FASTER sessions the store has opened (at most the peak number of concurrent calls).</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    private const int RecordOverheadBytes = 64;

    private int _sessionCount;

    /// <summary>Takes a full checkpoint (index and log, fold-over): everything written before this call survives a reopen.</summary>
    /// <param name="cancellationToken">Cancels waiting for an earlier checkpoint or for this one.</param>
    /// <returns>The checkpoint's token.</returns>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="InvalidOperationException">FASTER did not take the checkpoint.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Checkpoints run one at a time; a call made while one is running waits for it and then takes its own.
    /// Only the latest checkpoint is kept on disk.</remarks>
    public async Task<Guid> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var (success, token) = await _kv.TakeFullCheckpointAsync(CheckpointType.FoldOver, cancellationToken).ConfigureAwait(false);
            return success ? token
                : throw new InvalidOperationException($"FASTER did not take a checkpoint of the feature store in '{Options.Directory}'.");
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Closes the store: its sessions, FASTER and the log device. Unsaved writes (after the last checkpoint) are lost. Idempotent.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        while (_sessions.TryTake(out var session))
        {
            session.Dispose();
        }

        _kv.Dispose();
        _logDevice.Dispose();
        _checkpointGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private PooledSession RentSession()
    {
        ThrowIfDisposed();
        if (_sessions.TryTake(out var session))
        {
            return session;
        }

        Interlocked.Increment(ref _sessionCount);
        return new PooledSession(_kv.For(FeatureFunctions.Instance).NewSession<FeatureFunctions>());
    }

    private void ReturnSession(PooledSession session, bool healthy)
    {
        if (healthy && Volatile.Read(ref _disposed) == 0)
        {
            _sessions.Add(session);
            return;
        }

        Interlocked.Decrement(ref _sessionCount);
        session.Dispose();
    }

    /// <summary>A FASTER session and a pinned scratch buffer for encoding keys and values (FASTER copies both when an
    /// operation goes pending, so the buffer is reused from one operation to the next).</summary>
    private sealed class PooledSession(ClientSession<SpanByte, SpanByte, SpanByte, byte[], int, FeatureFunctions> session) : IDisposable
    {
        private byte[] _scratch = GC.AllocateUninitializedArray<byte>(1024, pinned: true);

        public ClientSession<SpanByte, SpanByte, SpanByte, byte[], int, FeatureFunctions> Session { get; } = session;

        public byte[] Scratch(int size)
        {
            if (_scratch.Length < size)
            {
                _scratch = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Math.Max(size, 2L * _scratch.Length)), pinned: true);
            }

            return _scratch;
        }

        public void Dispose() => Session.Dispose();
    }
}
