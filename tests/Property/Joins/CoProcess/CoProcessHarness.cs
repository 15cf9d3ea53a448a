using Cep.Joins.CoProcess;
using NodaTime;

namespace Cep.Tests.Joins.CoProcess;

/// <summary>A record of either test input: a key and a name.</summary>
public sealed record Rec(string Key, string Name);

/// <summary>Collects everything an operator produces as readable lines, in order.</summary>
public sealed class CollectingCoOutput<TKey, T1, T2, TOut> : ICoProcessOutput<TKey, T1, T2, TOut>
{
    public List<string> Lines { get; } = [];

    public List<(TKey Key, TOut Value, Instant Timestamp)> Outputs { get; } = [];

    public List<Exception> Errors { get; } = [];

    public List<string> Late { get; } = [];

    public List<T1> LateRecords1 { get; } = [];

    public List<T2> LateRecords2 { get; } = [];

    public void OnOutput(TKey key, TOut value, Instant timestamp)
    {
        Outputs.Add((key, value, timestamp));
        Lines.Add($"out {key} {value} @{Ms(timestamp)}");
    }

    public void OnSideOutput(string tag, TKey key, TOut value, Instant timestamp) => Lines.Add($"side[{tag}] {key} {value} @{Ms(timestamp)}");

    public void OnLate1(TKey key, T1 value, Instant timestamp, Instant watermark)
    {
        LateRecords1.Add(value);
        AddLate($"late1 {key} {value} @{Ms(timestamp)} wm={Ms(watermark)}");
    }

    public void OnLate2(TKey key, T2 value, Instant timestamp, Instant watermark)
    {
        LateRecords2.Add(value);
        AddLate($"late2 {key} {value} @{Ms(timestamp)} wm={Ms(watermark)}");
    }

    public void OnError1(TKey? key, T1 value, Instant timestamp, Exception error) => AddError(error, $"error1 {key} {value} @{Ms(timestamp)}: {error.Message}");

    public void OnError2(TKey? key, T2 value, Instant timestamp, Exception error) => AddError(error, $"error2 {key} {value} @{Ms(timestamp)}: {error.Message}");

    public void OnTimerError(TKey key, Instant time, TimeDomain domain, Exception error) => AddError(error, $"timer-error {key} {domain} @{Ms(time)}: {error.Message}");

    public static string Ms(Instant t) => t == Instant.MinValue ? "min" : t == Instant.MaxValue ? "max" : t.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void AddLate(string line)
    {
        Late.Add(line);
        Lines.Add(line);
    }

    private void AddError(Exception error, string line)
    {
        Errors.Add(error);
        Lines.Add(line);
    }
}

/// <summary>A function assembled from delegates, for tests.</summary>
public sealed class LambdaFunction : KeyedCoProcessFunction<string, Rec, Rec, string>
{
    public Action<IKeyedStateRegistry>? OnOpen { get; init; }

    public Action<Rec, ICoProcessContext<string, string>>? First { get; init; }

    public Action<Rec, ICoProcessContext<string, string>>? Second { get; init; }

    public Action<Instant, ICoProcessContext<string, string>>? Timer { get; init; }

    public override void Open(IKeyedStateRegistry state) => OnOpen?.Invoke(state);

    public override void ProcessElement1(Rec value, ICoProcessContext<string, string> context) => First?.Invoke(value, context);

    public override void ProcessElement2(Rec value, ICoProcessContext<string, string> context) => Second?.Invoke(value, context);

    public override void OnTimer(Instant timestamp, ICoProcessContext<string, string> context) => Timer?.Invoke(timestamp, context);
}

public static class Co
{
    public static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    public static KeyedCoProcessOperator<string, Rec, Rec, string> Operator(
        LambdaFunction function, out CollectingCoOutput<string, Rec, Rec, string> output, KeyedCoProcessOptions<string>? options = null)
    {
        output = new CollectingCoOutput<string, Rec, Rec, string>();
        return new KeyedCoProcessOperator<string, Rec, Rec, string>(r => r.Key, r => r.Key, function, output, options);
    }

    /// <summary>Advances both inputs' watermarks.</summary>
    public static void Watermark(this KeyedCoProcessOperator<string, Rec, Rec, string> op, long ms)
    {
        op.OnWatermark1(Ms(ms));
        op.OnWatermark2(Ms(ms));
    }
}
