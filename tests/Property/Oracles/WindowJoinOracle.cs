namespace Cep.Tests.Oracles;

/// <summary>
/// A reference for window joins, in ticks, written for clarity rather than speed: it works out which records
/// each window of each key holds once all input has been seen, and pairs them with a nested loop.
/// </summary>
/// <remarks>
/// A record is put into a window only if the window is still kept when it arrives: its maximum timestamp (end − 1) plus
/// the allowed lateness is after the watermark at that moment (the minimum over both inputs of each input's largest watermark so far). Tumbling
/// and sliding windows are enumerated from their definition; sessions are grown by merging with every live session the
/// record's <c>[ts, ts + gap)</c> overlaps, and a session is retired once the watermark reaches its end − 1 plus the lateness.
/// </remarks>
public static class WindowJoinOracle
{
    /// <summary>The window shapes.</summary>
    public enum Shape
    {
        Tumbling,
        Sliding,
        Session,
    }

    /// <summary>
    /// One input step: a record (Side 0 = left, 1 = right); or a watermark (Side 0, 1, or 2 for both); or, when
    /// <paramref name="Idle"/> is 1 or 2, marking input Side (0 or 1) idle or active again.
    /// </summary>
    public readonly record struct Step(bool IsRecord, int Side, int Key, long Ticks, int Id, int Idle = 0);

    /// <summary>A window of one key with the ids of the records it holds, in arrival order.</summary>
    public sealed record Window(int Key, long Start, long End, List<int> Left, List<int> Right);

    /// <summary>The windows of every key after the input, and the ids of the records no window took.</summary>
    public static (List<Window> Windows, List<(int Side, int Id)> Rejected) Run(
        Shape shape, long size, long slideOrOffset, long lateness, IEnumerable<Step> steps)
    {
        var wm = new[] { long.MinValue, long.MinValue };
        var idle = new[] { false, false };
        var watermark = long.MinValue;
        long W() => watermark;
        var live = new List<Window>();
        var done = new List<Window>();
        var rejected = new List<(int, int)>();

        void Retire()
        {
            foreach (var w in live.Where(w => W() != long.MinValue && w.End - 1 + lateness <= W()).ToList())
            {
                live.Remove(w);
                done.Add(w);
            }
        }

        foreach (var step in steps)
        {
            if (!step.IsRecord)
            {
                if (step.Idle != 0)
                {
                    idle[step.Side] = step.Idle == 1;
                }
                else
                {
                    if (step.Side != 1)
                    {
                        wm[0] = Math.Max(wm[0], step.Ticks);
                    }

                    if (step.Side != 0)
                    {
                        wm[1] = Math.Max(wm[1], step.Ticks);
                    }
                }

                // The watermark: the largest value the minimum over the active inputs has reached.
                var active = Enumerable.Range(0, 2).Where(i => !idle[i]).Select(i => wm[i]).ToList();
                if (active.Count > 0)
                {
                    watermark = Math.Max(watermark, active.Min());
                }

                if (step.Idle == 0 && step.Side == 2)
                {
                    watermark = Math.Max(watermark, step.Ticks); // both inputs promised it, idle or not
                }

                Retire();
                continue;
            }

            bool Kept(long end) => W() == long.MinValue || end - 1 + lateness > W();
            var targets = new List<Window>();
            if (shape == Shape.Session)
            {
                var overlapping = live.Where(w => w.Key == step.Key && w.Start < step.Ticks + size && step.Ticks < w.End).ToList();
                if (overlapping.Count == 0 && !Kept(step.Ticks + size))
                {
                    rejected.Add((step.Side, step.Id));
                    continue;
                }

                var merged = new Window(step.Key, Math.Min(step.Ticks, overlapping.Select(w => w.Start).DefaultIfEmpty(long.MaxValue).Min()),
                    Math.Max(step.Ticks + size, overlapping.Select(w => w.End).DefaultIfEmpty(long.MinValue).Max()), [], []);
                foreach (var w in overlapping)
                {
                    merged.Left.AddRange(w.Left);
                    merged.Right.AddRange(w.Right);
                    live.Remove(w);
                }

                live.Add(merged);
                targets.Add(merged);
            }
            else
            {
                foreach (var (start, end) in Windows(shape, size, slideOrOffset, step.Ticks).Where(w => Kept(w.End)))
                {
                    var w = live.FirstOrDefault(x => x.Key == step.Key && x.Start == start);
                    if (w is null)
                    {
                        w = new Window(step.Key, start, end, [], []);
                        live.Add(w);
                    }

                    targets.Add(w);
                }

                if (targets.Count == 0)
                {
                    rejected.Add((step.Side, step.Id));
                    continue;
                }
            }

            foreach (var w in targets)
            {
                (step.Side == 0 ? w.Left : w.Right).Add(step.Id);
            }
        }

        done.AddRange(live);
        return (done, rejected);
    }

    /// <summary>The windows containing <paramref name="ticks"/>: tumbling (size, offset) or sliding (size, slide), from their definition.</summary>
    public static IEnumerable<(long Start, long End)> Windows(Shape shape, long size, long slideOrOffset, long ticks)
    {
        if (shape == Shape.Tumbling)
        {
            var k = (long)Math.Floor((ticks - slideOrOffset) / (double)size);
            yield return (slideOrOffset + (k * size), slideOrOffset + ((k + 1) * size));
            yield break;
        }

        for (var start = ticks - size + 1; start <= ticks; start++)
        {
            if (((start % slideOrOffset) + slideOrOffset) % slideOrOffset == 0)
            {
                yield return (start, start + size);
            }
        }
    }

    /// <summary>Every (left, right) pair of every window, as "k{key} [start,end) left:right" (window omitted if asked).</summary>
    public static List<string> Pairs(IEnumerable<Window> windows, bool withWindow = true) =>
        windows.SelectMany(w => w.Left.SelectMany(l => w.Right.Select(r => withWindow ? $"k{w.Key} [{w.Start},{w.End}) {l}:{r}" : $"k{w.Key} {l}:{r}")))
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
}
