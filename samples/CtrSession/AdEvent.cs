using NodaTime;

namespace CtrSession;

public enum AdEventKind
{
    Exposure,
    Click,
}

/// <summary>
/// One ad tracking record: an exposure or a click of an ad by a user, with its event time. <c>Id</c> is unique, in
/// generation order, for tracing.
/// </summary>
public sealed record AdEvent(long Id, int User, int Ad, AdEventKind Kind, Instant Timestamp)
{
    public bool IsExposure => Kind == AdEventKind.Exposure;

    public bool IsClick => Kind == AdEventKind.Click;
}

/// <summary>The key sessions are matched per: one user and one ad.</summary>
public readonly record struct SessionKey(int User, int Ad);

/// <summary>
/// A training sample: an exposure labelled 1 if it was clicked within the attribution window, else 0.
/// <c>ExposureId</c> is the exposure's <see cref="AdEvent.Id"/>, from which the ad engine's request id (the feature
/// key) derives; <c>Time</c> is the event time at which the sample became known: the click for a positive, the end of
/// the attribution window for a negative.
/// </summary>
public readonly record struct TrainingSample(int User, int Ad, Instant ExposureTime, Instant? ClickTime, long ExposureId, Instant Time)
{
    public int Label => ClickTime is null ? 0 : 1;
}

/// <summary>Where the job sends its samples (later: a Kafka sink, a feature join in front of it).</summary>
public interface ISampleSink
{
    void OnSample(in TrainingSample sample);
}

/// <summary>A sink that counts samples and keeps the first few for display.</summary>
public sealed class CountingSampleSink(int keep = 3) : ISampleSink
{
    private readonly List<TrainingSample> _first = [];

    public long Positives { get; private set; }

    public long Negatives { get; private set; }

    public IReadOnlyList<TrainingSample> First => _first;

    public void OnSample(in TrainingSample sample)
    {
        if (sample.Label == 1)
        {
            Positives++;
        }
        else
        {
            Negatives++;
        }

        if (_first.Count < keep)
        {
            _first.Add(sample);
        }
    }
}
