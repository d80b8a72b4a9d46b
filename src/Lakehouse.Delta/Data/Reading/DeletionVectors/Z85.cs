namespace Lakehouse.Delta.Data.Reading.DeletionVectors;

/// <summary>
/// Z85, the Base85 variant Delta uses for inline deletion vectors and the UUIDs of deletion vector files
/// (PROTOCOL.md, Deletion Vector Descriptor Schema; ZeroMQ RFC 32): every 5 characters encode 4 bytes, big-endian.
/// </summary>
internal static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private static readonly sbyte[] Values = BuildValues();

    /// <summary>Decodes Z85 text whose length is a multiple of 5.</summary>
    /// <exception cref="FormatException">The length is not a multiple of 5 or a character is not in the Z85 alphabet.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text must have a length that is a multiple of 5, not {text.Length}.");
        }

        var bytes = new byte[text.Length / 5 * 4];
        for (var block = 0; block < text.Length / 5; block++)
        {
            ulong value = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = text[block * 5 + i];
                var digit = c < 128 ? Values[c] : -1;
                if (digit < 0)
                {
                    throw new FormatException($"'{c}' is not a Z85 character.");
                }

                value = value * 85 + (ulong)digit;
            }

            if (value > uint.MaxValue)
            {
                throw new FormatException("A Z85 block encodes a value above 2^32.");
            }

            bytes[block * 4] = (byte)(value >> 24);
            bytes[block * 4 + 1] = (byte)(value >> 16);
            bytes[block * 4 + 2] = (byte)(value >> 8);
            bytes[block * 4 + 3] = (byte)value;
        }

        return bytes;
    }

    /// <summary>Encodes data whose length is a multiple of 4: each 4-byte block, read big-endian, becomes 5 digits, most significant first.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new ArgumentException($"Z85 encodes whole 4-byte blocks; {data.Length} bytes is not a multiple of 4.", nameof(data));
        }

        var chars = new char[data.Length / 4 * 5];
        for (var block = 0; block < data.Length / 4; block++)
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[(block * 4)..]);
            for (var i = 4; i >= 0; i--)
            {
                chars[block * 5 + i] = Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }

        return new string(chars);
    }

    /// <summary>The 20-character Z85 form of a UUID (its 16 bytes, most significant first).</summary>
    public static string EncodeUuid(Guid uuid) => Encode(uuid.ToByteArray(bigEndian: true));

    /// <summary>Decodes the 20-character Z85 form of a UUID (its 16 bytes, most significant first).</summary>
    public static Guid DecodeUuid(ReadOnlySpan<char> text)
    {
        if (text.Length != 20)
        {
            throw new FormatException($"A Z85 UUID has 20 characters, not {text.Length}.");
        }

        return new Guid(Decode(text), bigEndian: true);
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
