using Cep.Operators;
using Cep.Patterns;
using NodaTime;

namespace Cep.Tests.Harness;

/// <summary>
/// A test event in the style of FlinkCEP's test <c>Event(id, name, price)</c>: <see cref="Label"/> identifies the occurrence
/// in match strings, <see cref="Name"/> and <see cref="Price"/> are what conditions look at, <see cref="Ts"/> is the event time
/// in milliseconds.
/// </summary>
public sealed record Ev(string Label, string Name, double Price, long Ts)
{
    /// <summary>An event whose name is the label without trailing digits ("a1" has name "a").</summary>
    public static Ev Of(string label, long ts, double price = 0) => new(label, label.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), price, ts);

    /// <summary>Events labelled as given, named by their label without trailing digits, at timestamps 1, 2, 3, ...</summary>
    public static Ev[] Seq(params string[] labels) => labels.Select((l, i) => Of(l, i + 1)).ToArray();

    /// <summary>A condition on the event name.</summary>
    public static Func<Ev, bool> Named(string name) => e => e.Name == name;

    public override string ToString() => Label;
}

/// <summary>
/// Runs one pattern over the events of a single key through <see cref="CepOperator{TKey, T}"/>, like Flink's
/// <c>NFATestHarness</c>.
/// </summary>
/// <remarks>
/// <para>Time model: all events are given to the operator first (in list order), then one watermark at the largest
/// event timestamp releases them; the operator processes them in timestamp order, equal timestamps in list order.
/// Before each timestamp the key's due timer fires, so windows are checked before an event like Flink's harness
/// (which advances time before every event). A watermark only at the end (instead of after each event) lets several
/// events share a timestamp without being late.</para>
/// <para>The final watermark is the last event's timestamp unless <c>Run</c> is given a later one
/// (<see cref="long.MaxValue"/> flushes every window: timeouts and pending trailing NotFollowedBy matches).</para>
/// </remarks>
public static class NfaHarness
{
    /// <summary>Starts a harness for <paramref name="pattern"/>.</summary>
    public static NfaHarness<T> For<T>(Pattern<T> pattern) => new(pattern);

    /// <summary>Sorts match strings for a multiset comparison.</summary>
    public static List<string> Sorted(IEnumerable<string> matches) => matches.OrderBy(s => s, StringComparer.Ordinal).ToList();
}

/// <summary>Feeds events of one key to a fresh operator and collects what comes out.</summary>
public sealed class NfaHarness<T>(Pattern<T> pattern)
{
    /// <summary>Feeds <paramref name="events"/> with their timestamps and returns the output.</summary>
    /// <param name="events">Events and their event times in milliseconds, in arrival order.</param>
    /// <param name="finalWatermark">The watermark sent after all events; defaults to the largest timestamp.</param>
    public HarnessResult<T> Run(IEnumerable<(T Value, long Ts)> events, long? finalWatermark = null)
    {
        var output = new CollectingOutput<int, T>();
        var op = new CepOperator<int, T>(pattern, _ => 0, output);
        var max = long.MinValue;
        foreach (var (value, ts) in events)
        {
            op.OnRecord(value, Instant.FromUnixTimeMilliseconds(ts));
            max = Math.Max(max, ts);
        }

        var watermark = finalWatermark ?? max;
        if (watermark != long.MinValue)
        {
            op.OnWatermark(watermark == long.MaxValue ? Instant.MaxValue : Instant.FromUnixTimeMilliseconds(watermark));
        }

        if (output.Errors.Count > 0)
        {
            throw new InvalidOperationException("The operator reported an error.", output.Errors[0].Error);
        }

        return new HarnessResult<T>(output, op.Counters);
    }

    /// <summary>Feeds <see cref="Ev"/> events at their own timestamps.</summary>
    public HarnessResult<T> Run(IEnumerable<T> events, Func<T, long> ts, long? finalWatermark = null) =>
        Run(events.Select(e => (e, ts(e))), finalWatermark);
}

/// <summary>What a harness run produced.</summary>
public sealed class HarnessResult<T>(CollectingOutput<int, T> output, CepCounters counters)
{
    /// <summary>Gets the raw output.</summary>
    public CollectingOutput<int, T> Output { get; } = output;

    /// <summary>Gets the operator's counters.</summary>
    public CepCounters Counters { get; } = counters;

    /// <summary>Gets each match as "stage:event stage:event ..." in emission order.</summary>
    public List<string> InOrder => Output.Matches.Select(m => CollectingOutput<int, T>.Describe(m.Match)).ToList();

    /// <summary>Gets the matches sorted, for a multiset comparison.</summary>
    public List<string> Matches => NfaHarness.Sorted(InOrder);

    /// <summary>Asserts that the matches equal <paramref name="expected"/> as a multiset (order does not matter).</summary>
    public HarnessResult<T> AssertMatches(params string[] expected)
    {
        Xunit.Assert.Equal(NfaHarness.Sorted(expected), Matches);
        return this;
    }

    /// <summary>Asserts that the timeouts ("stage:event ... @ms") equal <paramref name="expected"/> as a multiset.</summary>
    public HarnessResult<T> AssertTimeouts(params string[] expected)
    {
        Xunit.Assert.Equal(NfaHarness.Sorted(expected), Timeouts);
        return this;
    }

    /// <summary>Gets each timed-out partial match as "stage:event ... @ms", sorted.</summary>
    public List<string> Timeouts => NfaHarness.Sorted(
        Output.Timeouts.Select(t => $"{CollectingOutput<int, T>.Describe(t.Partial)} @{t.TimedOutAt.ToUnixTimeMilliseconds()}"));
}

/// <summary>Shorthands for running <see cref="Ev"/> events.</summary>
public static class EvHarnessExtensions
{
    /// <summary>Runs the events at their own timestamps.</summary>
    public static HarnessResult<Ev> Feed(this NfaHarness<Ev> harness, params Ev[] events) => harness.Run(events, e => e.Ts);

    /// <summary>Runs the events at their own timestamps, then sends <paramref name="finalWatermark"/>.</summary>
    public static HarnessResult<Ev> FeedUntil(this NfaHarness<Ev> harness, long finalWatermark, params Ev[] events) =>
        harness.Run(events, e => e.Ts, finalWatermark);
}
