using System.Diagnostics.CodeAnalysis;
using Cep.State;
using Cep.Time;
using NodaTime;

namespace Cep.Joins;

/// <summary>
/// The intake side of a join operator with several inputs: each input's watermark, the operator's watermark (the
/// largest value reached by the minimum over the inputs that are not idle; it never decreases), the late check of a
/// record against its own input, and key selection that reports a failing selector instead of throwing.
/// </summary>
/// <remarks>
/// <para>The operator's watermark is kept in ticks (<see cref="Ticks"/>) next to a <see cref="WatermarkTracker"/>. It
/// follows the tracker when the tracker advances, and is moved directly by <see cref="UpdateAll"/> and
/// <see cref="Restore"/>: after a restore the tracker can be behind (it cannot be set directly), and the saved value is
/// the one that counts.</para>
/// <para>Every call is allocation-free except <see cref="Restore"/>.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: used from its operator's single thread.</threadsafety>
internal sealed class JoinIntake
{
    private readonly WatermarkTracker _tracker;
    private long _ticks = long.MinValue;

    /// <summary>Creates the intake of <paramref name="inputCount"/> inputs, all active, with no watermark yet.</summary>
    /// <param name="inputCount">The number of inputs, numbered from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputCount"/> is less than 1.</exception>
    public JoinIntake(int inputCount) => _tracker = new WatermarkTracker(inputCount);

    /// <summary>Gets the operator's watermark in ticks; <see cref="long.MinValue"/> until every active input has one.</summary>
    public long Ticks => _ticks;

    /// <summary>Gets the operator's watermark as an instant (of <see cref="Ticks"/>).</summary>
    public Instant Watermark => EventTicks.ToInstant(_ticks);

    /// <summary>Gets the tracker's combined watermark exactly as the inputs reported it (no rounding to ticks).</summary>
    public Instant Combined => _tracker.Current;

    /// <summary>Gets a value indicating whether no input has a watermark or is idle.</summary>
    private bool IsFresh
    {
        get
        {
            for (var i = 0; i < _tracker.InputCount; i++)
            {
                if (_tracker.GetInputWatermark(i) != Instant.MinValue || _tracker.IsIdle(i))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Checks that the operator may be restored: neither it nor this intake has been used.</summary>
    /// <param name="operatorUsed">Whether the operator has received records or a snapshot, or holds state.</param>
    /// <exception cref="InvalidOperationException"><paramref name="operatorUsed"/> is true, or an input has a watermark or is idle.</exception>
    public void RequireFresh(bool operatorUsed)
    {
        if (operatorUsed || !IsFresh)
        {
            throw new InvalidOperationException("Restore needs a fresh operator: this one has already received records, a watermark or a snapshot.");
        }
    }

    /// <summary>Opens an operator snapshot for restoring into a fresh operator and checks its kind and fingerprint.</summary>
    /// <param name="operatorUsed">Whether the operator has received records or a snapshot, or holds state.</param>
    /// <param name="snapshot">The snapshot bytes.</param>
    /// <param name="kind">The operator's snapshot kind.</param>
    /// <param name="fingerprint">The operator's configuration fingerprint.</param>
    /// <returns>A reader positioned after the fingerprint.</returns>
    /// <exception cref="InvalidOperationException">The operator or this intake is not fresh (see <see cref="RequireFresh"/>).</exception>
    /// <exception cref="SnapshotFormatException">The bytes are not a snapshot of this kind and fingerprint.</exception>
    public SnapshotReader OpenRestore(bool operatorUsed, ReadOnlySpan<byte> snapshot, string kind, string fingerprint)
    {
        RequireFresh(operatorUsed);
        var r = SnapshotReader.OpenOperator(snapshot, kind);
        r.ExpectFingerprint(fingerprint);
        return r;
    }

    /// <summary>Tells whether a record of one input is late against that input's own watermark.</summary>
    /// <param name="input">The input index.</param>
    /// <param name="timestamp">The record's event timestamp.</param>
    /// <param name="watermark">The input's watermark, which the record was checked against.</param>
    /// <returns>True if the timestamp is at or below the input's watermark (compared in ticks); otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public bool IsLateForInput(int input, Instant timestamp, out Instant watermark)
    {
        watermark = _tracker.GetInputWatermark(input);
        return EventTicks.ToTicks(timestamp) <= EventTicks.ToTicks(watermark);
    }

    /// <summary>Records a new watermark of one input.</summary>
    /// <param name="input">The input index.</param>
    /// <param name="watermark">The input's watermark; ignored if at or below its previous one.</param>
    /// <returns>True if the combined watermark advanced (the operator should fire what is due); otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public bool Update(int input, Instant watermark) => _tracker.Update(input, watermark) && Follow();

    /// <summary>Records the same watermark for every input, e.g. <see cref="Instant.MaxValue"/> at the end of input;
    /// since every input promises it, the operator's watermark reaches it even if some inputs are idle.</summary>
    /// <param name="watermark">The watermark of all inputs.</param>
    /// <returns>True if the operator's watermark advanced; otherwise false.</returns>
    public bool UpdateAll(Instant watermark)
    {
        for (var i = 0; i < _tracker.InputCount; i++)
        {
            _tracker.Update(i, watermark);
        }

        var w = EventTicks.ToTicks(watermark);
        if (w <= _ticks)
        {
            return false;
        }

        _ticks = w;
        return Follow();
    }

    /// <summary>Marks one input idle (it no longer holds the watermark back) or active again.</summary>
    /// <param name="input">The input index.</param>
    /// <param name="idle">True to mark the input idle, false to mark it active.</param>
    /// <returns>True if the combined watermark advanced; otherwise false.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is not an input index.</exception>
    public bool SetIdle(int input, bool idle) => (idle ? _tracker.MarkIdle(input) : _tracker.MarkActive(input)) && Follow();

    /// <summary>Writes every input's watermark (int64 ticks each, in input order).</summary>
    /// <param name="w">The snapshot writer.</param>
    public void WriteInputWatermarks(SnapshotWriter w)
    {
        for (var i = 0; i < _tracker.InputCount; i++)
        {
            w.WriteInt64(EventTicks.ToTicks(_tracker.GetInputWatermark(i)));
        }
    }

    /// <summary>Writes every input's watermark, every input's idle flag (a byte each) and the operator's watermark.</summary>
    /// <param name="w">The snapshot writer.</param>
    private void Write(SnapshotWriter w)
    {
        WriteInputWatermarks(w);
        for (var i = 0; i < _tracker.InputCount; i++)
        {
            w.WriteByte(_tracker.IsIdle(i) ? (byte)1 : (byte)0);
        }

        w.WriteInt64(_ticks);
    }

    /// <summary>Starts an operator snapshot: the header, the operator's kind and fingerprint, then this intake's state
    /// (see <see cref="Write"/>).</summary>
    /// <param name="kind">The operator's snapshot kind.</param>
    /// <param name="fingerprint">The operator's configuration fingerprint.</param>
    /// <returns>The writer, for the operator's own state.</returns>
    public SnapshotWriter BeginSnapshot(string kind, string fingerprint)
    {
        var w = new SnapshotWriter();
        SnapshotFormat.WriteHeader(w);
        w.WriteString(kind);
        w.WriteString(fingerprint);
        Write(w);
        return w;
    }

    /// <summary>Restores a fresh intake: idle flags first, so that the tracker combines only the active inputs and stays
    /// at or below the saved operator watermark; then the inputs' watermarks; then the operator's watermark.</summary>
    /// <param name="watermarks">Each input's watermark in ticks.</param>
    /// <param name="idle">Each input's idle flag, or empty when the snapshot has none.</param>
    /// <param name="ticks">The operator's watermark in ticks, or null to take the tracker's.</param>
    public void Restore(ReadOnlySpan<long> watermarks, ReadOnlySpan<bool> idle, long? ticks)
    {
        for (var i = 0; i < idle.Length; i++)
        {
            if (idle[i])
            {
                _tracker.MarkIdle(i);
            }
        }

        for (var i = 0; i < watermarks.Length; i++)
        {
            _tracker.Update(i, EventTicks.ToInstant(watermarks[i]));
        }

        _ticks = ticks ?? EventTicks.ToTicks(_tracker.Current);
    }

    /// <summary>Selects a record's key; a selector that throws is reported, not passed on.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="selector">The key selector.</param>
    /// <param name="value">The record.</param>
    /// <param name="key">The key, if the selector returned one.</param>
    /// <param name="error">The selector's exception, if it threw.</param>
    /// <returns>True if the selector returned a key; false if it threw.</returns>
    public static bool TrySelectKey<T, TKey>(
        Func<T, TKey> selector, T value, [MaybeNullWhen(false)] out TKey key, [NotNullWhen(false)] out Exception? error)
    {
        try
        {
            key = selector(value);
            error = null;
            return true;
        }
        catch (Exception e)
        {
            key = default;
            error = e;
            return false;
        }
    }

    /// <summary>After the tracker advanced: the operator's watermark is the larger of its own and the tracker's.</summary>
    /// <returns>Always true, so that it can end a condition.</returns>
    private bool Follow()
    {
        _ticks = Math.Max(_ticks, EventTicks.ToTicks(_tracker.Current));
        return true;
    }
}
