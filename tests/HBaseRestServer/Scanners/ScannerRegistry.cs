using System.Collections.Concurrent;
using Cep.HBaseRestServer.Store;
using NodaTime;

namespace Cep.HBaseRestServer.Scanners;

/// <summary>One open scanner: the cells it will return (a snapshot taken at creation), a cursor and a lease.</summary>
internal sealed class RestScanner(string id, string table, IReadOnlyList<ResultCell> cells, int batch, Instant created)
{
    private readonly object _gate = new();
    private int _position;

    public string Id { get; } = id;

    public string Table { get; } = table;

    public int Batch { get; } = batch;

    public Instant LastUsed { get; private set; } = created;

    /// <summary>The next cells: up to <paramref name="maxCells"/>, stopping before a row beyond <paramref name="maxRows"/> (0 = no row limit).</summary>
    public List<ResultCell> Next(int maxCells, int maxRows, Instant now)
    {
        lock (_gate)
        {
            LastUsed = now;
            var result = new List<ResultCell>();
            var rows = 0;
            byte[]? current = null;
            while (_position < cells.Count && result.Count < maxCells)
            {
                var cell = cells[_position];
                if (current is null || !cell.Row.AsSpan().SequenceEqual(current))
                {
                    if (maxRows > 0 && rows == maxRows)
                    {
                        break;
                    }
                    rows++;
                    current = cell.Row;
                }
                result.Add(cell);
                _position++;
            }
            return result;
        }
    }
}

/// <summary>The scanners open on one gateway (scanner state is local to a REST server). Leases expire by the clock.</summary>
internal sealed class ScannerRegistry(IClock clock, Duration lease)
{
    private readonly ConcurrentDictionary<string, RestScanner> _scanners = new(StringComparer.Ordinal);
    private long _next;

    public int Count => _scanners.Count;

    public RestScanner Open(string table, IReadOnlyList<ResultCell> cells, int batch)
    {
        var now = clock.GetCurrentInstant();
        var id = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
                 + Interlocked.Increment(ref _next).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var scanner = new RestScanner(id, table, cells, batch, now);
        _scanners[id] = scanner;
        return scanner;
    }

    /// <summary>The scanner, or null when unknown; <paramref name="expired"/> when its lease ran out (it is then removed).</summary>
    public RestScanner? Find(string table, string id, out bool expired)
    {
        expired = false;
        if (!_scanners.TryGetValue(id, out var scanner) || scanner.Table != table)
        {
            return null;
        }
        if (clock.GetCurrentInstant() - scanner.LastUsed > lease)
        {
            _scanners.TryRemove(id, out _);
            expired = true;
            return null;
        }
        return scanner;
    }

    public bool Remove(string id) => _scanners.TryRemove(id, out _);
}
