namespace Cep.Tests.Oracles;

/// <summary>
/// A reference for multi-stream joins over tumbling windows, in ticks: a plain simulation over a list of open windows,
/// rescanned at every step, without timers or indexes.
/// </summary>
/// <remarks>
/// The watermark is the largest value reached so far by the minimum, over the inputs not marked idle, of each input's
/// largest watermark. A record whose window's
/// maximum timestamp (end − 1) is at or below it is late. With required inputs, the record that gives each of them a
/// part emits a "Complete" row of the window as it is then; when the watermark reaches end − 1 the window emits a
/// "Closed" row if it never emitted, an "Update" row with everything if records came after its early row, and nothing
/// otherwise.
/// </remarks>
public static class MultiStreamJoinOracle
{
    /// <summary>One input step: a record of an input; or a watermark of one input (Input = -1 for all inputs); or, when
    /// <paramref name="Idle"/> is 1 or 2, marking an input idle or active again.</summary>
    public readonly record struct Step(bool IsRecord, int Input, int Key, long Ticks, int Id, int Idle = 0);

    private sealed class Open(int key, long start, int inputs)
    {
        public int Key { get; } = key;

        public long Start { get; } = start;

        public List<int>[] Parts { get; } = [.. Enumerable.Range(0, inputs).Select(_ => new List<int>())];

        public bool Early { get; set; }

        public bool Changed { get; set; }
    }

    /// <summary>The rows emitted, as "{kind} k{key} [start,end) ids|ids|...", and the rejected records as "input:id".</summary>
    public static (List<string> Rows, List<string> Rejected) Run(int inputs, long size, long offset, int[] required, IEnumerable<Step> steps)
    {
        var wm = Enumerable.Repeat(long.MinValue, inputs).ToArray();
        var idle = new bool[inputs];
        var watermark = long.MinValue;
        var open = new List<Open>();
        var rows = new List<string>();
        var rejected = new List<string>();
        string Row(string kind, Open o) => $"{kind} k{o.Key} [{o.Start},{o.Start + size}) {string.Join("|", o.Parts.Select(p => string.Join(",", p)))}";

        void Close(long w)
        {
            foreach (var o in open.Where(o => o.Start + size - 1 <= w).ToList())
            {
                open.Remove(o);
                if (!o.Early)
                {
                    rows.Add(Row("Closed", o));
                }
                else if (o.Changed)
                {
                    rows.Add(Row("Update", o));
                }
            }
        }

        foreach (var step in steps)
        {
            if (!step.IsRecord)
            {
                for (var i = 0; i < inputs; i++)
                {
                    if (step.Idle != 0 && step.Input == i)
                    {
                        idle[i] = step.Idle == 1;
                    }
                    else if (step.Idle == 0 && (step.Input < 0 || step.Input == i))
                    {
                        wm[i] = Math.Max(wm[i], step.Ticks);
                    }
                }

                // The watermark: the largest value the minimum over the active inputs has reached.
                var active = Enumerable.Range(0, inputs).Where(i => !idle[i]).Select(i => wm[i]).ToList();
                if (active.Count > 0)
                {
                    watermark = Math.Max(watermark, active.Min());
                }

                if (step.Idle == 0 && step.Input < 0)
                {
                    watermark = Math.Max(watermark, step.Ticks); // every input promised it, idle or not
                }

                Close(watermark);
                continue;
            }

            var start = offset + ((long)Math.Floor((step.Ticks - offset) / (double)size) * size);
            if (start + size - 1 <= watermark)
            {
                rejected.Add($"{step.Input}:{step.Id}");
                continue;
            }

            var window = open.FirstOrDefault(o => o.Key == step.Key && o.Start == start);
            if (window is null)
            {
                window = new Open(step.Key, start, inputs);
                open.Add(window);
            }

            window.Parts[step.Input].Add(step.Id);
            if (window.Early)
            {
                window.Changed = true;
            }
            else if (required.Length > 0 && required.All(r => window.Parts[r].Count > 0))
            {
                window.Early = true;
                rows.Add(Row("Complete", window));
            }
        }

        Close(long.MaxValue);
        return (rows, rejected);
    }
}
