using Cep.Joins.Window;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.MultiStream;

/// <summary>The state of one key's window in a multi-stream join: each input's records with their timestamps.</summary>
internal sealed class RowPane<TKey, TEvent>
{
    public RowPane(TKey key, long start, long end, long seq, int inputs)
    {
        Key = key;
        Start = start;
        End = end;
        Seq = seq;
        Parts = new List<TEvent>[inputs];
        Ticks = new List<long>[inputs];
        for (var i = 0; i < inputs; i++)
        {
            Parts[i] = [];
            Ticks[i] = [];
        }
    }

    public TKey Key { get; }

    public long Start { get; }

    public long End { get; }

    /// <summary>The creation number: orders windows that close at the same time.</summary>
    public long Seq { get; }

    public bool EarlyEmitted { get; set; }

    public bool ChangedSinceEarly { get; set; }

    public List<TEvent>[] Parts { get; }

    public List<long>[] Ticks { get; }

    public long MaxTicks => End - 1;

    public int RecordCount => Parts.Sum(p => p.Count);

    public JoinedRow<TKey, TEvent> ToRow(JoinedRowKind kind, IReadOnlyList<string> names) =>
        new(Key, new TickWindow(Start, End).ToTimeWindow(), kind, names,
            [.. Parts.Select(p => p.ToArray())],
            [.. Ticks.Select(t => t.Select(EventTicks.ToInstant).ToArray())]);
}
