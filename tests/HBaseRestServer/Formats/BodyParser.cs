using System.Text.Json;
using Google.Protobuf;

namespace Cep.HBaseRestServer.Formats;

/// <summary>Parses a request body in the format its content type names, turning any malformation into a 400.</summary>
internal static class BodyParser
{
    /// <summary>
    /// Parses <paramref name="body"/> with the parser for <paramref name="format"/>; a body that none of them can read
    /// throws <see cref="BadRequestException"/> naming <paramref name="what"/> it should have been.
    /// </summary>
    public static T Parse<T>(Format format, byte[] body, string what, Func<byte[], T> json, Func<byte[], T> protobuf, Func<byte[], T> xml)
    {
        try
        {
            return format switch
            {
                Format.Json => json(body),
                Format.Protobuf => protobuf(body),
                Format.Xml => xml(body),
                _ => throw new BadRequestException($"Bad request: unsupported {what} format"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidProtocolBufferException or FormatException or System.Xml.XmlException
                                      or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new BadRequestException($"Bad request: malformed {what}: " + e.Message);
        }
    }
}
