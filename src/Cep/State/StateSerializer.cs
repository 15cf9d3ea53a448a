using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;

namespace Cep.State;

/// <summary>Ready-made <see cref="IStateSerializer{T}"/> implementations.</summary>
public static class StateSerializer
{
    /// <summary>
    /// Gets the default serializer of <typeparamref name="T"/>: a compact binary one for <see cref="bool"/>, the integer
    /// types, <see cref="char"/>, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>, <see cref="string"/>,
    /// <see cref="Guid"/>, <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/> and
    /// <see cref="Instant"/>; <see cref="Json{T}"/> with <see cref="DefaultJsonOptions"/> for any other type.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <returns>A serializer; the same instance for every call with the same type.</returns>
    public static IStateSerializer<T> Default<T>() => DefaultHolder<T>.Instance;

    /// <summary>
    /// Gets the JSON options of the default serializer: System.Text.Json's defaults, plus public fields (so value tuples
    /// and field-only structs round-trip) and converters that write NodaTime <see cref="Instant"/> and
    /// <see cref="Duration"/> as integers (ticks and nanoseconds), which System.Text.Json alone would lose.
    /// </summary>
    public static JsonSerializerOptions DefaultJsonOptions { get; } = CreateDefaultJsonOptions();

    /// <summary>
    /// Gets a serializer that writes values as UTF-8 JSON with System.Text.Json. It round-trips public properties and
    /// constructor parameters (records and plain classes); types it cannot round-trip need their own serializer.
    /// </summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="options">The JSON options, or null for <see cref="DefaultJsonOptions"/>.</param>
    /// <returns>A serializer.</returns>
    public static IStateSerializer<T> Json<T>(JsonSerializerOptions? options = null) => new JsonStateSerializer<T>(options ?? DefaultJsonOptions);

    private static JsonSerializerOptions CreateDefaultJsonOptions()
    {
        var options = new JsonSerializerOptions { IncludeFields = true };
        options.Converters.Add(new InstantConverter());
        options.Converters.Add(new DurationConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static class DefaultHolder<T>
    {
        public static readonly IStateSerializer<T> Instance = (IStateSerializer<T>?)Primitive() ?? new JsonStateSerializer<T>(DefaultJsonOptions);

        private static object? Primitive()
        {
            var t = typeof(T);
            return t == typeof(string) ? new StringSerializer()
                : t == typeof(int) ? Fixed<int>(4, static (s, v) => BinaryPrimitives.WriteInt32LittleEndian(s, v), static s => BinaryPrimitives.ReadInt32LittleEndian(s))
                : t == typeof(long) ? Fixed<long>(8, static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v), static s => BinaryPrimitives.ReadInt64LittleEndian(s))
                : t == typeof(short) ? Fixed<short>(2, static (s, v) => BinaryPrimitives.WriteInt16LittleEndian(s, v), static s => BinaryPrimitives.ReadInt16LittleEndian(s))
                : t == typeof(uint) ? Fixed<uint>(4, static (s, v) => BinaryPrimitives.WriteUInt32LittleEndian(s, v), static s => BinaryPrimitives.ReadUInt32LittleEndian(s))
                : t == typeof(ulong) ? Fixed<ulong>(8, static (s, v) => BinaryPrimitives.WriteUInt64LittleEndian(s, v), static s => BinaryPrimitives.ReadUInt64LittleEndian(s))
                : t == typeof(ushort) ? Fixed<ushort>(2, static (s, v) => BinaryPrimitives.WriteUInt16LittleEndian(s, v), static s => BinaryPrimitives.ReadUInt16LittleEndian(s))
                : t == typeof(byte) ? Fixed<byte>(1, static (s, v) => s[0] = v, static s => s[0])
                : t == typeof(sbyte) ? Fixed<sbyte>(1, static (s, v) => s[0] = (byte)v, static s => (sbyte)s[0])
                : t == typeof(bool) ? Fixed<bool>(1, static (s, v) => s[0] = v ? (byte)1 : (byte)0, static s => s[0] != 0)
                : t == typeof(char) ? Fixed<char>(2, static (s, v) => BinaryPrimitives.WriteUInt16LittleEndian(s, v), static s => (char)BinaryPrimitives.ReadUInt16LittleEndian(s))
                : t == typeof(double) ? Fixed<double>(8, static (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v), static s => BinaryPrimitives.ReadDoubleLittleEndian(s))
                : t == typeof(float) ? Fixed<float>(4, static (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v), static s => BinaryPrimitives.ReadSingleLittleEndian(s))
                : t == typeof(decimal) ? Fixed<decimal>(16, WriteDecimal, ReadDecimal)
                : t == typeof(Guid) ? Fixed<Guid>(16, static (s, v) => v.TryWriteBytes(s), static s => new Guid(s))
                : t == typeof(TimeSpan) ? Fixed<TimeSpan>(8, static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v.Ticks), static s => new TimeSpan(BinaryPrimitives.ReadInt64LittleEndian(s)))
                : t == typeof(DateTime) ? Fixed<DateTime>(8, static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v.ToBinary()), static s => DateTime.FromBinary(BinaryPrimitives.ReadInt64LittleEndian(s)))
                : t == typeof(DateTimeOffset) ? Fixed<DateTimeOffset>(10, WriteDateTimeOffset, ReadDateTimeOffset)
                : t == typeof(Instant) ? Fixed<Instant>(8, static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v.ToUnixTimeTicks()), static s => Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64LittleEndian(s)))
                : null;
        }

        private static FixedSizeSerializer<TValue> Fixed<TValue>(int size, FixedSizeSerializer<TValue>.Writer write, FixedSizeSerializer<TValue>.Reader read) =>
            new(size, write, read);

        private static void WriteDecimal(Span<byte> destination, decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            for (var i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(destination[(i * 4)..], bits[i]);
            }
        }

        private static decimal ReadDecimal(ReadOnlySpan<byte> source)
        {
            Span<int> bits = stackalloc int[4];
            for (var i = 0; i < 4; i++)
            {
                bits[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]);
            }

            return new decimal(bits);
        }

        private static void WriteDateTimeOffset(Span<byte> destination, DateTimeOffset value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, value.Ticks);
            BinaryPrimitives.WriteInt16LittleEndian(destination[8..], (short)value.TotalOffsetMinutes);
        }

        private static DateTimeOffset ReadDateTimeOffset(ReadOnlySpan<byte> source) =>
            new(BinaryPrimitives.ReadInt64LittleEndian(source), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(source[8..])));
    }

    /// <summary>A value of a fixed number of bytes.</summary>
    private sealed class FixedSizeSerializer<T>(int size, FixedSizeSerializer<T>.Writer write, FixedSizeSerializer<T>.Reader read) : IStateSerializer<T>
    {
        public delegate void Writer(Span<byte> destination, T value);

        public delegate T Reader(ReadOnlySpan<byte> source);

        public void Write(IBufferWriter<byte> destination, T value)
        {
            write(destination.GetSpan(size)[..size], value);
            destination.Advance(size);
        }

        public T Read(ReadOnlySpan<byte> source) => source.Length == size
            ? read(source)
            : throw new FormatException($"A {typeof(T).Name} takes {size} bytes, found {source.Length}.");
    }

    /// <summary>A string as a null marker (0 = null, 1 = present) followed by UTF-8.</summary>
    private sealed class StringSerializer : IStateSerializer<string>
    {
        public void Write(IBufferWriter<byte> destination, string value)
        {
            if (value is null)
            {
                destination.Write([(byte)0]);
                return;
            }

            var span = destination.GetSpan(1 + Encoding.UTF8.GetMaxByteCount(value.Length));
            span[0] = 1;
            var written = Encoding.UTF8.GetBytes(value, span[1..]);
            destination.Advance(1 + written);
        }

        public string Read(ReadOnlySpan<byte> source) => source.Length == 0 ? throw new FormatException("A string needs at least its null marker.")
            : source[0] == 0 && source.Length == 1 ? null!
            : source[0] == 1 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(source[1..])
            : throw new FormatException($"Invalid string marker {source[0]}.");
    }

    /// <summary>An <see cref="Instant"/> as its Unix ticks.</summary>
    private sealed class InstantConverter : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Instant.FromUnixTimeTicks(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeTicks());
    }

    /// <summary>A <see cref="Duration"/> as its nanoseconds.</summary>
    private sealed class DurationConverter : JsonConverter<Duration>
    {
        public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Duration.FromNanoseconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToInt64Nanoseconds());
    }

    /// <summary>UTF-8 JSON through System.Text.Json.</summary>
    private sealed class JsonStateSerializer<T>(JsonSerializerOptions options) : IStateSerializer<T>
    {
        public void Write(IBufferWriter<byte> destination, T value)
        {
            using var writer = new Utf8JsonWriter(destination);
            JsonSerializer.Serialize(writer, value, options);
        }

        public T Read(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize<T>(source, options)!;
    }
}
