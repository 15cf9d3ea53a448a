using Cep.Nfa;
using Cep.Operators;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cep.Tests.Operators;

/// <summary>
/// The operator's key table against a dictionary from key to slot as the oracle: any sequence of adds (at free or new
/// slots, the way the operator picks them) and removals leaves every key findable at its slot and no removed key findable.
/// </summary>
public sealed class KeyTableTests
{
    /// <summary>One step: add the key if absent, remove it if present. Keys collide often (a small range, and strings).</summary>
    private static readonly Arbitrary<(int Key, bool AsString)[]> Steps =
        Gen.Choose(0, 600).Zip(Gen.Elements(false, true)).ArrayOf().ToArbitrary();

    [Fact]
    public void AddsAndRemovesFindEveryKeyAtItsSlotAsADictionaryDoes() =>
        PropertyRunner.Check(Steps, steps =>
        {
            Run(steps.Where(s => !s.AsString).Select(s => s.Key).ToArray(), key => key);
            Run(steps.Where(s => s.AsString).Select(s => s.Key).ToArray(), key => $"user-{key * 1024}");
        }, byDefault: 200);

    [Fact]
    public void GrowsPastManyRehashesWithKeysThatShareLowBits()
    {
        var keys = Enumerable.Range(0, 20_000).Select(i => i * 4096).ToArray();
        Run([.. keys, .. keys.Where(k => k % 3 == 0), .. keys.Take(5_000)], key => key);
    }

    private static void Run<TKey>(int[] steps, Func<int, TKey> keyOf)
        where TKey : notnull
    {
        var table = new KeyTable<TKey>();
        var oracle = new Dictionary<TKey, int>();
        var free = new Stack<int>();
        foreach (var step in steps)
        {
            var key = keyOf(step);
            if (oracle.Remove(key, out var slot))
            {
                Assert.Equal(slot, table.Find(key));
                table.Remove(slot);
                free.Push(slot);
                Assert.Equal(-1, table.Find(key));
                Assert.Null(table[slot].State);
            }
            else
            {
                Assert.Equal(-1, table.Find(key));
                slot = free.Count > 0 ? free.Pop() : table.Count;
                table.Add(key, slot, new KeyState<TKey>(key, slot), buffered: 0);
                oracle.Add(key, slot);
            }

            Assert.Equal(oracle.Count, table.KeyCount);
        }

        foreach (var (key, slot) in oracle)
        {
            Assert.Equal(slot, table.Find(key));
            Assert.Equal(key, table[slot].Key);
            Assert.Equal(key, table[slot].State!.Key);
        }
    }
}
