using Cep.Tests.Properties;

namespace Cep.Tests.Harness;

/// <summary>
/// The snapshot property every stateful operator must have: running to any cut, snapshotting, restoring into a fresh
/// operator and feeding the rest gives exactly the output of the uninterrupted run, in order, with the same counters,
/// and the restored operator's snapshot is byte for byte the one it was restored from.
/// </summary>
/// <typeparam name="TOp">The operator type.</typeparam>
/// <typeparam name="TOut">The type of the output that records what the operator emits.</typeparam>
/// <param name="NewOutput">Creates an empty output.</param>
/// <param name="Create">Creates a fresh operator writing to an output.</param>
/// <param name="Feed">Feeds an operator the steps in [from, to).</param>
/// <param name="Finish">Ends the input, e.g. with a final watermark.</param>
/// <param name="Snapshot">Takes a snapshot.</param>
/// <param name="Restore">Restores a snapshot into a fresh operator.</param>
/// <param name="Log">Reads an output's log, in emission order.</param>
/// <param name="Counters">Reads an operator's counters.</param>
public sealed record SnapshotCuts<TOp, TOut>(
    Func<TOut> NewOutput,
    Func<TOut, TOp> Create,
    Action<TOp, int, int> Feed,
    Action<TOp> Finish,
    Func<TOp, byte[]> Snapshot,
    Action<TOp, byte[]> Restore,
    Func<TOut, IEnumerable<string>> Log,
    Func<TOp, object> Counters)
{
    /// <summary>Checks the property for one case.</summary>
    /// <param name="testCase">The case, printed in the failure message.</param>
    /// <param name="cut">Where to snapshot, from 0 to <paramref name="length"/>.</param>
    /// <param name="length">The number of steps.</param>
    /// <exception cref="MatchMismatchException">The restored run differs from the uninterrupted one.</exception>
    public void Check(object testCase, int cut, int length)
    {
        var wholeOutput = NewOutput();
        var whole = Create(wholeOutput);
        Feed(whole, 0, length);
        Finish(whole);

        var output = NewOutput();
        var first = Create(output);
        Feed(first, 0, cut);
        var bytes = Snapshot(first);
        var second = Create(output);
        Restore(second, bytes);
        var again = Snapshot(second);
        Feed(second, cut, length);
        Finish(second);

        var wholeLog = Log(wholeOutput).ToList();
        var log = Log(output).ToList();
        var sameBytes = again.AsSpan().SequenceEqual(bytes);
        if (!wholeLog.SequenceEqual(log) || Counters(whole).ToString() != Counters(second).ToString() || !sameBytes)
        {
            throw new MatchMismatchException(
                $"{testCase}\n  uninterrupted: {string.Join("; ", wholeLog)}\n  restored:      {string.Join("; ", log)}\n" +
                $"  counters {Counters(whole)} vs {Counters(second)}\n  snapshot again equal: {sameBytes}");
        }
    }
}
