using System.Diagnostics.Metrics;
using Cep.Metrics;

namespace Cep.Tests.Harness;

/// <summary>Reads the current value of every instrument on the Cep meter for one operator name.</summary>
public static class MetricsCollector
{
    public static Dictionary<string, long> Collect(string operatorName)
    {
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CepMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cep.operator" && (string?)tag.Value == operatorName)
                {
                    values[instrument.Name] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}
