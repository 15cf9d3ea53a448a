using System.Buffers;
using System.Buffers.Binary;
using Cep.Joins.Interval;
using Cep.State;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.Interval.JoinTestSupport;

namespace Cep.Tests.Joins.Interval;

public sealed class IntervalJoinSnapshotTests
{
    [Fact]
    public void TimestampsBelowTheTickSurviveBufferingAndSnapshots()
    {
        var leftTime = Ms(1) + Duration.FromNanoseconds(37);
        var (op, output) = NewJoin(JoinBounds.Between(D(0), D(5)));
        op.OnLeft(L(1, id: 1), leftTime);
        var (restored, restoredOutput) = NewJoin(JoinBounds.Between(D(0), D(5)));
        restored.Restore(op.Snapshot());
        op.OnRight(R(2, id: 2), Ms(2));
        restored.OnRight(R(2, id: 2), Ms(2));
        Assert.Equal(leftTime, Assert.Single(output.Pairs).LeftTs);
        Assert.Equal(leftTime, Assert.Single(restoredOutput.Pairs).LeftTs);
        Assert.Equal([leftTime], restored.BufferedTimestamps(0, right: false));
    }

    [Fact]
    public void SnapshotsUseTheConfiguredSerializers()
    {
        var keys = new CountingIntSerializer();
        var records = new RecSerializer();
        var options = new IntervalJoinOptions<int, Rec, Rec> { KeySerializer = keys, LeftSerializer = records, RightSerializer = records, JoinType = IntervalJoinType.FullOuter };
        var first = new IntervalJoinOperator<int, Rec, Rec>(r => r.Key, r => r.Key, JoinBounds.Between(D(-2), D(2)), new JoinCollector<int>(), options);
        first.OnLeft(L(1, key: 4, id: 1), Ms(1));
        first.OnRight(R(1, key: 5, id: 2), Ms(1));
        first.OnRight(R(2, key: 4, id: 3), Ms(2));
        var bytes = first.Snapshot();
        Assert.Equal((2, 3), (keys.Writes, records.Writes));

        var output = new JoinCollector<int>();
        var second = new IntervalJoinOperator<int, Rec, Rec>(r => r.Key, r => r.Key, JoinBounds.Between(D(-2), D(2)), output, options);
        second.Restore(bytes);
        Assert.Equal((2, 3), (keys.Reads, records.Reads));
        Assert.Equal(first.Counters.ToString(), second.Counters.ToString());
        second.OnLeft(L(3, key: 5, id: 4), Ms(3));
        Finish(second);
        Assert.Equal(["4-2"], output.Pairs.Select(p => $"{p.Left.Id}-{p.Right.Id}"));
        Assert.Empty(output.UnmatchedLeft);
        Assert.Empty(output.UnmatchedRight);
        Assert.True(second.Counters.Balanced);
    }

    [Fact]
    public void ASnapshotOfAnotherOperatorKindIsRejected()
    {
        var (op, _) = NewJoin(JoinBounds.Between(D(0), D(1)));
        var cep = new Cep.Operators.CepOperator<int, int>(
            Cep.Patterns.Pattern.Begin<int>("a").Where(_ => true), x => x, new Cep.Tests.Harness.CollectingOutput<int, int>());
        Assert.Contains("not by a 'interval-join' operator", Assert.Throws<SnapshotFormatException>(() => op.Restore(cep.Snapshot())).Message);
    }

    private sealed class CountingIntSerializer : IStateSerializer<int>
    {
        public int Writes { get; private set; }

        public int Reads { get; private set; }

        public void Write(IBufferWriter<byte> destination, int value)
        {
            Writes++;
            BinaryPrimitives.WriteInt32LittleEndian(destination.GetSpan(4), value);
            destination.Advance(4);
        }

        public int Read(ReadOnlySpan<byte> source)
        {
            Reads++;
            return BinaryPrimitives.ReadInt32LittleEndian(source);
        }
    }

    private sealed class RecSerializer : IStateSerializer<Rec>
    {
        public int Writes { get; private set; }

        public int Reads { get; private set; }

        public void Write(IBufferWriter<byte> destination, Rec value)
        {
            Writes++;
            var span = destination.GetSpan(16);
            BinaryPrimitives.WriteInt32LittleEndian(span, value.Key);
            BinaryPrimitives.WriteInt64LittleEndian(span[4..], value.Ticks);
            BinaryPrimitives.WriteInt32LittleEndian(span[12..], value.Id);
            destination.Advance(16);
        }

        public Rec Read(ReadOnlySpan<byte> source)
        {
            Reads++;
            return new Rec(BinaryPrimitives.ReadInt32LittleEndian(source), BinaryPrimitives.ReadInt64LittleEndian(source[4..]), BinaryPrimitives.ReadInt32LittleEndian(source[12..]));
        }
    }
}
