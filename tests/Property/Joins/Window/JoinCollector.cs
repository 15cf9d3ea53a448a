using Cep.Joins.Window;

namespace Cep.Tests.Joins.Window;

/// <summary>Keeps everything a window join emits, as readable lines in emission order.</summary>
public sealed class JoinCollector<TKey, TLeft, TRight> : IWindowJoinOutput<TKey, TLeft, TRight>
{
    public List<(TKey Key, TimeWindow Window, TLeft Left, TRight Right)> Pairs { get; } = [];

    public List<(TKey Key, TimeWindow Window, List<TLeft> Left, List<TRight> Right, int Firing)> CoGroups { get; } = [];

    public List<RejectedRecord<TKey, TLeft>> LeftRejected { get; } = [];

    public List<RejectedRecord<TKey, TRight>> RightRejected { get; } = [];

    /// <summary>Every output in emission order, as text.</summary>
    public List<string> Log { get; } = [];

    public void OnPair(TKey key, TimeWindow window, TLeft left, TRight right)
    {
        Pairs.Add((key, window, left, right));
        Log.Add($"pair {key} {Ticks(window)} {left}:{right}");
    }

    public void OnCoGroup(TKey key, TimeWindow window, IReadOnlyList<TLeft> left, IReadOnlyList<TRight> right, int firing)
    {
        CoGroups.Add((key, window, [.. left], [.. right], firing));
        Log.Add($"cogroup {key} {Ticks(window)} #{firing} F:{string.Join("", left)} S:{string.Join("", right)}");
    }

    public void OnLeftRejected(RejectedRecord<TKey, TLeft> record)
    {
        LeftRejected.Add(record);
        Log.Add($"rejected left {record.Key} {record.Value} {record.Reason}");
    }

    public void OnRightRejected(RejectedRecord<TKey, TRight> record)
    {
        RightRejected.Add(record);
        Log.Add($"rejected right {record.Key} {record.Value} {record.Reason}");
    }

    /// <summary>Pairs as sorted "key [start,end) left:right" strings, windows in ticks.</summary>
    public List<string> PairStrings() =>
        Pairs.Select(p => $"{p.Key} {Ticks(p.Window)} {p.Left}:{p.Right}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    public static string Ticks(TimeWindow w) => $"[{w.Start.ToUnixTimeTicks()},{w.End.ToUnixTimeTicks()})";
}
