using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Cep.Operators;

/// <summary>
/// Asks the processor to bring memory into the cache before it is read, so that the cache misses of records processed
/// one after the other overlap instead of coming one at a time. Only a hint: a no-op where the instruction is missing,
/// and harmless on any address (a prefetch never faults, and a stale address after the collector moved an object only
/// wastes the hint).
/// </summary>
internal static class CacheHints
{
    /// <summary>Prefetches <paramref name="lines"/> cache lines of an object's fields, from line <paramref name="firstLine"/> (64 bytes each) on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object? value, int lines = 1, int firstLine = 0)
    {
        if (!Sse.IsSupported || value is null)
        {
            return;
        }

        var address = AddressOf(value) + sizeof(nint); // past the method table pointer
        for (var i = firstLine; i < firstLine + lines; i++)
        {
            Sse.Prefetch0(address + (i * 64));
        }
    }

    /// <summary>Prefetches the cache lines that hold elements <c>[0, count)</c> of <paramref name="array"/>, at most <paramref name="maxLines"/> of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Elements<TElement>(TElement[] array, int count, int maxLines)
    {
        if (!Sse.IsSupported || count <= 0 || array is null)
        {
            return;
        }

        var address = AddressOf(array) + (2 * sizeof(nint)); // past the method table pointer and the length
        var bytes = Math.Min(count * Unsafe.SizeOf<TElement>(), maxLines * 64);
        for (var offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(address + offset);
        }
    }

    /// <summary>Prefetches element <paramref name="index"/> of <paramref name="array"/> (unchecked: the index must be in range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Element<TElement>(TElement[] array, int index)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        Sse.Prefetch0(AddressOf(array) + (2 * sizeof(nint)) + ((nint)index * Unsafe.SizeOf<TElement>()));
    }

    /// <summary>
    /// Gets the address an object reference holds, without reading the object: a read would wait for the very cache
    /// miss the prefetch is meant to hide.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe byte* AddressOf(object value) => *(byte**)Unsafe.AsPointer(ref value);
}
