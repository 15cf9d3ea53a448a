using System.Globalization;
using System.Numerics;
using NodaTime;

namespace Cep.Joins.Interval;

/// <summary>
/// The relative time bounds of an interval join: a left record <c>l</c> and a right record <c>r</c> of the same key
/// join iff <c>l.ts + Lower &lt;= r.ts &lt;= l.ts + Upper</c>, where either comparison becomes strict (<c>&lt;</c>) when
/// that bound is excluded with <see cref="ExcludeLower"/> or <see cref="ExcludeUpper"/>.
/// </summary>
/// <remarks>
/// <para>Both bounds are inclusive by default and may be negative, zero or positive (Flink's
/// <c>between(lower, upper)</c>). <c>Lower &lt;= Upper</c> is required of the raw values; excluding a bound can still make
/// the interval empty (for example <c>[0, 0]</c> with the upper bound excluded), and then nothing joins.</para>
/// <para>Event time is compared in ticks (100 ns), like everywhere in the library: timestamps are truncated to ticks, and
/// the bounds are rounded inwards to ticks, so that the condition above holds exactly on the truncated timestamps.
/// Bounds beyond the range of <see cref="Instant"/> behave as unbounded. The <c>default</c> value is <c>[0, 0]</c>, both
/// ends inclusive: records join only with equal timestamps.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share across threads.</threadsafety>
public readonly struct JoinBounds : IEquatable<JoinBounds>
{
    /// <summary>Bounds beyond this many ticks cannot make a difference between two finite instants; larger ones are clamped.</summary>
    private const long ClampTicks = 6_500_000_000_000_000_000L;

    private readonly bool _lowerExclusive;
    private readonly bool _upperExclusive;

    /// <summary>Initializes bounds <c>[lower, upper]</c>, inclusive at both ends.</summary>
    /// <param name="lower">How far after the left record's timestamp a right record may be at the earliest (negative: before).</param>
    /// <param name="upper">How far after the left record's timestamp a right record may be at the latest (negative: before).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="upper"/> is less than <paramref name="lower"/>.</exception>
    public JoinBounds(Duration lower, Duration upper)
        : this(lower, upper, false, false)
    {
    }

    private JoinBounds(Duration lower, Duration upper, bool lowerExclusive, bool upperExclusive)
    {
        if (upper < lower)
        {
            throw new ArgumentOutOfRangeException(
                nameof(upper), upper, $"The upper bound must not be less than the lower bound; lower was {lower}, upper was {upper}.");
        }

        Lower = lower;
        Upper = upper;
        _lowerExclusive = lowerExclusive;
        _upperExclusive = upperExclusive;
    }

    /// <summary>Gets the lower bound.</summary>
    public Duration Lower { get; }

    /// <summary>Gets the upper bound.</summary>
    public Duration Upper { get; }

    /// <summary>Gets a value indicating whether the lower bound itself is part of the interval.</summary>
    public bool LowerInclusive => !_lowerExclusive;

    /// <summary>Gets a value indicating whether the upper bound itself is part of the interval.</summary>
    public bool UpperInclusive => !_upperExclusive;

    /// <summary>Gets the smallest tick difference <c>r - l</c> that joins (the lower bound rounded inwards, clamped).</summary>
    internal long LowerTicks => _lowerExclusive ? FloorTicks(Lower) + 1 : CeilingTicks(Lower);

    /// <summary>Gets the largest tick difference <c>r - l</c> that joins (the upper bound rounded inwards, clamped).</summary>
    internal long UpperTicks => _upperExclusive ? CeilingTicks(Upper) - 1 : FloorTicks(Upper);

    /// <summary>Creates bounds <c>[lower, upper]</c>, inclusive at both ends.</summary>
    /// <param name="lower">The lower bound; see <see cref="JoinBounds(Duration, Duration)"/>.</param>
    /// <param name="upper">The upper bound.</param>
    /// <returns>The bounds.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="upper"/> is less than <paramref name="lower"/>.</exception>
    public static JoinBounds Between(Duration lower, Duration upper) => new(lower, upper);

    /// <summary>Returns these bounds with the lower bound excluded: <c>l.ts + Lower &lt; r.ts</c>.</summary>
    /// <returns>The new bounds.</returns>
    public JoinBounds ExcludeLower() => new(Lower, Upper, true, _upperExclusive);

    /// <summary>Returns these bounds with the upper bound excluded: <c>r.ts &lt; l.ts + Upper</c>.</summary>
    /// <returns>The new bounds.</returns>
    public JoinBounds ExcludeUpper() => new(Lower, Upper, _lowerExclusive, true);

    /// <inheritdoc/>
    public bool Equals(JoinBounds other) =>
        Lower == other.Lower && Upper == other.Upper && _lowerExclusive == other._lowerExclusive && _upperExclusive == other._upperExclusive;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JoinBounds other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Lower, Upper, _lowerExclusive, _upperExclusive);

    /// <summary>Compares two bounds for equality.</summary>
    /// <param name="left">The first bounds.</param>
    /// <param name="right">The second bounds.</param>
    /// <returns>True if both bounds and both exclusivities are equal.</returns>
    public static bool operator ==(JoinBounds left, JoinBounds right) => left.Equals(right);

    /// <summary>Compares two bounds for inequality.</summary>
    /// <param name="left">The first bounds.</param>
    /// <param name="right">The second bounds.</param>
    /// <returns>True if they differ in a bound or an exclusivity.</returns>
    public static bool operator !=(JoinBounds left, JoinBounds right) => !left.Equals(right);

    /// <summary>Returns the interval in mathematical notation, for example <c>[-PT5S, PT10S)</c>.</summary>
    /// <returns>The interval as text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"{(_lowerExclusive ? '(' : '[')}{Lower}, {Upper}{(_upperExclusive ? ')' : ']')}");

    private static long FloorTicks(Duration d) => Clamp(BigInteger.DivRem(d.ToBigIntegerNanoseconds(), 100, out var rem) - (rem < 0 ? 1 : 0));

    private static long CeilingTicks(Duration d) => Clamp(BigInteger.DivRem(d.ToBigIntegerNanoseconds(), 100, out var rem) + (rem > 0 ? 1 : 0));

    private static long Clamp(BigInteger ticks) => ticks > ClampTicks ? ClampTicks : ticks < -ClampTicks ? -ClampTicks : (long)ticks;
}
