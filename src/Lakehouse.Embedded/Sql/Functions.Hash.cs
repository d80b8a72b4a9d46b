namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Spark's <c>hash(cols...)</c>: Murmur3 x86_32 with seed 42, each column's result the seed of the next, nulls
/// skipped; values hashed in Spark's encoding (int-like types as 4 bytes, longs and timestamps in microseconds as 8,
/// doubles by their bits, strings as UTF-8 bytes, decimals of precision ≤ 18 by their unscaled long, arrays and
/// structs element by element). The steps are C# functions on the connection (<c>SparkScalarFunctions</c>).
/// </summary>
internal static partial class Functions
{
    private static SqlExpr Hash(ExpressionTranslator tx, List<SqlExpr> a)
    {
        var seed = "CAST(42 AS INTEGER)";
        foreach (var arg in a)
        {
            seed = HashStep(arg.Sql, tx.TypeOf(arg.Sql) ?? throw Errors.Unsupported("hash", "hash() of an expression whose type cannot be determined"), seed);
        }

        return new SqlExpr(seed, $"hash({string.Join(", ", a.Select(x => x.Name))})");
    }

    private static string HashStep(string value, string type, string seed)
    {
        switch (type)
        {
            case "\"NULL\"" or "NULL":
                return seed;
            case "TINYINT" or "SMALLINT" or "INTEGER":
                return $"spark_hash_int(CAST({value} AS INTEGER), {seed})";
            case "BOOLEAN":
                return $"spark_hash_int(CAST({value} AS INTEGER), {seed})";
            case "DATE":
                return $"spark_hash_int(CAST({value} - DATE '1970-01-01' AS INTEGER), {seed})";
            case "BIGINT":
                return $"spark_hash_long({value}, {seed})";
            case "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP":
                return $"spark_hash_long(epoch_us({value}), {seed})";
            case "DOUBLE":
                return $"spark_hash_double({value}, {seed})";
            case "FLOAT":
                return $"spark_hash_float({value}, {seed})";
            case "VARCHAR":
                return $"spark_hash_string({value}, {seed})";
        }

        if (Decimal(type) is { } d && IsDecimalType(type) && d.Precision <= 18)
        {
            return $"spark_hash_long(CAST({value} * CAST(1{new string('0', d.Scale)} AS BIGINT) AS BIGINT), {seed})";
        }

        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            var element = HashStep("x", type[..^2], "acc");
            // A NULL array leaves the seed as it is, like an empty one.
            return $"list_reduce(coalesce({value}, []), lambda acc, x: {element}, {seed})";
        }

        throw Errors.Unsupported("hash", $"hash() of a {type} value");
    }
}
