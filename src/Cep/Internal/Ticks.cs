using System.Runtime.CompilerServices;
using NodaTime;

namespace Cep;

/// <summary>Converts between NodaTime instants and the <see cref="long"/> ticks used inside operators.</summary>
/// <remarks><see cref="Instant.MinValue"/> and <see cref="Instant.MaxValue"/> map to <see cref="long.MinValue"/> and <see cref="long.MaxValue"/>.</remarks>
internal static class Ticks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FromInstant(Instant instant)
    {
        if (instant == Instant.MaxValue)
        {
            return long.MaxValue;
        }

        return instant == Instant.MinValue ? long.MinValue : instant.ToUnixTimeTicks();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Instant ToInstant(long ticks) => ticks switch
    {
        long.MaxValue => Instant.MaxValue,
        long.MinValue => Instant.MinValue,
        _ => Instant.FromUnixTimeTicks(ticks),
    };
}
