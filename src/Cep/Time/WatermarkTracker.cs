using NodaTime;

namespace Cep.Time;

/// <summary>
/// Combines the watermarks of an operator's inputs into the operator's own watermark: the minimum over the
/// inputs that are not idle, never decreasing.
/// </summary>
/// <remarks>
/// <para>
/// Every input starts active with the watermark <see cref="Instant.MinValue"/>, so <see cref="Current"/> starts
/// at <see cref="Instant.MinValue"/> and does not move until every active input has reported a watermark.
/// </para>
/// <para>
/// Rules: an input's watermark never goes backwards (a smaller value is ignored); idle inputs do not hold the
/// combined watermark back; when every input is idle the combined watermark stays where it was; and the combined
/// watermark itself never goes backwards, so an input that becomes active again while behind holds it in place
/// until it catches up, rather than pulling it back. Records from such an input with a timestamp
/// <c>&lt;= </c><see cref="Current"/> are late.
/// </para>
/// <para>
/// Each mutating method returns whether <see cref="Current"/> advanced, so an operator knows when to fire timers
/// and windows. Every call costs O(number of inputs).
/// </para>
/// </remarks>
/// <threadsafety>Mutable and not thread-safe; use it from the operator's single thread.</threadsafety>
public sealed class WatermarkTracker
{
    private readonly Instant[] _watermarks;
    private readonly bool[] _idle;
    private Instant _current = Instant.MinValue;

    /// <summary>Initializes a tracker for <paramref name="inputCount"/> inputs, all active, all at <see cref="Instant.MinValue"/>.</summary>
    /// <param name="inputCount">The number of inputs, numbered from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputCount"/> is less than 1.</exception>
    public WatermarkTracker(int inputCount)
    {
        if (inputCount < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputCount), inputCount, $"A tracker needs at least one input; it was given {inputCount}.");
        }

        _watermarks = new Instant[inputCount];
        Array.Fill(_watermarks, Instant.MinValue);
        _idle = new bool[inputCount];
    }

    /// <summary>Gets the number of inputs.</summary>
    public int InputCount => _watermarks.Length;

    /// <summary>Gets the combined watermark.</summary>
    /// <value>
    /// The largest value ever reached by the minimum watermark over the active inputs; <see cref="Instant.MinValue"/>
    /// until every active input has reported a watermark. It never decreases.
    /// </value>
    public Instant Current => _current;

    /// <summary>Gets a value indicating whether every input is idle.</summary>
    public bool AllIdle => Array.IndexOf(_idle, false) < 0;

    /// <summary>Records a new watermark for one input.</summary>
    /// <param name="input">The input, from 0 to <see cref="InputCount"/> − 1.</param>
    /// <param name="watermark">The input's watermark; ignored if below the input's previous one.</param>
    /// <returns>True if <see cref="Current"/> advanced; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is negative or not less than <see cref="InputCount"/>.</exception>
    /// <remarks>
    /// This does not change whether the input is idle: the watermark of an idle input is stored and takes part
    /// once <see cref="MarkActive(int)"/> is called. That way a periodic re-send of an idle input's unchanged
    /// watermark does not wake it up.
    /// </remarks>
    public bool Update(int input, Instant watermark)
    {
        CheckInput(input);
        if (watermark <= _watermarks[input])
        {
            return false;
        }

        _watermarks[input] = watermark;
        return !_idle[input] && Recompute();
    }

    /// <summary>Marks one input idle, so that it no longer holds back the combined watermark.</summary>
    /// <param name="input">The input, from 0 to <see cref="InputCount"/> − 1.</param>
    /// <returns>True if <see cref="Current"/> advanced (the input was the one holding it back); otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is negative or not less than <see cref="InputCount"/>.</exception>
    /// <remarks>Marking an idle input idle again does nothing. If every input is now idle, <see cref="Current"/> stays where it was.</remarks>
    public bool MarkIdle(int input)
    {
        CheckInput(input);
        if (_idle[input])
        {
            return false;
        }

        _idle[input] = true;
        return Recompute();
    }

    /// <summary>Marks one input active again, so that it takes part in the combined watermark.</summary>
    /// <param name="input">The input, from 0 to <see cref="InputCount"/> − 1.</param>
    /// <returns>
    /// True if <see cref="Current"/> advanced, which happens only when every input was idle and this input's
    /// watermark is ahead of <see cref="Current"/>; otherwise false.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is negative or not less than <see cref="InputCount"/>.</exception>
    /// <remarks>Marking an active input active does nothing. An input that is behind <see cref="Current"/> holds it in place until it catches up.</remarks>
    public bool MarkActive(int input)
    {
        CheckInput(input);
        if (!_idle[input])
        {
            return false;
        }

        _idle[input] = false;
        return Recompute();
    }

    /// <summary>Gets a value indicating whether one input is idle.</summary>
    /// <param name="input">The input, from 0 to <see cref="InputCount"/> − 1.</param>
    /// <returns>True if the input is idle; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is negative or not less than <see cref="InputCount"/>.</exception>
    public bool IsIdle(int input)
    {
        CheckInput(input);
        return _idle[input];
    }

    /// <summary>Gets the largest watermark reported for one input.</summary>
    /// <param name="input">The input, from 0 to <see cref="InputCount"/> − 1.</param>
    /// <returns>The input's watermark; <see cref="Instant.MinValue"/> if it has reported none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is negative or not less than <see cref="InputCount"/>.</exception>
    public Instant GetInputWatermark(int input)
    {
        CheckInput(input);
        return _watermarks[input];
    }

    /// <summary>Tells whether a record with the given timestamp is late for the operator.</summary>
    /// <param name="timestamp">The record's event timestamp.</param>
    /// <returns>True if <paramref name="timestamp"/> is at or below <see cref="Current"/>; otherwise false.</returns>
    public bool IsLate(Instant timestamp) => timestamp <= _current;

    /// <inheritdoc/>
    public override string ToString() => $"WatermarkTracker(Current = {_current}, {InputCount} inputs)";

    private bool Recompute()
    {
        var any = false;
        var min = Instant.MaxValue;
        for (var i = 0; i < _watermarks.Length; i++)
        {
            if (!_idle[i])
            {
                any = true;
                if (_watermarks[i] < min)
                {
                    min = _watermarks[i];
                }
            }
        }

        if (!any || min <= _current)
        {
            return false;
        }

        _current = min;
        return true;
    }

    private void CheckInput(int input)
    {
        if ((uint)input >= (uint)_watermarks.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(input), input, $"The input must be in the range [0-{_watermarks.Length - 1}]; it was {input}.");
        }
    }
}
