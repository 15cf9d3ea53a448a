using System.Buffers.Binary;
using Cep.Operators;
using Cep.Patterns;
using Cep.State;
using Cep.Tests.Harness;
using NodaTime;
using Xunit;
using static Cep.Tests.State.SnapshotTestSupport;

namespace Cep.Tests.State;

public sealed class SnapshotFormatErrorTests
{
    private static Pattern<Rec> Pairs() =>
        Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a').FollowedBy("b").Where(e => e.Kind == 'b').Within(Duration.FromMilliseconds(50));

    private static CepOperator<string, Rec> Fresh() => NewOperator(Pairs(), new CollectingOutput<string, Rec>());

    /// <summary>A snapshot with partial matches, buffered records and timers.</summary>
    private static byte[] Busy()
    {
        var op = Fresh();
        op.OnRecord(new Rec("u1", 'a', 1, 0), T(10));
        op.OnRecord(new Rec("u2", 'a', 2, 0), T(12));
        op.OnWatermark(T(12));
        op.OnRecord(new Rec("u1", 'b', 3, 0), T(40));
        return op.Snapshot();
    }

    /// <summary>Recomputes the trailing checksum so that a deliberately corrupted payload reaches the parser.</summary>
    private static byte[] Reseal(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), SnapshotFormat.Checksum(bytes.AsSpan(0, bytes.Length - 8)));
        return bytes;
    }

    [Fact]
    public void SnapshotStartsWithMagicAndVersion()
    {
        var bytes = Busy();
        Assert.Equal("CEPS"u8.ToArray(), bytes[..4]);
        Assert.Equal(SnapshotFormat.Version, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(bytes.Length, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void VersionMismatchSaysWhichVersionWasFoundAndWhichIsExpected()
    {
        var bytes = Busy();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 7);
        var error = Assert.Throws<SnapshotFormatException>(() => Fresh().Restore(bytes));
        Assert.Contains("version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {SnapshotFormat.Version}", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Offset);
    }

    [Fact]
    public void TruncatedInputSaysHowManyBytesAreMissing()
    {
        var bytes = Busy();
        var error = Assert.Throws<SnapshotFormatException>(() => Fresh().Restore(bytes.AsSpan(0, bytes.Length - 5)));
        Assert.Contains("Truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains($"declares {bytes.Length} bytes, only {bytes.Length - 5}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationIsReportedAsAFormatErrorAndLeavesTheOperatorFresh()
    {
        var bytes = Busy();
        var op = Fresh();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SnapshotFormatException>(() => op.Restore(bytes.AsSpan(0, length)));
        }

        op.Restore(bytes);
        Assert.Equal(bytes, op.Snapshot());
    }

    [Fact]
    public void NotASnapshotIsReported()
    {
        var error = Assert.Throws<SnapshotFormatException>(() => Fresh().Restore("{\"hello\": 1}"u8));
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlippedBitFailsTheChecksum()
    {
        var bytes = Busy();
        bytes[bytes.Length / 2] ^= 0x10;
        var error = Assert.Throws<SnapshotFormatException>(() => Fresh().Restore(bytes));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADifferentPatternIsReportedWithBothFingerprints()
    {
        var bytes = Busy();
        var other = Pattern.Begin<Rec>("a").Where(e => e.Kind == 'a').FollowedBy("c").Where(e => e.Kind == 'c').Within(Duration.FromMilliseconds(50));
        var error = Assert.Throws<SnapshotFormatException>(() => NewOperator(other, new CollectingOutput<string, Rec>()).Restore(bytes));
        Assert.Contains("different pattern", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RestoreNeedsAFreshOperator()
    {
        var bytes = Busy();
        var used = Fresh();
        used.OnRecord(new Rec("u1", 'a', 1, 0), T(10));
        Assert.Throws<InvalidOperationException>(() => used.Restore(bytes));

        var watermarked = Fresh();
        watermarked.OnWatermark(T(1));
        Assert.Throws<InvalidOperationException>(() => watermarked.Restore(bytes));

        var restored = Fresh();
        restored.Restore(bytes);
        Assert.Throws<InvalidOperationException>(() => restored.Restore(bytes));
    }

    [Fact]
    public void CorruptPayloadsWithAValidChecksumAreFormatErrorsOrRestoreCleanly()
    {
        var bytes = Busy();
        var random = new Random(12345);
        for (var i = 0; i < 2000; i++)
        {
            var copy = (byte[])bytes.Clone();
            var at = random.Next(SnapshotFormat.HeaderSize, copy.Length - 8);
            copy[at] = (byte)random.Next(256);
            Reseal(copy);
            try
            {
                Fresh().Restore(copy);
            }
            catch (SnapshotFormatException)
            {
            }
        }
    }

    [Fact]
    public void AFailingEventSerializerIsReportedWithTheOffsetOfTheValue()
    {
        var bytes = Busy();
        var options = new SnapshotOptions<string, Rec> { EventSerializer = new FailingReader() };
        var op = new CepOperator<string, Rec>(Pairs(), r => r.Key, new CollectingOutput<string, Rec>(), null, options);
        var error = Assert.Throws<SnapshotFormatException>(() => op.Restore(bytes));
        Assert.Contains("event serializer", error.Message, StringComparison.Ordinal);
        Assert.True(error.Offset > SnapshotFormat.HeaderSize);
        Assert.IsType<FormatException>(error.InnerException);
    }

    private sealed class FailingReader : IStateSerializer<Rec>
    {
        public void Write(System.Buffers.IBufferWriter<byte> destination, Rec value) => StateSerializer.Default<Rec>().Write(destination, value);

        public Rec Read(ReadOnlySpan<byte> source) => throw new FormatException("no");
    }
}
