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
/// Storage is two arrays of structs with free lists, so the steady state allocates nothing.
/// Not thread-safe: one operator owns one buffer.
/// </remarks>
internal sealed class SharedBuffer<T>
{
    private const int None = -1;

    private EventEntry[] _events = new EventEntry[64];
    private int _eventCount;
    private int _eventFree = None;
    private NodeEntry[] _nodes = new NodeEntry[64];
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
            _eventFree = Unlink(_events[slot].Refs);
            if ((uint)_eventFree < (uint)_events.Length)
            {
                Operators.CacheHints.Element(_events, _eventFree); // as for nodes, see NewNode
            }
        }
        else
        {
            if (_eventCount == _events.Length)
            {
                _events = Grow(_events);
            }

            slot = _eventCount++;
        }

        // Field by field: a struct built on the stack and copied is read back with a wide load that waits for every
        // earlier store to land (see ComputationState.Write).
        ref var entry = ref _events[slot];
        entry.Value = value;
        entry.Timestamp = timestamp;
        entry.Id = id;
        entry.Refs = 1;
        LiveEvents++;
        return slot;
    }

    /// <summary>Creates a node for <paramref name="eventSlot"/> taken under <paramref name="stage"/> after <paramref name="parent"/>; the caller must <see cref="Lock"/> it.</summary>
    public int AddNode(int eventSlot, int stage, int parent)
    {
        var node = NewNode();
        ref var entry = ref _nodes[node];
        entry.Event = eventSlot;
        entry.Stage = stage;
        entry.Parent = parent;
        entry.Refs = 0;
        entry.Value = default!;
        entry.Timestamp = 0;
        entry.Id = 0;
        Debug.Assert(_events[eventSlot].Refs > 0, $"event slot {eventSlot} is free");
        _events[eventSlot].Refs++;
        LinkParent(parent);
        return node;
    }

    /// <summary>
    /// Creates a node that holds its event itself, for an event that only this node takes (the usual case): one entry
    /// to write and to free instead of two. The caller must <see cref="Lock"/> it. If another node takes the same event
    /// later, <see cref="ShareEvent"/> moves the event into an event slot first, so that each event is stored once.
    /// </summary>
    public int AddNodeWithEvent(T value, long timestamp, long id, int stage, int parent)
    {
        var node = NewNode();
        ref var entry = ref _nodes[node]; // field by field, as in AddEvent
        entry.Event = None;
        entry.Stage = stage;
        entry.Parent = parent;
        entry.Refs = 0;
        entry.Value = value;
        entry.Timestamp = timestamp;
        entry.Id = id;
        LiveEvents++;
        LinkParent(parent);
        return node;
    }

    /// <summary>
    /// If <paramref name="node"/> is alive and holds its event itself, moves the event to <paramref name="eventSlot"/>
    /// (which must store the same event) and makes the node hold that slot.
    /// </summary>
    public void ShareEvent(int node, int eventSlot)
    {
        ref var entry = ref _nodes[node];
        if (entry.Refs <= 0 || entry.Event != None)
        {
            return; // freed since, or already sharing
        }

        entry.Event = eventSlot;
        entry.Value = default!;
        _events[eventSlot].Refs++;
        LiveEvents--; // the event is now counted once, by its slot
    }

    private int NewNode()
    {
        int node;
        if (_nodeFree != None)
        {
            node = _nodeFree;
            _nodeFree = Unlink(_nodes[node].Refs);
            if ((uint)_nodeFree < (uint)_nodes.Length)
            {
                // The free list hands out nodes freed at any time before, often long ago: fetch the next one now, so
                // that the next event does not wait for it.
                Operators.CacheHints.Element(_nodes, _nodeFree);
            }
        }
        else
        {
            if (_nodeCount == _nodes.Length)
            {
                _nodes = Grow(_nodes);
            }

            node = _nodeCount++;
        }

        LiveNodes++;
        return node;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LinkParent(int parent)
    {
        if (parent != None)
        {
            Debug.Assert(_nodes[parent].Refs >= 0, $"node {parent} is free");
            _nodes[parent].Refs++;
        }
    }

    /// <summary>Adds a holder to <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Lock(int node)
    {
        if (node != None)
        {
            Debug.Assert(_nodes[node].Refs >= 0, $"node {node} is free");
            _nodes[node].Refs++;
        }
    }

    /// <summary>Removes a holder from <paramref name="node"/>; frees it and, in turn, its predecessors that nothing else holds.</summary>
    /// <remarks>Iterative, so a long chain cannot overflow the stack.</remarks>
    public void Release(int node)
    {
        while (node != None)
        {
            ref var entry = ref _nodes[node];
            Debug.Assert(entry.Refs > 0, $"node {node} is released more often than it is held");
            if (--entry.Refs > 0)
            {
                return;
            }

            var parent = entry.Parent;
            if (entry.Event != None)
            {
                ReleaseEvent(entry.Event);
            }
            else
            {
                entry.Value = default!;
                LiveEvents--;
            }

            entry.Refs = Link(_nodeFree);
            _nodeFree = node;
            LiveNodes--;
            node = parent;
        }
    }

    /// <summary>
    /// Frees a node that its caller knows to be held once, by the caller alone, with no parent and its event held
    /// itself (a partial match's exclusive node): it writes the node but does not read it, so freeing costs no cache
    /// miss. <see cref="Release"/> is the general case.
    /// </summary>
    public void ReleaseExclusive(int node)
    {
        ref var entry = ref _nodes[node];
        Debug.Assert(entry.Refs == 1 && entry.Parent == None && entry.Event == None, $"node {node} is not held exclusively");
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            entry.Value = default!;
        }

        entry.Refs = Link(_nodeFree);
        _nodeFree = node;
        LiveNodes--;
        LiveEvents--;
    }

    /// <summary>Removes a holder from an event slot; frees it when none is left.</summary>
    public void ReleaseEvent(int eventSlot)
    {
        ref var entry = ref _events[eventSlot];
        Debug.Assert(entry.Refs > 0, $"event slot {eventSlot} is released more often than it is held");
        if (--entry.Refs == 0)
        {
            entry.Value = default!;
            entry.Refs = Link(_eventFree);
            _eventFree = eventSlot;
            LiveEvents--;
        }
    }

    /// <summary>Gets the predecessor of a node, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Parent(int node) => _nodes[node].Parent;

    /// <summary>Gets the stage a node's event was taken under.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Stage(int node) => _nodes[node].Stage;

    /// <summary>Gets a number that identifies a node's event among the events held: its event slot, or, for an event the node holds itself, <c>-node - 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventKey(int node) => _nodes[node].Event is var e and >= 0 ? e : -node - 1;

    /// <summary>Gets the event of a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T NodeValue(int node)
    {
        ref readonly var entry = ref _nodes[node];
        return entry.Event >= 0 ? _events[entry.Event].Value : entry.Value;
    }

    /// <summary>Gets the timestamp (ticks) of a node's event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long NodeTimestamp(int node)
    {
        ref readonly var entry = ref _nodes[node];
        return entry.Event >= 0 ? _events[entry.Event].Timestamp : entry.Timestamp;
    }

    /// <summary>Gets the processing-order id of a node's event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long NodeEventId(int node)
    {
        ref readonly var entry = ref _nodes[node];
        return entry.Event >= 0 ? _events[entry.Event].Id : entry.Id;
    }

    /// <summary>Gets the number of holders of a node's event: of its slot, or 1 for an event the node holds itself (for tests and for touching it).</summary>
    public int NodeEventRefCount(int node)
    {
        ref readonly var entry = ref _nodes[node];
        return entry.Event >= 0 ? _events[entry.Event].Refs : 1;
    }

    /// <summary>Gets the value of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Value(int eventSlot) => _events[eventSlot].Value;

    /// <summary>Gets the timestamp (ticks) of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Timestamp(int eventSlot) => _events[eventSlot].Timestamp;

    /// <summary>Gets the processing-order id of an event slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long EventId(int eventSlot) => _events[eventSlot].Id;

    /// <summary>
    /// Doubles an entry array. Entries past the count are always written in full before they are read, so the new
    /// part is not cleared (for event types without references; those the runtime must clear anyway).
    /// </summary>
    private static TEntry[] Grow<TEntry>(TEntry[] entries)
    {
        var bigger = GC.AllocateUninitializedArray<TEntry>(entries.Length * 2);
        entries.CopyTo(bigger, 0);
        return bigger;
    }

    /// <summary>Encodes a free-list link as a negative count, so a free slot can never pass for a held one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Link(int next) => -next - 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Unlink(int link) => -link - 2;

    /// <summary>Gets the number of holders of a node (for snapshots and tests).</summary>
    public int RefCount(int node) => _nodes[node].Refs;

    /// <summary>Gets the number of nodes holding an event slot (for snapshots and tests).</summary>
    public int EventRefCount(int eventSlot) => _events[eventSlot].Refs;

    /// <summary>One stored event; <see cref="Refs"/> is negative while the slot is on the free list.</summary>
    private struct EventEntry
    {
        public T Value;
        public long Timestamp;
        public long Id;
        public int Refs;
    }

    /// <summary>
    /// One node; <see cref="Refs"/> is negative while the slot is on the free list. <see cref="Event"/> is the event
    /// slot, or -1 when the node holds its event itself in <see cref="Value"/>, <see cref="Timestamp"/> and <see cref="Id"/>.
    /// </summary>
    private struct NodeEntry
    {
        public int Event;
        public int Stage;
        public int Parent;
        public int Refs;
        public T Value;
        public long Timestamp;
        public long Id;
    }
}
