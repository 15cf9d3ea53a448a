using System.Collections.Concurrent;

namespace Cep.Joins.Lookup;

/// <summary>What happened off the operator's thread: a round trip answered or threw, a round trip timed out, or a
/// batch's linger elapsed.</summary>
internal enum LookupMailKind
{
    Answered,
    TimedOut,
    Lingered,
}

/// <summary>One message for the operator's thread.</summary>
internal readonly record struct LookupMail<TKey, TValue>(
    LookupMailKind Kind, long BatchId, IReadOnlyDictionary<TKey, TValue>? Result, Exception? Error)
    where TKey : notnull;

/// <summary>
/// Hands messages from any thread (source completions, timers) to the operator's thread, which takes them during its
/// calls; a waiting call awaits <see cref="WaitAsync"/>.
/// </summary>
/// <threadsafety><see cref="Post"/> is thread-safe; <see cref="TryTake"/> and <see cref="WaitAsync"/> are for the
/// operator's thread only.</threadsafety>
internal sealed class LookupMailbox<T>(bool allowSynchronousContinuations)
{
    private readonly ConcurrentQueue<T> _queue = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;

    /// <summary>Adds a message and wakes a waiting call.</summary>
    public void Post(T mail)
    {
        _queue.Enqueue(mail);
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Takes the oldest message, if any.</summary>
    public bool TryTake(out T mail) => _queue.TryDequeue(out mail!);

    /// <summary>Completes when a message is available (at once if one already is).</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (!_queue.IsEmpty)
            {
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(
                allowSynchronousContinuations ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
