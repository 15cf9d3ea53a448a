using NodaTime;

namespace Cep.HBaseRestServer.Faults;

/// <summary>The fault chosen for one request (none, or a kind with its latency).</summary>
internal readonly record struct FaultDecision(FaultKind? Fault, Duration Latency)
{
    public static readonly FaultDecision None = new(null, Duration.Zero);
}

/// <summary>
/// Chooses faults per request: first the rules in the order added (the first that fires wins), then the
/// seeded random rate. <see cref="IsDown"/> aborts every request. Changes take effect for the next request.
/// </summary>
/// <remarks>Thread-safe; decisions are serialized so a seed gives one sequence of outcomes.</remarks>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<RuleState> _rules = [];
    private RandomFaults? _random;
    private Random? _generator;
    private volatile bool _down;

    /// <summary>When true, the gateway aborts every connection as if the server were unreachable.</summary>
    public bool IsDown
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Adds a rule after the existing ones.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Skip or Times is negative, or Latency is negative.</exception>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfNegative(rule.Skip, nameof(rule) + ".Skip");
        if (rule.Times is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Times, "FaultRule.Times must not be negative.");
        }
        if (rule.Latency < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Latency, "FaultRule.Latency must not be negative.");
        }
        lock (_gate)
        {
            _rules.Add(new RuleState(rule));
        }
    }

    /// <summary>Sets (or with null, clears) random faults; the generator restarts from the seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1] or no fault kind is given.</exception>
    public void SetRandom(RandomFaults? random)
    {
        if (random is not null && (random.Rate is < 0 or > 1 || double.IsNaN(random.Rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(random), random.Rate, "RandomFaults.Rate must be within [0, 1].");
        }
        if (random is not null && random.Faults.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(random), "RandomFaults.Faults must name at least one fault.");
        }
        lock (_gate)
        {
            _random = random;
            _generator = random is null ? null : new Random(random.Seed);
        }
    }

    /// <summary>Removes all rules and random faults and brings the gateway back up.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _random = null;
            _generator = null;
            _down = false;
        }
    }

    internal FaultDecision Decide(RequestKind kind, string method)
    {
        lock (_gate)
        {
            foreach (var state in _rules)
            {
                if (!state.Rule.Matches(kind, method))
                {
                    continue;
                }
                var seen = state.Matched++;
                if (seen >= state.Rule.Skip && (state.Rule.Times is null || seen < state.Rule.Skip + state.Rule.Times))
                {
                    return new FaultDecision(state.Rule.Fault, state.Rule.Latency);
                }
            }
            if (_random is { } random && _generator is { } generator && (random.Kinds.Count == 0 || random.Kinds.Contains(kind)))
            {
                var roll = generator.NextDouble();
                var pick = generator.Next(random.Faults.Count);
                if (roll < random.Rate)
                {
                    return new FaultDecision(random.Faults[pick], random.Latency);
                }
            }
            return FaultDecision.None;
        }
    }

    private sealed class RuleState(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public long Matched { get; set; }
    }
}
