namespace Cep.Tests.Joins.Lookup.Reactive;

/// <summary>
/// Records the notifications of a sequence and checks the Rx grammar as they come: it counts the notifications in
/// progress at once (more than one is an overlap), and any notification after <c>OnCompleted</c> or <c>OnError</c>.
/// </summary>
public sealed class RecordingObserver<T> : IObserver<T>
{
    private readonly object _lock = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;
    private int _maxInside;
    private int _afterTerminal;

    public List<T> Values { get; } = [];

    public bool Completed { get; private set; }

    public Exception? Error { get; private set; }

    /// <summary>Gets the largest number of notifications that were in progress at once (1 if they never overlapped).</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxInside);

    /// <summary>Gets the number of notifications that came after the sequence ended.</summary>
    public int AfterTerminal => Volatile.Read(ref _afterTerminal);

    public bool Terminated => Completed || Error is not null;

    /// <summary>Gets a task that completes when the sequence ends.</summary>
    public Task Done => _terminated.Task;

    /// <summary>Gets or sets something to do inside each <c>OnNext</c> (after recording the value).</summary>
    public Action<T>? OnEach { get; set; }

    public List<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. Values];
        }
    }

    public void OnNext(T value) => Enter(() =>
    {
        lock (_lock)
        {
            Values.Add(value);
        }

        OnEach?.Invoke(value);
    });

    public void OnError(Exception error) => Enter(() =>
    {
        Error = error;
        _terminated.TrySetResult();
    });

    public void OnCompleted() => Enter(() =>
    {
        Completed = true;
        _terminated.TrySetResult();
    });

    private void Enter(Action action)
    {
        if (Terminated)
        {
            Interlocked.Increment(ref _afterTerminal);
        }

        var inside = Interlocked.Increment(ref _inside);
        int max;
        while (inside > (max = Volatile.Read(ref _maxInside)) && Interlocked.CompareExchange(ref _maxInside, inside, max) != max)
        {
        }

        // Widen the window in which an overlapping notification would be seen.
        Thread.SpinWait(200);
        try
        {
            action();
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }
}
