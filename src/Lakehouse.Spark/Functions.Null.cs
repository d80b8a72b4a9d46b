namespace Lakehouse.Spark;

public static partial class Functions
{
    /// <summary>The first non-null argument.</summary>
    /// <param name="columns">The candidates.</param>
    public static Column Coalesce(params Column[] columns) => Call("coalesce", columns);

    /// <summary><paramref name="column"/> unless it is null, then <paramref name="replacement"/>.</summary>
    /// <param name="column">The value.</param>
    /// <param name="replacement">The value used where it is null.</param>
    public static Column Nvl(Column column, Column replacement) => Call("nvl", column, replacement);

    /// <summary>SHA-2 digest as a hex string.</summary>
    /// <param name="column">The input.</param>
    /// <param name="bits">224, 256, 384 or 512 (0 means 256).</param>
    public static Column Sha2(Column column, int bits) => Call("sha2", column, Lit(bits));

    /// <summary>MD5 digest as a hex string.</summary>
    /// <param name="column">The input.</param>
    public static Column Md5(Column column) => Call("md5", column);

    /// <summary>Spark's 32-bit Murmur3 hash of the arguments.</summary>
    /// <param name="columns">The inputs.</param>
    public static Column Hash(params Column[] columns) => Call("hash", columns);
}
