using FASTER.core;

namespace Cep.Connectors.Faster;

/// <summary>
/// The FASTER callbacks of the feature store. Reads copy the stored value out to a byte array. A write is a
/// read-modify-write whose input is the encoded value: it replaces the stored value unless that value has a strictly
/// later event time, so "newest event time wins" holds atomically inside FASTER, without locks of our own. On equal
/// event times the later write wins.
/// </summary>
/// <remarks>
/// <para>Updates copy the input's bytes over the front of the destination and never change the destination's
/// recorded length: the value carries its own used length (<see cref="FeatureValueCodec"/>). An in-place update that
/// does not fit returns false and FASTER copies the record to the tail instead, sizing it as the larger of the old and
/// new values.</para>
/// <para>The context of an operation is the index of its key in the caller's batch, so operations that complete later
/// (pending on disk reads) can be matched back to their keys.</para>
/// </remarks>
internal sealed class FeatureFunctions : SpanByteFunctions_ByteArrayOutput<int>
{
    /// <summary>The one instance; it holds no state.</summary>
    public static readonly FeatureFunctions Instance = new();

    private FeatureFunctions()
    {
    }

    /// <inheritdoc/>
    public override bool InitialUpdater(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref byte[] output, ref RMWInfo rmwInfo) =>
        CopyInput(ref input, ref value);

    /// <inheritdoc/>
    public override bool NeedCopyUpdate(ref SpanByte key, ref SpanByte input, ref SpanByte oldValue, ref byte[] output, ref RMWInfo rmwInfo) =>
        !StoredIsNewer(ref input, ref oldValue);

    /// <inheritdoc/>
    public override bool CopyUpdater(ref SpanByte key, ref SpanByte input, ref SpanByte oldValue, ref SpanByte newValue, ref byte[] output, ref RMWInfo rmwInfo) =>
        StoredIsNewer(ref input, ref oldValue) ? CopyInput(ref oldValue, ref newValue) : CopyInput(ref input, ref newValue);

    /// <inheritdoc/>
    public override bool InPlaceUpdater(ref SpanByte key, ref SpanByte input, ref SpanByte value, ref byte[] output, ref RMWInfo rmwInfo) =>
        StoredIsNewer(ref input, ref value) || CopyInput(ref input, ref value);

    private static bool StoredIsNewer(ref SpanByte input, ref SpanByte stored) =>
        FeatureValueCodec.EventTicks(stored.AsReadOnlySpan()) > FeatureValueCodec.EventTicks(input.AsReadOnlySpan());

    private static bool CopyInput(ref SpanByte source, ref SpanByte destination)
    {
        var used = source.AsReadOnlySpan()[..FeatureValueCodec.UsedLength(source.AsReadOnlySpan())];
        var target = destination.AsSpan();
        if (target.Length < used.Length)
        {
            return false;
        }

        used.CopyTo(target);
        return true;
    }
}
