using System.Buffers;
using Cep.State;
using NodaTime;
using Xunit;

namespace Cep.Tests.State;

public sealed class StateSerializerTests
{
    private static T RoundTrip<T>(T value, int? expectedSize = null)
    {
        var serializer = StateSerializer.Default<T>();
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Write(buffer, value);
        if (expectedSize is { } size)
        {
            Assert.Equal(size, buffer.WrittenCount);
        }

        return serializer.Read(buffer.WrittenSpan);
    }

    [Fact]
    public void PrimitivesUseTheCompactBinaryPath()
    {
        Assert.Equal(-42, RoundTrip(-42, 4));
        Assert.Equal(long.MinValue, RoundTrip(long.MinValue, 8));
        Assert.Equal((short)-3, RoundTrip((short)-3, 2));
        Assert.Equal(uint.MaxValue, RoundTrip(uint.MaxValue, 4));
        Assert.Equal(ulong.MaxValue, RoundTrip(ulong.MaxValue, 8));
        Assert.Equal((ushort)7, RoundTrip((ushort)7, 2));
        Assert.Equal((byte)200, RoundTrip((byte)200, 1));
        Assert.Equal((sbyte)-5, RoundTrip((sbyte)-5, 1));
        Assert.True(RoundTrip(true, 1));
        Assert.Equal('é', RoundTrip('é', 2));
        Assert.Equal(Math.PI, RoundTrip(Math.PI, 8));
        Assert.Equal(1.5f, RoundTrip(1.5f, 4));
        Assert.Equal(-123.4567m, RoundTrip(-123.4567m, 16));
        var guid = Guid.NewGuid();
        Assert.Equal(guid, RoundTrip(guid, 16));
        Assert.Equal(TimeSpan.FromMinutes(3), RoundTrip(TimeSpan.FromMinutes(3), 8));
        var now = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(now, RoundTrip(now, 8));
        var offset = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(offset, RoundTrip(offset, 10));
        Assert.Equal(offset.Offset, RoundTrip(offset).Offset);
        var instant = Instant.FromUnixTimeTicks(123_456_789);
        Assert.Equal(instant, RoundTrip(instant, 8));
    }

    [Fact]
    public void StringsKeepNullAndEmptyApart()
    {
        Assert.Equal("user-ü", RoundTrip("user-ü"));
        Assert.Equal(string.Empty, RoundTrip(string.Empty, 1));
        Assert.Null(RoundTrip<string>(null!, 1));
    }

    [Fact]
    public void OtherTypesGoThroughJson()
    {
        var rec = new Rec("u1", 'a', 3, 1);
        Assert.Equal(rec, RoundTrip(rec));
        Assert.Equal([1, 2, 3], RoundTrip(new List<int> { 1, 2, 3 }));
        Assert.Same(StateSerializer.Default<Rec>(), StateSerializer.Default<Rec>());
    }

    public sealed record Timed(string Name, Instant At, Duration Took);

    [Fact]
    public void JsonKeepsValueTuplesAndNodaTimeValues()
    {
        Assert.Equal(("u1", 7), RoundTrip(("u1", 7)));
        var timed = new Timed("x", Instant.FromUnixTimeTicks(1_234_567), Duration.FromNanoseconds(1_500));
        Assert.Equal(timed, RoundTrip(timed));
    }

    [Fact]
    public void WrongSizedPrimitiveInputIsRejected()
    {
        Assert.Throws<FormatException>(() => StateSerializer.Default<int>().Read([1, 2, 3]));
        Assert.Throws<FormatException>(() => StateSerializer.Default<string>().Read([9]));
    }

    [Fact]
    public void SnapshotOptionsRejectNullSerializers()
    {
        var options = new SnapshotOptions<string, Rec>();
        Assert.Same(StateSerializer.Default<string>(), options.KeySerializer);
        Assert.Throws<ArgumentNullException>(() => options.KeySerializer = null!);
        Assert.Throws<ArgumentNullException>(() => options.EventSerializer = null!);
    }
}
