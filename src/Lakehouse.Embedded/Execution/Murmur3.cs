using System.Buffers.Binary;
using System.Numerics;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Spark's Murmur3 x86_32 (org.apache.spark.unsafe.hash.Murmur3_x86_32), the hash behind <c>hash()</c>: ints and
/// longs as 4 and 8 little-endian bytes, byte sequences as 4-byte blocks followed by each remaining byte mixed on
/// its own as a signed int (Spark's hashUnsafeBytes, which differs from the reference tail handling).
/// </summary>
internal static class Murmur3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    public static int HashInt(int value, int seed) => (int)Fmix(MixH1((uint)seed, MixK1((uint)value)), 4);

    public static int HashLong(long value, int seed)
    {
        var h1 = MixH1((uint)seed, MixK1((uint)value));
        h1 = MixH1(h1, MixK1((uint)(value >>> 32)));
        return (int)Fmix(h1, 8);
    }

    public static int HashBytes(ReadOnlySpan<byte> bytes, int seed)
    {
        var h1 = (uint)seed;
        var aligned = bytes.Length - (bytes.Length % 4);
        for (var i = 0; i < aligned; i += 4)
        {
            h1 = MixH1(h1, MixK1(BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..])));
        }

        for (var i = aligned; i < bytes.Length; i++)
        {
            h1 = MixH1(h1, MixK1((uint)(sbyte)bytes[i]));
        }

        return (int)Fmix(h1, bytes.Length);
    }

    /// <summary>Spark hashes a double by its bits, with -0.0 as 0.0.</summary>
    public static int HashDouble(double value, int seed) => HashLong(BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value), seed);

    public static int HashFloat(float value, int seed) => HashInt(BitConverter.SingleToInt32Bits(value == 0 ? 0f : value), seed);

    /// <summary>
    /// Spark hashes a decimal of precision ≤ 18 by its unscaled long, a wider one by the big-endian two's-complement
    /// bytes of its unscaled value (Java's BigInteger.toByteArray).
    /// </summary>
    public static int HashDecimal(BigInteger unscaled, int precision, int seed) =>
        precision <= 18 ? HashLong((long)unscaled, seed) : HashBytes(unscaled.ToByteArray(isUnsigned: false, isBigEndian: true), seed);

    private static uint MixK1(uint k1) => BitOperations.RotateLeft(k1 * C1, 15) * C2;

    private static uint MixH1(uint h1, uint k1) => (BitOperations.RotateLeft(h1 ^ k1, 13) * 5) + 0xe6546b64;

    private static uint Fmix(uint h1, int length)
    {
        h1 ^= (uint)length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return h1;
    }
}
