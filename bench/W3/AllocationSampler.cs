using System.Diagnostics.Tracing;
using System.Globalization;

namespace Cep.Bench.W3;

/// <summary>
/// Samples the runtime's allocation ticks (one event per about 100 KB allocated, naming the type of the object that
/// crossed the mark) while it is enabled: which types the allocated bytes go to, in proportion, on every thread.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const long GcKeyword = 0x1;
    private readonly Dictionary<string, long> _bytesByType = [];
    private volatile bool _on;

    public void Start() => _on = true;

    public void Stop() => _on = false;

    /// <summary>The sampled types, most bytes first, with their share of the sampled bytes.</summary>
    public IEnumerable<string> Report(int top)
    {
        lock (_bytesByType)
        {
            var total = Math.Max(1, _bytesByType.Values.Sum());
            return _bytesByType.OrderByDescending(p => p.Value).Take(top)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{100.0 * p.Value / total,6:F1}%  {p.Key}"))
                .ToList();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_on || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a], CultureInfo.InvariantCulture) : 0;
        lock (_bytesByType)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
