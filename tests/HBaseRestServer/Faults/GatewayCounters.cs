namespace Cep.HBaseRestServer.Faults;

/// <summary>
/// What a gateway has seen: requests by kind (every request that got past the down switch and authentication),
/// requests actually handled by kind, faults injected by kind, and row/cell totals for batching assertions.
/// </summary>
/// <remarks>Thread-safe; values are read with <see cref="Interlocked"/>.</remarks>
public sealed class GatewayCounters
{
    private readonly long[] _requests = new long[Enum.GetValues<RequestKind>().Length];
    private readonly long[] _handled = new long[Enum.GetValues<RequestKind>().Length];
    private readonly long[] _faults = new long[Enum.GetValues<FaultKind>().Length];
    private long _unauthorized;
    private long _multiGetRows;
    private long _putRows;
    private long _putCells;

    /// <summary>Requests of a kind received (faulted or not).</summary>
    public long Requests(RequestKind kind) => Interlocked.Read(ref _requests[(int)kind]);

    /// <summary>Requests of a kind that reached their handler (not cut short by 503, reset or down).</summary>
    public long Handled(RequestKind kind) => Interlocked.Read(ref _handled[(int)kind]);

    /// <summary>Faults of a kind injected.</summary>
    public long Faults(FaultKind kind) => Interlocked.Read(ref _faults[(int)kind]);

    /// <summary>All requests received, over every kind.</summary>
    public long TotalRequests => Enum.GetValues<RequestKind>().Sum(Requests);

    /// <summary>All faults injected, over every kind.</summary>
    public long TotalFaults => Enum.GetValues<FaultKind>().Sum(Faults);

    /// <summary>Requests refused with 401.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Row keys asked for by multi-gets (sum of <c>row</c> parameters).</summary>
    public long MultiGetRows => Interlocked.Read(ref _multiGetRows);

    /// <summary>Rows written by successful puts.</summary>
    public long PutRows => Interlocked.Read(ref _putRows);

    /// <summary>Cells written by successful puts.</summary>
    public long PutCells => Interlocked.Read(ref _putCells);

    internal void Request(RequestKind kind) => Interlocked.Increment(ref _requests[(int)kind]);

    internal void Handle(RequestKind kind) => Interlocked.Increment(ref _handled[(int)kind]);

    internal void Fault(FaultKind kind) => Interlocked.Increment(ref _faults[(int)kind]);

    internal void Unauthorize() => Interlocked.Increment(ref _unauthorized);

    internal void MultiGet(int rows) => Interlocked.Add(ref _multiGetRows, rows);

    internal void Put(int rows, int cells)
    {
        Interlocked.Add(ref _putRows, rows);
        Interlocked.Add(ref _putCells, cells);
    }
}
