using Cep.Joins.Window;
using Cep.Time;
using NodaTime;

namespace Cep.Joins.MultiStream;

/// <summary>
/// Joins N keyed streams (e.g. click, read, like, share keyed by user and item) over tumbling event-time windows into
/// one <see cref="JoinedRow{TKey, TEvent}"/> per key and window, holding whichever parts arrived.
/// </summary>
/// <typeparam name="TKey">The key type, e.g. a (user, item) tuple; it needs value equality.</typeparam>
/// <typeparam name="TEvent">The record type of all inputs (a common base type or a union type).</typeparam>
/// <remarks>
/// <para>Each record goes into the tumbling window of its timestamp, under its input. The operator's watermark is the
/// minimum of the inputs' watermarks (inputs marked idle with <see cref="SetIdle"/> excepted). When it reaches a window's maximum timestamp (end − 1 tick) the window closes: its
/// row is emitted as <see cref="JoinedRowKind.Closed"/> and its state removed. Rows closing at the same watermark are
/// emitted in the order of their window's end, then of the window's creation. A row holds, per input, every record of
/// that input in arrival order (with its timestamp); <see cref="JoinedRow{TKey, TEvent}.TryGetLatest"/> picks the latest
/// when only one is wanted.</para>
/// <para>With <see cref="MultiStreamJoinOptions{TKey, TEvent}.EmitWhenComplete"/>, a row is emitted early, as
/// <see cref="JoinedRowKind.Complete"/>, by the record that gives every required input a part; the window stays open and
/// keeps collecting, and at close it emits an <see cref="JoinedRowKind.Update"/> row with everything if records arrived
/// after the early row (nothing otherwise). No record is ignored.</para>
/// <para>A record whose window has already closed (its maximum timestamp is at or below the watermark) is late: it goes
/// to <see cref="IMultiStreamJoinOutput{TKey, TEvent}.OnRejected"/> with its input, key and
/// <see cref="RejectReason.Late"/>, and is counted. A record behind the watermark whose window is still open is
/// accepted, as in Flink's window operator. A final watermark of <see cref="Instant.MaxValue"/> closes every window.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: drive one operator from one thread at a time.</threadsafety>
public sealed partial class MultiStreamJoinOperator<TKey, TEvent>
    where TKey : notnull
{
    private readonly MultiStreamInput<TKey, TEvent>[] _inputs;
    private readonly string[] _names;
    private readonly TumblingWindowAssigner _window;
    private readonly IMultiStreamJoinOutput<TKey, TEvent> _output;
    private readonly MultiStreamJoinOptions<TKey, TEvent> _options;
    private readonly int[] _required;
    private readonly JoinIntake _intake;
    private readonly Dictionary<(TKey Key, long Start), RowPane<TKey, TEvent>> _panes = [];
    private readonly Dictionary<TKey, int> _panesPerKey = [];
    private readonly PriorityQueue<RowPane<TKey, TEvent>, (long Time, long Seq)> _timers = new();
    private long _nextSeq;

    /// <summary>Creates a multi-stream join.</summary>
    /// <param name="inputs">The inputs, at least two, with unique names; an input's index is its position here.</param>
    /// <param name="window">The tumbling windows rows are collected over, e.g. 10 minutes.</param>
    /// <param name="output">Receives rows and rejected records.</param>
    /// <param name="options">Early emission and snapshot serializers; defaults if null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/>, one of its elements, <paramref name="window"/>
    /// or <paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException">There are fewer than two inputs, two inputs share a name, or
    /// <see cref="MultiStreamJoinOptions{TKey, TEvent}.EmitWhenComplete"/> is empty or names an unknown input.</exception>
    public MultiStreamJoinOperator(
        IReadOnlyList<MultiStreamInput<TKey, TEvent>> inputs,
        TumblingWindowAssigner window,
        IMultiStreamJoinOutput<TKey, TEvent> output,
        MultiStreamJoinOptions<TKey, TEvent>? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(output);
        if (inputs.Count < 2)
        {
            throw new ArgumentException($"A multi-stream join needs at least two inputs; it was given {inputs.Count}.", nameof(inputs));
        }

        _inputs = [.. inputs];
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), $"Input {i} is null.");
            }
        }

        _names = [.. _inputs.Select(i => i.Name)];
        var duplicate = _names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two inputs are named '{duplicate.Key}'; input names must be unique.", nameof(inputs));
        }

        _window = window;
        _output = output;
        _options = options ?? new MultiStreamJoinOptions<TKey, TEvent>();
        _required = RequiredInputs(_options.EmitWhenComplete);
        _intake = new JoinIntake(_inputs.Length);
        Counters = new MultiStreamJoinCounters(_inputs.Length);
    }

    /// <summary>Gets the names of the inputs, in index order.</summary>
    public IReadOnlyList<string> InputNames => _names;

    /// <summary>Gets the counters; see <see cref="MultiStreamJoinCounters"/> for how they balance.</summary>
    public MultiStreamJoinCounters Counters { get; }

    /// <summary>Gets the operator's watermark: the largest value reached by the minimum over the inputs that are not idle;
    /// <see cref="Instant.MinValue"/> until every input has reported one. It never decreases.</summary>
    public Instant Watermark => _intake.Watermark;

    /// <summary>Gets the index of the input with the given name.</summary>
    /// <param name="name">The input's name.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">No input has that name.</exception>
    public int IndexOf(string name)
    {
        var index = Array.IndexOf(_names, name);
        return index >= 0 ? index
            : throw new ArgumentException($"There is no input named '{name}'; the inputs are {string.Join(", ", _names)}.", nameof(name));
    }

    /// <summary>Gives the operator one record of one input.</summary>
    /// <param name="input">The input index.</param>
    /// <param name="value">The record.</param>
    /// <param name="timestamp">Its event timestamp.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public void OnRecord(int input, TEvent value, Instant timestamp)
    {
        CheckInput(input);
        Counters.InByInput[input]++;
        if (!JoinIntake.TrySelectKey(_inputs[input].KeySelector, value, out var key, out var error))
        {
            Counters.Failed++;
            _output.OnRejected(new(input, default, value, timestamp, Watermark, RejectReason.KeySelectorFailed, error));
            return;
        }

        if (timestamp == Instant.MinValue || timestamp == Instant.MaxValue)
        {
            Counters.Failed++;
            _output.OnRejected(new(input, key, value, timestamp, Watermark, RejectReason.InvalidTimestamp, null));
            return;
        }

        var ticks = EventTicks.ToTicks(timestamp);
        var window = _window.WindowOf(ticks);
        if (window.MaxTicks <= _intake.Ticks)
        {
            Counters.Late++;
            _output.OnRejected(new(input, key, value, timestamp, Watermark, RejectReason.Late, null));
            return;
        }

        if (!_panes.TryGetValue((key, window.Start), out var pane))
        {
            pane = new RowPane<TKey, TEvent>(key, window.Start, window.End, _nextSeq++, _inputs.Length);
            _panes.Add((key, window.Start), pane);
            _panesPerKey[key] = _panesPerKey.GetValueOrDefault(key) + 1;
            Counters.KeyCount = _panesPerKey.Count;
            Counters.PaneCount++;
            _timers.Enqueue(pane, (window.MaxTicks, pane.Seq));
        }

        pane.Parts[input].Add(value);
        pane.Ticks[input].Add(ticks);
        Counters.Accepted++;
        Counters.Live++;
        if (pane.EarlyEmitted)
        {
            pane.ChangedSinceEarly = true;
            Counters.AfterEarly++;
        }
        else if (_required.Length > 0 && IsComplete(pane))
        {
            pane.EarlyEmitted = true;
            Counters.CompleteRows++;
            _output.OnJoined(pane.ToRow(JoinedRowKind.Complete, _names));
        }
    }

    /// <summary>Advances one input's watermark; windows close if the operator's watermark advances.</summary>
    /// <param name="input">The input index.</param>
    /// <param name="watermark">The promise that no more records of this input with a timestamp at or below it will come.
    /// A value below the input's previous watermark is ignored.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public void OnWatermark(int input, Instant watermark)
    {
        CheckInput(input);
        if (_intake.Update(input, watermark))
        {
            Advance();
        }
    }

    /// <summary>Advances every input's watermark at once, e.g. to <see cref="Instant.MaxValue"/> at the end of input.
    /// Since every input promises it, the operator's watermark reaches it even if some inputs are idle.</summary>
    /// <param name="watermark">The watermark of all inputs.</param>
    public void OnWatermark(Instant watermark)
    {
        if (_intake.UpdateAll(watermark))
        {
            Advance();
        }
    }

    /// <summary>
    /// Marks an input idle or active again. An idle input (e.g. a share stream that is quiet for hours) does not hold the
    /// operator's watermark back, so windows can close while it sends nothing; its records are still accepted, and a
    /// watermark it sends while idle is kept and counts once it is active again. The watermark never goes back: an input
    /// that becomes active while behind holds it in place until it catches up.
    /// </summary>
    /// <param name="input">The input index.</param>
    /// <param name="idle">True to mark the input idle, false to mark it active.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public void SetIdle(int input, bool idle)
    {
        CheckInput(input);
        if (_intake.SetIdle(input, idle))
        {
            Advance();
        }
    }

    private void Advance()
    {
        while (_timers.TryPeek(out var pane, out var due) && due.Time <= _intake.Ticks)
        {
            _timers.Dequeue();
            Close(pane);
        }
    }

    private void Close(RowPane<TKey, TEvent> pane)
    {
        _panes.Remove((pane.Key, pane.Start));
        var left = _panesPerKey[pane.Key] - 1;
        if (left == 0)
        {
            _panesPerKey.Remove(pane.Key);
        }
        else
        {
            _panesPerKey[pane.Key] = left;
        }

        Counters.PaneCount--;
        Counters.KeyCount = _panesPerKey.Count;
        var count = pane.RecordCount;
        Counters.Live -= count;
        Counters.Released += count;
        if (!pane.EarlyEmitted)
        {
            Counters.ClosedRows++;
            _output.OnJoined(pane.ToRow(JoinedRowKind.Closed, _names));
        }
        else if (pane.ChangedSinceEarly)
        {
            Counters.UpdateRows++;
            _output.OnJoined(pane.ToRow(JoinedRowKind.Update, _names));
        }
    }

    private bool IsComplete(RowPane<TKey, TEvent> pane)
    {
        foreach (var input in _required)
        {
            if (pane.Parts[input].Count == 0)
            {
                return false;
            }
        }

        return true;
    }

    private int[] RequiredInputs(IReadOnlyCollection<string>? names)
    {
        if (names is null)
        {
            return [];
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("EmitWhenComplete must name at least one input, or be null.", "options");
        }

        var result = new SortedSet<int>();
        foreach (var name in names)
        {
            var index = Array.IndexOf(_names, name);
            if (index < 0)
            {
                throw new ArgumentException($"EmitWhenComplete names '{name}', which is not an input; the inputs are {string.Join(", ", _names)}.", "options");
            }

            result.Add(index);
        }

        return [.. result];
    }

    private void CheckInput(int input)
    {
        if ((uint)input >= (uint)_inputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, $"The input must be in the range [0-{_inputs.Length - 1}]; it was {input}.");
        }
    }
}
