using System.Text;
using Cep.Connectors.Features;
using NodaTime;
using NodaTime.Testing;

namespace Cep.Tests.Connectors.Features;

/// <summary>An in-memory store that logs every batch write and fails the writes a test tells it to.</summary>
public sealed class ScriptedFeatureStore : IFeatureStore
{
    private readonly InMemoryFeatureStore _inner = new(Duration.FromDays(365), new FakeClock(Instant.FromUtc(2026, 11, 23, 9, 0)));

    /// <summary>Gets or sets which attempt (numbered from 1 over the store's life) fails, and with what; null writes it.</summary>
    public Func<int, Exception?> FailAttempt { get; set; } = _ => null;

    public List<int> Attempts { get; } = [];

    public List<IReadOnlyList<FeatureRecord>> WrittenBatches { get; } = [];

    public Duration Ttl => _inner.Ttl;

    public ValueTask WriteAsync(IReadOnlyList<FeatureRecord> records, CancellationToken cancellationToken = default)
    {
        Attempts.Add(records.Count);
        if (FailAttempt(Attempts.Count) is { } error)
        {
            throw error;
        }

        WrittenBatches.Add([.. records]);
        return _inner.WriteAsync(records, cancellationToken);
    }

    public ValueTask<FeatureRecord?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, FeatureRecord>> LookupAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        _inner.LookupAsync(keys, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    public static FeatureRecord Rec(int i) => new($"req-{i}", Instant.FromUtc(2026, 11, 23, 9, 0) + Duration.FromMilliseconds(i), Encoding.UTF8.GetBytes($"v{i}"));
}
