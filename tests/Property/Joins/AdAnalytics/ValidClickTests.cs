using Cep.Joins.AdAnalytics;
using Cep.Joins.CoProcess;
using Cep.Tests.Joins.CoProcess;
using NodaTime;
using Xunit;

namespace Cep.Tests.Joins.AdAnalytics;

public sealed class ValidClickTests
{
    private static readonly Instant T0 = Instant.FromUtc(2025, 3, 1, 20, 0);

    private static Instant S(double seconds) => T0 + Duration.FromMilliseconds((long)(seconds * 1000));

    private sealed class Run
    {
        public Run(ValidClickOptions? options = null)
        {
            Op = ValidClickFunction.CreateOperator(Output, options);
        }

        public CollectingCoOutput<WatchKey, Click, PlayHeartbeat, ClickVerdict> Output { get; } = new();

        public KeyedCoProcessOperator<WatchKey, Click, PlayHeartbeat, ClickVerdict> Op { get; }

        public List<ClickVerdict> Verdicts => Output.Outputs.Select(o => o.Value).ToList();

        public void Click(double at, string user = "u", string title = "t", string? id = null) => Op.OnInput1(new Click(user, title, S(at), id), S(at));

        public void Beat(double at, string user = "u", string title = "t") => Op.OnInput2(new PlayHeartbeat(user, title, S(at)), S(at));

        public void Beats(double from, int count, double every = 3, string user = "u")
        {
            for (var i = 0; i < count; i++)
            {
                Beat(from + (i * every), user);
            }
        }

        public void Watermark(Instant w)
        {
            Op.OnWatermark1(w);
            Op.OnWatermark2(w);
        }

        public void End()
        {
            Watermark(Instant.MaxValue);
            Assert.Equal(0, Op.Counters.Keys);
            Assert.Equal(0, Op.CountStateValues());
            Assert.Equal(0, Op.Counters.PendingEventTimers);
            Assert.True(Op.Counters.Balanced, Op.Counters.ToString());
        }
    }

    [Fact]
    public void ExactlySixMinutesOfWatchingIsValidAndIsEmittedAtTheHeartbeatThatReachesIt()
    {
        var run = new Run();
        run.Click(0);
        run.Beats(0, 119);
        Assert.Empty(run.Verdicts);
        run.Beat(357);
        var verdict = Assert.Single(run.Verdicts);
        Assert.True(verdict.IsValid);
        Assert.Equal(Duration.FromMinutes(6), verdict.Watched);
        Assert.Equal(S(357), verdict.DecidedAt);
        run.End();
        Assert.Single(run.Verdicts);
    }

    [Fact]
    public void FiveMinutesFiftySevenIsNotValidAndExpiresAfterThreeHoursWithTheWatchedDuration()
    {
        var run = new Run();
        run.Click(0, id: "c1");
        run.Beats(0, 119);
        run.Watermark(S(3 * 3600) - Duration.FromMilliseconds(1));
        Assert.Empty(run.Verdicts);
        run.Watermark(S(3 * 3600));
        var verdict = Assert.Single(run.Verdicts);
        Assert.False(verdict.IsValid);
        Assert.Equal("c1", verdict.Click.ClickId);
        Assert.Equal(Duration.FromSeconds(357), verdict.Watched);
        Assert.Equal(S(3 * 3600), verdict.DecidedAt);
        Assert.Equal(S(3 * 3600), run.Output.Outputs[0].Timestamp);
        run.End();
    }

    [Fact]
    public void HeartbeatsThatArriveBeforeTheirClickAreBufferedAndCount()
    {
        var run = new Run();
        run.Beats(-30, 140); // -30 s .. 387 s; only those at or after the click count
        run.Click(0);
        var verdict = Assert.Single(run.Verdicts);
        Assert.True(verdict.IsValid);
        Assert.Equal(S(0), verdict.DecidedAt);
        Assert.Equal(Duration.FromSeconds(390), verdict.Watched);
        run.End();
    }

    [Fact]
    public void HeartbeatsBeforeTheClickDoNotCountEvenWithinOneInterval()
    {
        var run = new Run();
        run.Beats(-1.5, 120); // -1.5 s .. 355.5 s: the first would cover [0, 1.5) of the click's time, but is before it
        run.Click(0);
        run.End();
        var verdict = Assert.Single(run.Verdicts);
        Assert.False(verdict.IsValid);
        Assert.Equal(Duration.FromSeconds(357), verdict.Watched); // [1.5, 358.5)
    }

    [Fact]
    public void DuplicatedHeartbeatsCountOnce()
    {
        var run = new Run();
        run.Click(0);
        for (var i = 0; i < 119; i++)
        {
            run.Beat(i * 3);
            run.Beat(i * 3);
        }

        run.Beat(0);
        run.End();
        var verdict = Assert.Single(run.Verdicts);
        Assert.False(verdict.IsValid);
        Assert.Equal(Duration.FromSeconds(357), verdict.Watched);
    }

    [Fact]
    public void AGapLongerThanTheIntervalIsNotWatching()
    {
        var valid = new Run();
        valid.Click(0);
        valid.Beats(0, 60);   // [0, 180)
        valid.Beats(600, 60); // [600, 780): 360 s in all
        Assert.True(Assert.Single(valid.Verdicts).IsValid);
        valid.End();

        var notValid = new Run();
        notValid.Click(0);
        notValid.Beats(0, 59);   // [0, 177)
        notValid.Beats(600, 60); // [600, 780): 357 s
        notValid.End();
        var verdict = Assert.Single(notValid.Verdicts);
        Assert.False(verdict.IsValid);
        Assert.Equal(Duration.FromSeconds(357), verdict.Watched);
    }

    [Fact]
    public void OverlappingAndOutOfOrderHeartbeatsCountTheirUnion()
    {
        var run = new Run();
        run.Click(0);
        run.Beat(2);
        run.Beat(10);
        run.Beat(0);
        run.Beat(1);   // [0, 5) from 0, 1, 2
        run.Beat(11.5); // [10, 14.5) from 10 and 11.5
        run.End();
        Assert.Equal(Duration.FromSeconds(9.5), Assert.Single(run.Verdicts).Watched);
    }

    [Fact]
    public void WatchingIsCutAtTheClickExpiry()
    {
        var run = new Run();
        run.Click(0);
        run.Beat((3 * 3600) - 1); // counts 1 s
        run.Beat(3 * 3600);       // at the expiry: does not count
        run.End();
        Assert.Equal(Duration.FromSeconds(1), Assert.Single(run.Verdicts).Watched);
    }

    [Fact]
    public void EachClickOfAKeyGetsItsOwnVerdictAndKeysAreSeparate()
    {
        var run = new Run();
        run.Click(0, id: "early");
        run.Click(100, id: "late");
        run.Click(0, user: "other", id: "other");
        run.Beats(0, 130); // [0, 390): early is valid at 360 s; late (at 100 s) counts [102, 390) = 288 s
        run.Beats(0, 10, user: "other");
        Assert.Equal(["early"], run.Verdicts.Select(v => v.Click.ClickId));
        run.End();
        Assert.Equal(
            ["early:True:360", "late:False:288", "other:False:30"],
            run.Verdicts.Select(v => $"{v.Click.ClickId}:{v.IsValid}:{v.Watched.TotalSeconds}").OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public void LateHeartbeatsGoToTheLateOutputAndDoNotCount()
    {
        var run = new Run();
        run.Click(0);
        run.Beats(0, 100);
        run.Watermark(S(400));
        run.Beats(300, 30); // 300 .. 387: late for the heartbeat input
        run.End();
        Assert.Equal(30, run.Op.Counters.RecordsLate);
        var verdict = Assert.Single(run.Verdicts);
        Assert.False(verdict.IsValid);
        Assert.Equal(Duration.FromSeconds(300), verdict.Watched);
    }

    [Fact]
    public void BufferedHeartbeatsWithoutAClickAreDroppedOnceTheWatermarkPassesThem()
    {
        var run = new Run();
        run.Beats(0, 100);
        Assert.Equal(1, run.Op.Counters.Keys);
        run.Watermark(S(150));
        Assert.True(run.Op.CountStateValues() > 0); // heartbeats after 150 s are still needed
        run.Watermark(S(300));
        Assert.Equal(0, run.Op.Counters.Keys);
        Assert.Equal(0, run.Op.CountStateValues());
        run.End();
        Assert.Empty(run.Verdicts);
    }

    [Fact]
    public void ParametersAreOptions()
    {
        var run = new Run(new ValidClickOptions
        {
            RequiredWatchTime = Duration.FromSeconds(20),
            HeartbeatInterval = Duration.FromSeconds(10),
            ClickTtl = Duration.FromMinutes(1),
        });
        run.Click(0, id: "a");
        run.Beat(0);
        run.Beat(15); // [0, 10) + [15, 25) = 20 s
        run.Click(100, id: "b");
        run.Beat(155); // [155, 160): cut at the expiry
        run.End();
        Assert.Equal(["a:True:20", "b:False:5"], run.Verdicts.Select(v => $"{v.Click.ClickId}:{v.IsValid}:{v.Watched.TotalSeconds}"));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidClickFunction(new ValidClickOptions { RequiredWatchTime = Duration.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidClickFunction(new ValidClickOptions { HeartbeatInterval = Duration.FromSeconds(-3) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidClickFunction(new ValidClickOptions { ClickTtl = Duration.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidClickFunction(new ValidClickOptions { ClickTtl = Duration.FromMinutes(5) }));
        Assert.Throws<ArgumentNullException>(() => ValidClickFunction.CreateOperator(null!));
        Assert.Equal(Duration.FromMinutes(6), new ValidClickFunction().Options.RequiredWatchTime);
    }
}
