namespace Cep.Connectors.HBase.Internal;

/// <summary>
/// Reads protobuf wire format from one message's bytes: tags, varints and length-delimited fields, and skips unknown
/// fields. Rejects what the generated parser rejects with a <see cref="MalformedBodyException"/>.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> buffer)
{
    private const int MaxGroupDepth = 100;
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _at;

    /// <summary>Reads the next tag; false at the end of the message.</summary>
    /// <exception cref="MalformedBodyException">The tag is malformed, has field number 0 or ends a group that was not started.</exception>
    public bool TryReadTag(out uint tag)
    {
        if (_at >= _buffer.Length)
        {
            tag = 0;
            return false;
        }

        tag = ReadVarint32();
        if (tag >> 3 == 0)
        {
            throw new MalformedBodyException($"invalid tag {tag} at byte {_at}");
        }

        if ((tag & 7) == 4)
        {
            throw new MalformedBodyException($"an end-group tag without its start at byte {_at}");
        }

        return true;
    }

    /// <summary>Reads a length-delimited field's bytes.</summary>
    /// <exception cref="MalformedBodyException">The length is malformed, negative or runs past the message.</exception>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = (int)ReadVarint32();
        if (length < 0)
        {
            throw new MalformedBodyException($"a negative length at byte {_at}");
        }

        if (length > _buffer.Length - _at)
        {
            throw new MalformedBodyException($"truncated: a field of {length} bytes at byte {_at} runs past the end of its message");
        }

        var bytes = _buffer.Slice(_at, length);
        _at += length;
        return bytes;
    }

    /// <summary>Reads a varint of up to 64 bits.</summary>
    /// <exception cref="MalformedBodyException">The varint is longer than ten bytes or truncated.</exception>
    public ulong ReadVarint64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = NextByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new MalformedBodyException($"a malformed varint ending at byte {_at}");
    }

    /// <summary>Skips the field whose tag was just read.</summary>
    /// <exception cref="MalformedBodyException">The field is truncated or malformed, or its wire type is invalid.</exception>
    public void SkipField(uint tag) => SkipField(tag, 0);

    private void SkipField(uint tag, int depth)
    {
        switch (tag & 7)
        {
            case 0:
                _ = ReadVarint64();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                _ = ReadLengthDelimited();
                break;
            case 3:
                SkipGroup(tag >> 3, depth + 1);
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new MalformedBodyException($"invalid wire type {tag & 7} at byte {_at}");
        }
    }

    private void SkipGroup(uint field, int depth)
    {
        if (depth > MaxGroupDepth)
        {
            throw new MalformedBodyException("groups nested too deeply");
        }

        while (true)
        {
            if (_at >= _buffer.Length)
            {
                throw new MalformedBodyException($"truncated: group {field} has no end");
            }

            var tag = ReadVarint32();
            if (tag >> 3 == 0)
            {
                throw new MalformedBodyException($"invalid tag {tag} at byte {_at}");
            }

            if ((tag & 7) == 4)
            {
                if (tag >> 3 != field)
                {
                    throw new MalformedBodyException($"group {field} ended by the end of group {tag >> 3}");
                }

                return;
            }

            SkipField(tag, depth);
        }
    }

    /// <summary>A varint read as 32 bits, as lengths and tags are: up to ten bytes, the bits above 32 dropped.</summary>
    private uint ReadVarint32()
    {
        // Fast path: most tags and lengths fit in one or two bytes.
        if (_at < _buffer.Length && _buffer[_at] < 0x80)
        {
            return _buffer[_at++];
        }

        return unchecked((uint)ReadVarint64());
    }

    private byte NextByte()
    {
        if (_at >= _buffer.Length)
        {
            throw new MalformedBodyException("truncated: the body ends inside a varint");
        }

        return _buffer[_at++];
    }

    private void Advance(int count)
    {
        if (count > _buffer.Length - _at)
        {
            throw new MalformedBodyException($"truncated: a fixed-size field at byte {_at} runs past the end of its message");
        }

        _at += count;
    }
}
