using Cep.Nfa;
using Cep.Operators;

namespace Cep.State;

/// <summary>
/// The state of a <see cref="CepOperator{TKey, T}"/> as plain data, between the live operator and the bytes. Node and
/// event references are indexes into <see cref="Nodes"/> and <see cref="Events"/>; a node's parent always comes
/// before it.
/// </summary>
internal sealed class OperatorSnapshot<TKey, T>
{
    public string Fingerprint = string.Empty;
    public byte TimeMode;
    public long Watermark;
    public long ArrivalSeq;
    public long EventId;
    public long[] Counters = new long[CounterCount];
    public SnapshotEvent<T>[] Events = [];
    public SnapshotNode[] Nodes = [];

    /// <summary>The operator's key table by slot; null for a free slot.</summary>
    public SnapshotKey<TKey>?[] Slots = [];

    /// <summary>The free slots from the bottom of the stack to its top.</summary>
    public int[] FreeSlots = [];

    /// <summary>The event-time buffer in heap order.</summary>
    public BufferedRecord<T>[] Records = [];

    /// <summary>The timer heap in heap order, stale entries included.</summary>
    public (long Time, int Slot)[] Timers = [];

    /// <summary>
    /// The number of counters: in, processed, late, failed, buffered, matches, timeouts, then the gauges as last
    /// published (partial matches, shared-buffer events, shared-buffer entries, keys), which the operator refreshes only
    /// at certain calls.
    /// </summary>
    public const int CounterCount = 11;

    /// <summary>The index of the buffered-records counter in <see cref="Counters"/>.</summary>
    public const int BufferedCounter = 4;
}

/// <summary>An event held by the shared buffer.</summary>
internal readonly record struct SnapshotEvent<T>(T Value, long Timestamp, long Id);

/// <summary>A shared-buffer node: an event taken under a stage after a parent node (-1 for none).</summary>
internal readonly record struct SnapshotNode(int Event, int Stage, int Parent);

/// <summary>The state of one key; the <see cref="ComputationState.Node"/> fields are indexes into the snapshot's nodes.</summary>
internal sealed class SnapshotKey<TKey>(TKey key)
{
    public TKey Key { get; } = key;

    public long CurrentTime;
    public long TimerAt;
    public int Buffered;
    public ComputationState[] Partial = [];
    public ComputationState[] Completed = [];
}

/// <summary>What the restoring operator expects of a snapshot.</summary>
/// <param name="Fingerprint">The fingerprint of its pattern.</param>
/// <param name="TimeMode">Its time mode.</param>
/// <param name="StageCount">The number of stages that take events.</param>
/// <param name="StateKinds">The kind of every automaton state.</param>
internal readonly record struct SnapshotShape(string Fingerprint, TimeMode TimeMode, int StageCount, StateKind[] StateKinds)
{
    /// <summary>Describes a compiled pattern: stage names, states with their kinds, windows and skip strategy.</summary>
    public static string FingerprintOf<T>(Nfa<T> nfa)
    {
        var kinds = string.Concat(nfa.States.Select(s => s.Kind switch
        {
            StateKind.Start => 'S',
            StateKind.Normal => 'N',
            StateKind.Final => 'F',
            StateKind.Stop => 'X',
            _ => 'P',
        }));
        var stages = string.Join(",", nfa.StageNames.Select(n => $"'{n}'"));
        var local = nfa.HasLocalWindows ? " local=" + string.Join(",", nfa.States.Select(s => s.LocalWindowTicks)) : string.Empty;
        return $"stages=[{stages}] states={nfa.States.Length}({kinds}) window={nfa.WindowTicks}{local} skip={nfa.Skip}";
    }
}
