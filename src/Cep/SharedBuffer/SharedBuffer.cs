using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Cep.SharedBuffer;

/// <summary>
/// Stores the events that partial matches have taken, each event once, and the nodes that link them into matches.
/// A node is one event taken under one stage, with an edge to the node its partial match had taken before; branches
/// that share a prefix share its nodes, so the nodes form a tree whose leaves are the partial matches. Nodes and
/// events are reference-counted and reused when no partial match can reach them any more.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>
/// Every node has exactly one predecessor edge. FlinkCEP instead keys nodes by (event, stage) and labels their edges
/// with Dewey versions to tell branches apart; one node per (event, stage, predecessor) makes extracting a match a
/// plain walk to the root and rules out the version collisions that make FlinkCEP emit duplicate matches.
/// Storage is a set of parallel arrays with free lists, so the steady state allocates nothing.
/// Not thread-safe: one operator owns one buffer.
/// </remarks>
internal sealed class SharedBuffer<T>
{
    private const int None = -1;

    // Events: value, timestamp, processing-order id, and the number of nodes that hold it.
    private T[] _values = new T[64];
    private long[] _eventTs = new long[64];
    private long[] _eventIds = new long[64];
    private int[] _eventRefs = new int[64];
    private int _eventCount;
    private int _eventFree = None;

    // Nodes: the event, the stage it was taken under, the predecessor, and the number of holders.
    private int[] _nodeEvent = new int[64];
    private int[] _nodeStage = new int[64];
    private int[] _nodeParent = new int[64];
    private int[] _nodeRefs = new int[64];
    private int _nodeCount;
    private int _nodeFree = None;

    /// <summary>Gets the number of events held.</summary>
    public int LiveEvents { get; private set; }

    /// <summary>Gets the number of nodes held.</summary>
    public int LiveNodes { get; private set; }

    /// <summary>Stores a new event, held once by the caller until <see cref="ReleaseEvent"/>; nodes that take it hold it too.</summary>
    public int AddEvent(T value, long timestamp, long id)
    {
        int slot;
        if (_eventFree != None)
        {
            slot = _eventFree;
            _eventFree = Unlink(_eventRefs[slot]);
        }
        else
        {
            if (_eventCount == _values.Length)
            {
                var n = _values.Length * 2;
                Array.Resize(ref _values, n);
                Array.Resize(ref _eventTs, n);
                Array.Resize(ref _eventIds, n);
                Array.Resize(ref _eventRefs, n);
            }

            slot = _eventCount++;
        }

        _values[slot] = value;
        _eventTs[slot] = timestamp;
        _eventIds[slot] = id;
        _eventRefs[slot] = 1;
        LiveEvents++;
        return slot;
    }

    /// <summary>Creates a node for <paramref name="eventSlot"/> taken under <paramref name="stage"/> after <paramref name="parent"/>; the caller must <see cref="Lock"/> it.</summary>
    public int AddNode(int eventSlot, int stage, int parent)
    {
        int node;
        if (_nodeFree != None)
        {
            node = _nodeFree;
            _nodeFree = Unlink(_nodeRefs[node]);
        }
        else
        {
            if (_nodeCount == _nodeEvent.Length)
            {
                var n = _nodeEvent.Length * 2;
                Array.Resize(ref _nodeEvent, n);
                Array.Resize(ref _nodeStage, n);
                Array.Resize(ref _nodeParent, n);
                Array.Resize(ref _nodeRefs, n);
            }

            node = _nodeCount++;
        }

        _nodeEvent[node] = eventSlot;
        _nodeStage[node] = stage;
        _nodeParent[node] = parent;
        _nodeRefs[node] = 0;
        Debug.Assert(_eventRefs[eventSlot] > 0, $"event slot {eventSlot} is free");
        _eventRefs[eventSlot]++;
        if (parent != None)
        {
            Debug.Assert(_nodeRefs[parent] >= 0, $"node {parent} is free");
            _nodeRefs[parent]++;
        }

        LiveNodes++;
        return node;
    }

    /// <summary>Adds a holder to <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock(int node)
    {
        if (node != None)
        {
            Debug.Assert(_nodeRefs[node] >= 0, $"node {node} is free");
            _nodeRefs[node]++;
        }
    }

    /// <summary>Removes a holder from <paramref name="node"/>; frees it and, in turn, its predecessors that nothing else holds.</summary>
    /// <remarks>Iterative, so a long chain cannot overflow the stack.</remarks>
    public void Release(int node)
    {
        while (node != None)
        {
            Debug.Assert(_nodeRefs[node] > 0, $"node {node} is released more often than it is held");
            if (--_nodeRefs[node] > 0)
            {
                return;
            }

            var parent = _nodeParent[node];
            ReleaseEvent(_nodeEvent[node]);

            _nodeRefs[node] = Link(_nodeFree);
            _nodeFree = node;
            LiveNodes--;
            node = parent;
        }
    }

    /// <summary>Removes a holder from an event slot; frees it when none is left.</summary>
    public void ReleaseEvent(int eventSlot)
    {
        Debug.Assert(_eventRefs[eventSlot] > 0, $"event slot {eventSlot} is released more often than it is held");
        if (--_eventRefs[eventSlot] == 0)
        {
            _values[eventSlot] = default!;
            _eventRefs[eventSlot] = Link(_eventFree);
            _eventFree = eventSlot;
            LiveEvents--;
        }
    }

    /// <summary>Gets the predecessor of a node, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Parent(int node) => _nodeParent[node];

    /// <summary>Gets the stage a node's event was taken under.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Stage(int node) => _nodeStage[node];

    /// <summary>Gets the event slot of a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventOf(int node) => _nodeEvent[node];

    /// <summary>Gets the value of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(int eventSlot) => _values[eventSlot];

    /// <summary>Gets the timestamp (ticks) of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Timestamp(int eventSlot) => _eventTs[eventSlot];

    /// <summary>Gets the processing-order id of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long EventId(int eventSlot) => _eventIds[eventSlot];

    /// <summary>Encodes a free-list link as a negative count, so a free slot can never pass for a held one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Link(int next) => -next - 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Unlink(int link) => -link - 2;

    /// <summary>Gets the number of holders of a node (for snapshots and tests).</summary>
    public int RefCount(int node) => _nodeRefs[node];

    /// <summary>Gets the number of nodes holding an event slot (for snapshots and tests).</summary>
    public int EventRefCount(int eventSlot) => _eventRefs[eventSlot];
}
