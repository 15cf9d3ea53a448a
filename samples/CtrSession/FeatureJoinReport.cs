using Cep.Joins.Lookup;
using Cep.Joins.Retry;

namespace CtrSession;

/// <summary>What the feature stage produced, with the checks that every feature and every sample is accounted for.</summary>
public sealed record FeatureJoinReport
{
    /// <summary>Samples the CEP stage released (positives + negatives).</summary>
    public long Samples { get; init; }

    public long FeaturesGenerated { get; init; }

    public long FeaturesNeverArriving { get; init; }

    /// <summary>Features whose arrival time event time had not reached when the run stopped (only with a drain limit).</summary>
    public long FeaturesNotYetArrived { get; init; }

    public long FeaturesReceived { get; init; }

    public long FeaturesWritten { get; init; }

    public long FeatureWriteFailures { get; init; }

    public long FeatureWritesPending { get; init; }

    public required string Writer { get; init; }

    public long LookedUp { get; init; }

    public required string Lookup { get; init; }

    public bool LookupBalanced { get; init; }

    public long JoinedFirst { get; init; }

    public required IReadOnlyDictionary<LookupFailureReason, long> LookupFailures { get; init; }

    public long LookupRejected { get; init; }

    public long LookupInFlight { get; init; }

    public long RetryIn { get; init; }

    public required long[] JoinedAfterRetryPerLevel { get; init; }

    public required IReadOnlyDictionary<RetryExitReason, long> ExpiredByReason { get; init; }

    public long Pending { get; init; }

    public required string Retry { get; init; }

    public bool RetryBalanced { get; init; }

    /// <summary>Samples released but not yet handed to the lookup (only with a drain limit of zero).</summary>
    public long Unreleased { get; init; }

    public long JoinedAfterRetry => JoinedAfterRetryPerLevel.Sum();

    public long Joined => JoinedFirst + JoinedAfterRetry;

    public long Expired => ExpiredByReason.Values.Sum();

    public long LookupFailed => LookupFailures.Values.Sum();

    /// <summary>generated = written + write failures + write pending + not yet arrived + never arriving.</summary>
    public bool FeaturesBalanced =>
        FeaturesReceived == FeaturesWritten + FeatureWriteFailures + FeatureWritesPending
        && FeaturesGenerated == FeaturesReceived + FeaturesNotYetArrived + FeaturesNeverArriving;

    /// <summary>looked up = joined first + to the retry queue (misses and failures) + rejected + in flight.</summary>
    public bool LookupsBalanced => LookupBalanced && LookedUp == JoinedFirst + RetryIn + LookupRejected + LookupInFlight;

    /// <summary>samples = joined + expired + pending (+ rejected and not yet looked up, both zero in a complete run).</summary>
    public bool SamplesBalanced =>
        RetryBalanced && Samples == LookedUp + Unreleased
        && Samples == Joined + Expired + Pending + LookupRejected + LookupInFlight + Unreleased;

    public bool Balanced => FeaturesBalanced && LookupsBalanced && SamplesBalanced && FeatureWriteFailures == 0;

    public void Print(TextWriter w)
    {
        w.WriteLine($"features         {FeaturesGenerated,10}   ({FeaturesNeverArriving} never arrive, {FeaturesNotYetArrived} not yet arrived)");
        w.WriteLine($"features written {FeaturesWritten,10}   (writer: {Writer})");
        w.WriteLine($"looked up        {LookedUp,10}   samples (lookup: {Lookup})");
        w.WriteLine($"joined first     {JoinedFirst,10}   (found on the first lookup)");
        w.WriteLine($"to retry         {RetryIn,10}   ({RetryIn - LookupFailed} misses, {LookupFailed} failures{Reasons(LookupFailures)})");
        for (var i = 0; i < JoinedAfterRetryPerLevel.Length; i++)
        {
            w.WriteLine($"joined, level {i + 1}  {JoinedAfterRetryPerLevel[i],10}   (after retry)");
        }

        w.WriteLine($"expired          {Expired,10}   ({(Expired == 0 ? "none" : Reasons(ExpiredByReason).TrimStart(';', ' '))})");
        w.WriteLine($"still pending    {Pending,10}");
        w.WriteLine($"retry queue      {Retry}");
        w.WriteLine($"balance          features = written + failed + pending + not yet arrived + never: {Ok(FeaturesBalanced)}; " +
                    $"looked up = joined first + retried: {Ok(LookupsBalanced)}; " +
                    $"samples = joined + expired + pending: {Samples} = {Joined} + {Expired} + {Pending} {Ok(SamplesBalanced)}");
    }

    private static string Reasons<T>(IReadOnlyDictionary<T, long> counts)
        where T : notnull =>
        string.Concat(counts.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal).Select(kv => $"; {kv.Key} {kv.Value}"));

    private static string Ok(bool ok) => ok ? "ok" : "BROKEN";
}
