using System.Text;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// <c>hash()</c> against Spark's documented example and a reference Murmur3 x86_32 written here from the algorithm
/// (Spark's variant: seed 42, each column's hash seeds the next, strings by hashUnsafeBytes whose tail bytes are
/// mixed one by one as signed ints, longs as two 4-byte halves, nulls skipped).
/// </summary>
public sealed class HashTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<object?> EvalAsync(SparkSession spark, Column c) =>
        (await spark.Range(0, 1).Select(c.Alias("v")).CollectAsync())[0]["v"];

    [Fact]
    public async Task Hash_SparkDocsExample_Matches()
    {
        await using var spark = await server.SessionAsync();
        // Spark SQL function reference, hash: SELECT hash('Spark', array(123), 2) → -1321691492.
        Assert.Equal(-1321691492, await EvalAsync(spark, Hash(Lit("Spark"), CallFunction("array", Lit(123)), Lit(2))));
    }

    [Fact]
    public async Task Hash_ScalarTypes_MatchReference()
    {
        await using var spark = await server.SessionAsync();
        Assert.Equal(Reference.Int(1, 42), await EvalAsync(spark, Hash(Lit(1))));
        Assert.Equal(Reference.Long(1L << 40, 42), await EvalAsync(spark, Hash(Lit(1L << 40))));
        Assert.Equal(Reference.Bytes(Encoding.UTF8.GetBytes("héllo wörld"), 42), await EvalAsync(spark, Hash(Lit("héllo wörld"))));
        Assert.Equal(Reference.Long(BitConverter.DoubleToInt64Bits(1.5), 42), await EvalAsync(spark, Hash(Lit(1.5))));
        Assert.Equal(Reference.Int(1, 42), await EvalAsync(spark, Hash(Lit(true))));
    }

    [Fact]
    public async Task Hash_SeveralColumnsAndNulls_ChainSeeds()
    {
        await using var spark = await server.SessionAsync();
        var expected = Reference.Bytes(Encoding.UTF8.GetBytes("ab"), Reference.Int(7, 42));
        Assert.Equal(expected, await EvalAsync(spark, Hash(Lit(7), Lit(null).Cast("string"), Lit("ab"))));
        Assert.Equal(42, await EvalAsync(spark, Hash(Lit(null).Cast("int"))));
    }

    [Fact]
    public async Task Hash_ColumnsOfATable_MatchReferencePerRow()
    {
        await using var spark = await server.SessionAsync();
        var rows = await spark.Range(0, 50).Select(Hash(Col("id"), Col("id").Cast("string")).Alias("h"), Col("id")).CollectAsync();
        Assert.All(rows, r =>
        {
            var id = r.Get<long>("id");
            Assert.Equal(Reference.Bytes(Encoding.UTF8.GetBytes(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Reference.Long(id, 42)), r["h"]);
        });
    }

    /// <summary>Murmur3 x86_32 in Spark's form, written from the published algorithm.</summary>
    private static class Reference
    {
        public static int Int(int value, int seed) => Finish(Round(seed, value), 4);

        public static int Long(long value, int seed) => Finish(Round(Round(seed, unchecked((int)value)), unchecked((int)(value >> 32))), 8);

        public static int Bytes(byte[] data, int seed)
        {
            var h = seed;
            var i = 0;
            for (; i + 4 <= data.Length; i += 4)
            {
                h = Round(h, data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
            }

            for (; i < data.Length; i++)
            {
                h = Round(h, (sbyte)data[i]);
            }

            return Finish(h, data.Length);
        }

        private static int Round(int h, int k)
        {
            unchecked
            {
                k *= (int)0xcc9e2d51;
                k = (k << 15) | (int)((uint)k >> 17);
                k *= 0x1b873593;
                h ^= k;
                h = (h << 13) | (int)((uint)h >> 19);
                return (h * 5) + (int)0xe6546b64;
            }
        }

        private static int Finish(int h, int length)
        {
            unchecked
            {
                h ^= length;
                h ^= (int)((uint)h >> 16);
                h *= (int)0x85ebca6b;
                h ^= (int)((uint)h >> 13);
                h *= (int)0xc2b2ae35;
                h ^= (int)((uint)h >> 16);
                return h;
            }
        }
    }
}
