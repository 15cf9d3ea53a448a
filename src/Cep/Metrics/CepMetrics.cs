using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cep.Operators;

namespace Cep.Metrics;

/// <summary>
/// Publishes the counters of operators through <see cref="System.Diagnostics.Metrics"/>, on the meter named
/// <see cref="MeterName"/>, each measurement tagged with <c>cep.operator</c> = the name given to <see cref="Track"/>.
/// </summary>
/// <remarks>
/// Instruments (counters are cumulative; gauges are current values as of the operator's last watermark or record):
/// <list type="bullet">
/// <item><c>cep.records.in</c>, <c>cep.records.processed</c>, <c>cep.records.late</c>, <c>cep.records.failed</c>, <c>cep.matches</c>, <c>cep.timeouts</c> (observable counters);</item>
/// <item><c>cep.records.buffered</c>, <c>cep.partial_matches</c>, <c>cep.shared_buffer.events</c>, <c>cep.shared_buffer.entries</c>, <c>cep.keys</c> (observable gauges).</item>
/// </list>
/// They balance: <c>in = processed + late + failed + buffered</c>.
/// </remarks>
/// <threadsafety>Thread-safe.</threadsafety>
public static class CepMetrics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "Cep";

    private static readonly ConcurrentDictionary<Registration, byte> Registrations = new();
    private static readonly ConcurrentDictionary<GenericRegistration, byte> GenericRegistrations = new();
    private static readonly ConcurrentDictionary<string, byte> Instruments = new(StringComparer.Ordinal);
    private static readonly Meter Meter = CreateMeter();

    /// <summary>Starts publishing <paramref name="counters"/> under <paramref name="operatorName"/> until the result is disposed.</summary>
    /// <param name="counters">The counters of an operator (<see cref="CepOperator{TKey, T}.Counters"/>).</param>
    /// <param name="operatorName">The value of the <c>cep.operator</c> tag.</param>
    /// <returns>A handle that stops publishing when disposed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IDisposable Track(CepCounters counters, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(operatorName);
        _ = Meter;
        var registration = new Registration(counters, new KeyValuePair<string, object?>("cep.operator", operatorName));
        Registrations.TryAdd(registration, 0);
        return registration;
    }

    /// <summary>
    /// Starts publishing the counters of any other operator (a join, a co-process operator, ...) until the result is
    /// disposed: every public <see cref="long"/> property of <paramref name="counters"/> becomes an observable gauge named
    /// <c>cep.&lt;operator kind&gt;.&lt;property in snake case&gt;</c>, where the kind is the counters type's name without
    /// "Counters" (for example <c>cep.interval_join.left_in</c>), tagged with <c>cep.operator</c>.
    /// </summary>
    /// <param name="counters">The counters object of an operator.</param>
    /// <param name="operatorName">The value of the <c>cep.operator</c> tag.</param>
    /// <returns>A handle that stops publishing when disposed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="counters"/> has no public <see cref="long"/> property.</exception>
    public static IDisposable TrackCounters(object counters, string operatorName)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(operatorName);
        if (counters is CepCounters cep)
        {
            return Track(cep, operatorName);
        }

        var type = counters.GetType();
        var kind = SnakeCase(type.Name.EndsWith("Counters", StringComparison.Ordinal) ? type.Name[..^"Counters".Length] : type.Name);
        var readers = new Dictionary<string, Func<long>>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.PropertyType != typeof(long) || property.GetMethod is not { IsPublic: true } getter || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = $"cep.{kind}.{SnakeCase(property.Name)}";
            readers[name] = getter.CreateDelegate<Func<long>>(counters);
            if (Instruments.TryAdd(name, 0))
            {
                Meter.CreateObservableGauge(name, () => MeasureGeneric(name), null, $"{property.Name} of {type.Name}.");
            }
        }

        if (readers.Count == 0)
        {
            throw new ArgumentException($"{type.Name} has no public long property to publish.", nameof(counters));
        }

        var registration = new GenericRegistration(readers, new KeyValuePair<string, object?>("cep.operator", operatorName));
        GenericRegistrations.TryAdd(registration, 0);
        return registration;
    }

    private static IEnumerable<Measurement<long>> MeasureGeneric(string instrument)
    {
        foreach (var registration in GenericRegistrations.Keys)
        {
            if (registration.Readers.TryGetValue(instrument, out var read))
            {
                yield return new Measurement<long>(read(), registration.Tag);
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static Meter CreateMeter()
    {
        var meter = new Meter(MeterName);
        meter.CreateObservableCounter("cep.records.in", () => Measure(c => c.RecordsIn), "{record}", "Records given to the operator.");
        meter.CreateObservableCounter("cep.records.processed", () => Measure(c => c.RecordsProcessed), "{record}", "Records fed to the automaton.");
        meter.CreateObservableCounter("cep.records.late", () => Measure(c => c.RecordsLate), "{record}", "Records at or below the watermark, sent to the late output.");
        meter.CreateObservableCounter("cep.records.failed", () => Measure(c => c.RecordsFailed), "{record}", "Records a user function threw for, sent to the error output.");
        meter.CreateObservableCounter("cep.matches", () => Measure(c => c.Matches), "{match}", "Matches emitted.");
        meter.CreateObservableCounter("cep.timeouts", () => Measure(c => c.Timeouts), "{match}", "Timed-out partial matches emitted.");
        meter.CreateObservableGauge("cep.records.buffered", () => Measure(c => c.RecordsBuffered), "{record}", "Records waiting for the watermark.");
        meter.CreateObservableGauge("cep.partial_matches", () => Measure(c => c.PartialMatches), "{match}", "Partial matches alive.");
        meter.CreateObservableGauge("cep.shared_buffer.events", () => Measure(c => c.SharedBufferEvents), "{event}", "Events held by the shared buffer.");
        meter.CreateObservableGauge("cep.shared_buffer.entries", () => Measure(c => c.SharedBufferEntries), "{entry}", "Shared-buffer entries (event under stage).");
        meter.CreateObservableGauge("cep.keys", () => Measure(c => c.Keys), "{key}", "Keys with live state.");
        return meter;
    }

    private static IEnumerable<Measurement<long>> Measure(Func<CepCounters, long> read)
    {
        foreach (var registration in Registrations.Keys)
        {
            yield return new Measurement<long>(read(registration.Counters), registration.Tag);
        }
    }

    private sealed class Registration(CepCounters counters, KeyValuePair<string, object?> tag) : IDisposable
    {
        public CepCounters Counters { get; } = counters;

        public KeyValuePair<string, object?> Tag { get; } = tag;

        public void Dispose() => Registrations.TryRemove(this, out _);
    }

    private sealed class GenericRegistration(Dictionary<string, Func<long>> readers, KeyValuePair<string, object?> tag) : IDisposable
    {
        public Dictionary<string, Func<long>> Readers { get; } = readers;

        public KeyValuePair<string, object?> Tag { get; } = tag;

        public void Dispose() => GenericRegistrations.TryRemove(this, out _);
    }
}
