using NodaTime;

namespace Cep.HBaseRestServer.Faults;

/// <summary>
/// A deterministic fault: applies to requests matching <see cref="Kinds"/> and <see cref="Methods"/>,
/// skipping the first <see cref="Skip"/> matches and then firing for the next <see cref="Times"/> matches
/// (null = every later match).
/// </summary>
/// <param name="Fault">What to inject.</param>
/// <remarks>Immutable; the injector keeps the match counts.</remarks>
public sealed record FaultRule(FaultKind Fault)
{
    /// <summary>Request kinds this rule applies to; empty = all kinds.</summary>
    public IReadOnlyList<RequestKind> Kinds { get; init; } = [];

    /// <summary>HTTP methods this rule applies to (upper case); empty = all methods.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Matching requests to let through before the rule fires; default 0.</summary>
    public int Skip { get; init; }

    /// <summary>How many matching requests the rule fires for; null = forever.</summary>
    public int? Times { get; init; } = 1;

    /// <summary>Added delay for <see cref="FaultKind.Latency"/>; default 100 ms.</summary>
    public Duration Latency { get; init; } = Duration.FromMilliseconds(100);

    internal bool Matches(RequestKind kind, string method) =>
        (Kinds.Count == 0 || Kinds.Contains(kind)) && (Methods.Count == 0 || Methods.Contains(method));
}

/// <summary>
/// Random faults at a fixed rate from a seeded generator: for the same seed and the same order of
/// requests the same requests fail the same way.
/// </summary>
/// <param name="Rate">Probability in [0, 1] that a request gets a fault.</param>
/// <param name="Seed">Seed of the generator.</param>
public sealed record RandomFaults(double Rate, int Seed)
{
    /// <summary>The faults to choose from uniformly; default 503 and connection reset.</summary>
    public IReadOnlyList<FaultKind> Faults { get; init; } = [FaultKind.Unavailable, FaultKind.ConnectionReset];

    /// <summary>Request kinds subject to random faults; empty = all kinds.</summary>
    public IReadOnlyList<RequestKind> Kinds { get; init; } = [];

    /// <summary>Delay used when <see cref="FaultKind.Latency"/> is chosen; default 50 ms.</summary>
    public Duration Latency { get; init; } = Duration.FromMilliseconds(50);
}
