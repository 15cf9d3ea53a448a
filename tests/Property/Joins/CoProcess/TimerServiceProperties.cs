using Cep.Joins.CoProcess;
using Cep.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Xunit;
using static Cep.Tests.Joins.CoProcess.Co;

namespace Cep.Tests.Joins.CoProcess;

/// <summary>The event-time timer service against a model: a set of (key, time) with first-registration numbers.</summary>
public sealed class TimerServiceProperties
{
    /// <summary>A script: "r key time" registers, "d key time" deletes, "w time" advances both watermarks.</summary>
    private static List<string> Script(int seed)
    {
        var rng = new Random(seed);
        var script = new List<string>();
        var n = rng.Next(1, 60);
        for (var i = 0; i < n; i++)
        {
            var r = rng.Next(10);
            script.Add(r < 5 ? $"r k{rng.Next(4)} {rng.Next(0, 200)}" : r < 8 ? $"d k{rng.Next(4)} {rng.Next(0, 200)}" : $"w {rng.Next(0, 220)}");
        }

        return script;
    }

    /// <summary>Timers that fire at a multiple of 3 below 1000 register one at time - 1 (already due) and one at time + 5.</summary>
    private static bool Chains(long t) => t % 3 == 0 && t < 1000;

    [Fact]
    public void TimersFireInTimeThenRegistrationOrderAtMostOnce() => PropertyRunner.Check(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
    {
        var script = Script(seed);
        var fired = new List<string>();
        var op = Operator(
            new LambdaFunction
            {
                First = (r, ctx) => ctx.TimerService.RegisterEventTimeTimer(Ms(long.Parse(r.Name))),
                Second = (r, ctx) => ctx.TimerService.DeleteEventTimeTimer(Ms(long.Parse(r.Name))),
                Timer = (t, ctx) =>
                {
                    var ms = t.ToUnixTimeMilliseconds();
                    fired.Add($"{ctx.CurrentKey}@{ms}");
                    if (ctx.CurrentWatermark < t)
                    {
                        throw new InvalidOperationException($"fired at {ms} below the watermark {ctx.CurrentWatermark}");
                    }

                    if (Chains(ms))
                    {
                        ctx.TimerService.RegisterEventTimeTimer(t - Duration.FromMilliseconds(1));
                        ctx.TimerService.RegisterEventTimeTimer(t + Duration.FromMilliseconds(5));
                    }
                },
            },
            out var output);

        var model = new Dictionary<(string Key, long Time), long>();
        var expected = new List<string>();
        long seq = 0, wm = -1;
        void Register(string key, long time)
        {
            if (model.TryAdd((key, time), seq))
            {
                seq++;
            }
        }

        void Advance(long to)
        {
            while (model.Where(e => e.Key.Time <= to).OrderBy(e => e.Key.Time).ThenBy(e => e.Value).Select(e => e.Key).FirstOrDefault() is { Key: not null } next)
            {
                model.Remove(next);
                expected.Add($"{next.Key}@{next.Time}");
                if (Chains(next.Time))
                {
                    Register(next.Key, next.Time - 1);
                    Register(next.Key, next.Time + 5);
                }
            }
        }

        foreach (var step in script)
        {
            var p = step.Split(' ');
            if (p[0] == "w")
            {
                var to = long.Parse(p[1]);
                op.Watermark(to);
                if (to > wm)
                {
                    wm = to;
                    Advance(to);
                }

                continue;
            }

            var time = long.Parse(p[2]);
            if (p[0] == "r")
            {
                op.OnInput1(new Rec(p[1], p[2]), Ms(wm + 1));
                Register(p[1], time);
            }
            else
            {
                op.OnInput2(new Rec(p[1], p[2]), Ms(wm + 1));
                model.Remove((p[1], time));
            }
        }

        op.OnWatermark1(Instant.MaxValue);
        op.OnWatermark2(Instant.MaxValue);
        Advance(long.MaxValue);
        PropertyRunner.AssertSameMatches($"seed {seed}: {string.Join("; ", script)}", expected, fired, "model", "operator");
        if (output.Errors.Count > 0 || op.Counters.Keys != 0 || op.Counters.PendingEventTimers != 0 || op.Counters.TimersFired != expected.Count)
        {
            throw new MatchMismatchException($"seed {seed}: {op.Counters} errors: {string.Join("; ", output.Errors)}");
        }
    });
}
