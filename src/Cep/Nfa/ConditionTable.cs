using System.Runtime.CompilerServices;
using Cep.Patterns.Conditions;

namespace Cep.Nfa;

/// <summary>
/// The conditions of an automaton's edges that do not read the partial match, each evaluated at most once per event:
/// a condition shared by several edges (a stage's take condition and its negation on the ignore edge, say) costs one
/// call of the user's predicate, and <c>Not</c>, <c>And</c> and <c>Or</c> are combined from the cached results of their
/// parts instead of by virtual calls.
/// </summary>
/// <remarks>Not thread-safe: one runtime owns one table.</remarks>
internal sealed class ConditionTable<T>
{
    private readonly Entry[] _entries;
    private readonly int[] _stamp;
    private readonly bool[] _value;
    private int _event = 1;

    /// <summary>Builds the table for every edge condition of <paramref name="states"/>; <see cref="EdgeIndexes"/> gives each edge's entry.</summary>
    public ConditionTable(NfaState<T>[] states)
    {
        var entries = new List<Entry>();
        var indexes = new Dictionary<Condition<T>, int>(ReferenceEqualityComparer.Instance);
        EdgeIndexes = new int[states.Length][];
        for (var s = 0; s < states.Length; s++)
        {
            var edges = states[s].Edges;
            var row = new int[edges.Length];
            for (var e = 0; e < edges.Length; e++)
            {
                row[e] = edges[e].Condition is { IsIterative: false } condition ? Add(condition, entries, indexes) : -1;
            }

            EdgeIndexes[s] = row;
        }

        _entries = [.. entries];
        _stamp = new int[_entries.Length];
        _value = new bool[_entries.Length];
    }

    /// <summary>Gets, per state and edge, the entry of the edge's condition, or -1 for an edge without one or with an iterative one.</summary>
    public int[][] EdgeIndexes { get; }

    /// <summary>Forgets the results of the previous event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextEvent()
    {
        if (++_event == int.MaxValue)
        {
            Array.Clear(_stamp);
            _event = 1;
        }
    }

    /// <summary>Takes <paramref name="value"/> as entry <paramref name="index"/>'s result for the current event, without evaluating it.</summary>
    public void Assume(int index, bool value)
    {
        _stamp[index] = _event;
        _value[index] = value;
    }

    /// <summary>Evaluates entry <paramref name="index"/> for the current event, once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(int index, T value, IConditionContext<T> context)
    {
        if (_stamp[index] == _event)
        {
            return _value[index];
        }

        // A plain predicate, the usual condition, is run here; composite and iterative ones in Evaluate.
        ref readonly var entry = ref _entries[index];
        if (entry.Kind != EntryKind.Predicate)
        {
            return Evaluate(index, value, context);
        }

        var result = entry.Predicate!(value);
        _stamp[index] = _event;
        _value[index] = result;
        return result;
    }

    private bool Evaluate(int index, T value, IConditionContext<T> context)
    {
        ref readonly var entry = ref _entries[index];
        var result = entry.Kind switch
        {
            EntryKind.Predicate => entry.Predicate!(value),
            EntryKind.Not => !Test(entry.Left, value, context),
            EntryKind.And => Test(entry.Left, value, context) && Test(entry.Right, value, context),
            EntryKind.Or => Test(entry.Left, value, context) || Test(entry.Right, value, context),
            _ => entry.Condition!.Test(value, context),
        };

        _stamp[index] = _event;
        _value[index] = result;
        return result;
    }

    private static int Add(Condition<T> condition, List<Entry> entries, Dictionary<Condition<T>, int> indexes)
    {
        if (indexes.TryGetValue(condition, out var known))
        {
            return known;
        }

        var entry = condition switch
        {
            SimpleCondition<T> simple => new Entry(EntryKind.Predicate, simple.Predicate, null, -1, -1),
            NotCondition<T> not => new Entry(EntryKind.Not, null, null, Add(not.Inner, entries, indexes), -1),
            AndCondition<T> and => new Entry(EntryKind.And, null, null, Add(and.Left, entries, indexes), Add(and.Right, entries, indexes)),
            OrCondition<T> or => new Entry(EntryKind.Or, null, null, Add(or.Left, entries, indexes), Add(or.Right, entries, indexes)),
            _ => new Entry(EntryKind.Other, null, condition, -1, -1),
        };

        var index = entries.Count;
        entries.Add(entry);
        indexes.Add(condition, index);
        return index;
    }

    private enum EntryKind : byte
    {
        Predicate,
        Not,
        And,
        Or,
        Other,
    }

    private readonly record struct Entry(EntryKind Kind, Func<T, bool>? Predicate, Condition<T>? Condition, int Left, int Right);
}
