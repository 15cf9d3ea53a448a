namespace Cep.Connectors.HBase.Internal;

/// <summary>
/// The gateways of a client with their health: round robin over the healthy ones; a gateway that failed is skipped until
/// its cool-down ends; when all are cooling down, the one that recovers first is used.
/// </summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
internal sealed class EndpointSet
{
    private readonly Uri[] _endpoints;
    private readonly string[] _origins;
    private readonly long[] _downUntil;
    private readonly TimeProvider _time;
    private readonly long _cooldownTicks;
    private int _next = -1;

    public EndpointSet(IEnumerable<Uri> endpoints, TimeSpan cooldown, TimeProvider time)
    {
        _endpoints = endpoints.Select(WithTrailingSlash).ToArray();
        _origins = _endpoints.Select(e => e.AbsoluteUri).ToArray();
        _downUntil = new long[_endpoints.Length];
        Array.Fill(_downUntil, long.MinValue);
        _cooldownTicks = cooldown.Ticks;
        _time = time;
    }

    public int Count => _endpoints.Length;

    public Uri this[int index] => _endpoints[index];

    /// <summary>The absolute address of gateway <paramref name="index"/> as text, ending with a slash: a relative path
    /// appended to it is the path's absolute address on that gateway.</summary>
    public string Origin(int index) => _origins[index];

    /// <summary>Picks the next gateway to call.</summary>
    public int Pick()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_endpoints.Length);
        var fallback = start;
        for (var k = 0; k < _endpoints.Length; k++)
        {
            var i = (start + k) % _endpoints.Length;
            var until = Volatile.Read(ref _downUntil[i]);
            if (until <= now)
            {
                return i;
            }

            if (until < Volatile.Read(ref _downUntil[fallback]))
            {
                fallback = i;
            }
        }

        return fallback;
    }

    /// <summary>Whether <paramref name="index"/> is cooling down now.</summary>
    public bool IsCoolingDown(int index) => Volatile.Read(ref _downUntil[index]) > _time.GetUtcNow().UtcTicks;

    public void MarkFailed(int index) => Volatile.Write(ref _downUntil[index], _time.GetUtcNow().UtcTicks + _cooldownTicks);

    public void MarkHealthy(int index)
    {
        if (Volatile.Read(ref _downUntil[index]) != long.MinValue)
        {
            Volatile.Write(ref _downUntil[index], long.MinValue);
        }
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
}
