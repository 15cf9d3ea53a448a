using FsCheck;
using FsCheck.Fluent;

namespace Cep.Tests.Generators;

/// <summary>
/// A pattern, an input in processing order, and a shuffle of it that stays within an out-of-orderness bound, with
/// a watermark after every <see cref="Every"/> records at (max timestamp seen - <see cref="BoundMs"/> - 1 tick).
/// </summary>
public sealed record DisorderCase(PatternSpec Pattern, IReadOnlyList<GenEvent> Sorted, IReadOnlyList<GenEvent> Shuffled, int BoundMs, int Every)
{
    public override string ToString() =>
        $"{Pattern}\n  bound {BoundMs} ms, watermark every {Every} records\n  sorted:   {string.Join(" ", Sorted.Select(e => e.Full))}\n  shuffled: {string.Join(" ", Shuffled.Select(e => e.Full))}";
}

/// <summary>Generators of <see cref="DisorderCase"/>s.</summary>
public static class DisorderGenerators
{
    public static Arbitrary<DisorderCase> Cases() =>
        Arb.From(Gen.Choose(0, int.MaxValue).Select(seed => NewCase(new Random(seed))), Shrink);

    public static DisorderCase NewCase(Random r)
    {
        var pattern = CepGenerators.NewPattern(r);
        if (r.Next(2) == 0)
        {
            pattern = pattern.WithSkip(CepGenerators.NewSkip(r, pattern));
        }

        var sorted = CepGenerators.ByKeyInProcessingOrder(CepGenerators.NewEvents(r)).SelectMany(g => g).OrderBy(e => e.Ts).ToList();
        var bound = r.Next(0, 4);
        var delays = sorted.ToDictionary(e => e.Id, _ => r.Next(0, bound + 1));
        return new DisorderCase(pattern, sorted, Shuffle(sorted, delays), bound, r.Next(1, 4));
    }

    /// <summary>
    /// Delays each record by up to the bound (arrival order = timestamp + delay), then puts records of one key with equal
    /// timestamps back in their original relative order, since that order is part of the input's meaning. No record
    /// becomes late: a record arrives after others only if their timestamp is at most the bound above its own, so the
    /// watermark (max seen - bound - 1 tick) stays below it.
    /// </summary>
    public static List<GenEvent> Shuffle(IReadOnlyList<GenEvent> sorted, IReadOnlyDictionary<int, int> delays)
    {
        var arrival = sorted.Select((e, i) => (e, i)).OrderBy(x => x.e.Ts + delays[x.e.Id]).ThenBy(x => x.i).Select(x => x.e).ToList();
        foreach (var group in sorted.GroupBy(e => (e.Key, e.Ts)))
        {
            var positions = arrival.Select((e, i) => (e, i)).Where(x => x.e.Key == group.Key.Key && x.e.Ts == group.Key.Ts).Select(x => x.i).ToList();
            var inOrder = group.ToList();
            for (var j = 0; j < positions.Count; j++)
            {
                arrival[positions[j]] = inOrder[j];
            }
        }

        return arrival;
    }

    public static IEnumerable<DisorderCase> Shrink(DisorderCase c)
    {
        foreach (var e in c.Sorted)
        {
            yield return c with { Sorted = c.Sorted.Where(x => x.Id != e.Id).ToList(), Shuffled = c.Shuffled.Where(x => x.Id != e.Id).ToList() };
        }

        if (c.Every > 1)
        {
            yield return c with { Every = 1 };
        }

        foreach (var smaller in CepGenerators.Shrink(new CepCase(c.Pattern, [])).Where(x => x.Pattern != c.Pattern))
        {
            yield return c with { Pattern = smaller.Pattern };
        }
    }
}
