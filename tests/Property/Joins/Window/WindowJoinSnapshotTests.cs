using System.Buffers;
using System.Text;
using Cep.Joins.Window;
using Cep.State;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.Window;

public sealed class WindowJoinSnapshotTests
{
    /// <summary>A serializer that writes strings reversed, to show the operator uses the one it is given.</summary>
    private sealed class ReversingSerializer : IStateSerializer<string>
    {
        public int Writes { get; private set; }

        public void Write(IBufferWriter<byte> destination, string value)
        {
            Writes++;
            destination.Write(Encoding.UTF8.GetBytes(new string([.. value.Reverse()])));
        }

        public string Read(ReadOnlySpan<byte> source) => new([.. Encoding.UTF8.GetString(source).Reverse()]);
    }

    private static Instant Ms(long ms) => Instant.FromUnixTimeMilliseconds(ms);

    private static WindowJoinOperator<string, string, string> Create(JoinCollector<string, string, string> output, WindowAssigner? assigner = null, WindowJoinOptions<string, string, string>? options = null) =>
        new(assigner ?? WindowAssigner.Session(Duration.FromMilliseconds(5)), s => s[..1], s => s[..1], output, options);

    [Fact]
    public void RestoredOperatorContinuesWithFiredWindowsAndCustomSerializers()
    {
        var serializer = new ReversingSerializer();
        var options = new WindowJoinOptions<string, string, string> { AllowedLateness = Duration.FromMilliseconds(50), LeftSerializer = serializer };
        var first = new JoinCollector<string, string, string>();
        var op = Create(first, options: options);
        op.OnLeft("a-l0", Ms(0));
        op.OnRight("a-r1", Ms(1));
        op.OnLeft("a-l8", Ms(8));
        op.OnRight("a-r9", Ms(9));
        op.OnWatermark(Ms(20));
        var bytes = op.Snapshot();
        Assert.True(serializer.Writes >= 2);

        var second = new JoinCollector<string, string, string>();
        var restored = Create(second, options: options);
        restored.Restore(bytes);
        Assert.Equal(bytes, restored.Snapshot());
        Assert.Equal(op.Counters.ToString(), restored.Counters.ToString());
        restored.OnRight("a-r4", Ms(4)); // merges the two fired sessions: only the new pairs
        restored.OnWatermark(Instant.MaxValue);
        Assert.Equal(["a-l0:a-r4", "a-l0:a-r9", "a-l8:a-r1", "a-l8:a-r4"], second.Pairs.Select(p => $"{p.Left}:{p.Right}").Order(StringComparer.Ordinal));
        Assert.Equal(0, restored.Counters.Keys);
        Assert.True(restored.Counters.Balanced);
    }

    [Fact]
    public void RestoreChecksFreshnessSettingsAndBytes()
    {
        var op = Create(new());
        op.OnLeft("a", Ms(1));
        var bytes = op.Snapshot();

        Assert.Throws<InvalidOperationException>(() => op.Restore(bytes));
        var watermarked = Create(new());
        watermarked.OnRightWatermark(Ms(1)); // one input's watermark is enough to make it not fresh
        Assert.Throws<InvalidOperationException>(() => watermarked.Restore(bytes));
        var other = Assert.Throws<SnapshotFormatException>(() => Create(new(), WindowAssigner.Session(Duration.FromMilliseconds(6))).Restore(bytes));
        Assert.Contains("session(60000)", other.Message, StringComparison.Ordinal);
        Assert.Throws<SnapshotFormatException>(() => Create(new(), options: new() { Mode = WindowJoinMode.CoGroup }).Restore(bytes));
        Assert.Throws<SnapshotFormatException>(() => Create(new()).Restore(bytes.AsSpan(0, 20)));
        var corrupt = (byte[])bytes.Clone();
        corrupt[^12] ^= 0xFF;
        Assert.Throws<SnapshotFormatException>(() => Create(new()).Restore(corrupt));
        Assert.Throws<SnapshotFormatException>(() => Create(new()).Restore("CEPS"u8));
    }
}
