using System.Text;
using DuckDB.NET.Data;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Scalar functions registered on every session's DuckDB connection, for Spark semantics SQL cannot express:
/// Java's text form of doubles and floats, and the Murmur3 steps of <c>hash()</c> (value, seed) → seed of the next.
/// </summary>
internal static class SparkScalarFunctions
{
    public static void Register(DuckDBConnection connection)
    {
        connection.RegisterScalarFunction<double, string>("spark_double_string", JavaNumberText.Double);
        connection.RegisterScalarFunction<float, string>("spark_float_string", JavaNumberText.Float);
        HashStep<int>(connection, "spark_hash_int", Murmur3.HashInt);
        HashStep<long>(connection, "spark_hash_long", Murmur3.HashLong);
        HashStep<double>(connection, "spark_hash_double", Murmur3.HashDouble);
        HashStep<float>(connection, "spark_hash_float", Murmur3.HashFloat);
        HashStep<string>(connection, "spark_hash_string", (s, seed) => Murmur3.HashBytes(Encoding.UTF8.GetBytes(s), seed));
    }

    /// <summary>A hash step (value, seed) → int; a NULL value leaves the seed unchanged, as Spark skips nulls.</summary>
    private static void HashStep<T>(DuckDBConnection connection, string name, Func<T, int, int> step) =>
        connection.RegisterScalarFunction<T, int, int>(name, (readers, writer, rows) =>
        {
            for (ulong row = 0; row < rows; row++)
            {
                var seed = readers[1].GetValue<int>(row);
                writer.WriteValue(readers[0].IsValid(row) ? step(readers[0].GetValue<T>(row), seed) : seed, row);
            }
        }, new ScalarFunctionOptions { HandlesNulls = true, IsPureFunction = true });
}
