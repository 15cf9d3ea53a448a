using System.Numerics;

namespace Cep.Nfa;

/// <summary>
/// The arrays that the partial matches of a key spill to once they no longer fit inline, shared by all the keys of one
/// runtime: a key takes one when it spills and gives it back when its partial matches fit inline again. So the memory
/// held follows the number of keys spilled at a time, not the number of keys that ever spilled, and an array handed out
/// was most likely used a moment ago, by another key, and is still in the cache.
/// </summary>
/// <remarks>Arrays come in powers of two from <see cref="MinLength"/> up; each size keeps a bounded number of spare arrays. Not thread-safe.</remarks>
internal sealed class PartialArrayPool
{
    /// <summary>The length of the smallest array handed out.</summary>
    public const int MinLength = 16;

    /// <summary>Spare arrays kept per size, at most this many partial matches' worth of each (about 2 MB).</summary>
    private const int MaxSpareElementsPerSize = 64 * 1024;

    private readonly Stack<PartialMatch[]>[] _spares = new Stack<PartialMatch[]>[32];

    /// <summary>Gets an array of at least <paramref name="count"/> elements (of which none is live).</summary>
    public PartialMatch[] Rent(int count)
    {
        var size = SizeClass(count);
        var spares = _spares[size];
        return spares is not null && spares.TryPop(out var array) ? array : new PartialMatch[MinLength << size];
    }

    /// <summary>Takes back an array that <see cref="Rent"/> handed out; its contents are left as they are (plain values).</summary>
    public void Return(PartialMatch[] array)
    {
        var size = SizeClass(array.Length);
        if ((MinLength << size) != array.Length)
        {
            return; // not one of ours: let the collector have it
        }

        var spares = _spares[size] ??= new Stack<PartialMatch[]>();
        if ((spares.Count + 1) * (long)array.Length <= MaxSpareElementsPerSize)
        {
            spares.Push(array);
        }
    }

    private static int SizeClass(int count) =>
        count <= MinLength ? 0 : BitOperations.Log2((uint)(count - 1)) + 1 - BitOperations.Log2(MinLength);
}
