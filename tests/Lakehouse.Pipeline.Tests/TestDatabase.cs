using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Tests;

/// <summary>
/// A session plus a private namespace of tables: <c>silver.orders</c> becomes <c>t1a2b…_silver.orders</c> in the
/// engine's warehouse, so tests run in parallel without sharing tables. Disposing drops the databases' directories.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _warehouse;

    private TestDatabase(SparkSession spark, string warehouse)
    {
        Spark = spark;
        _warehouse = warehouse;
    }

    public SparkSession Spark { get; }

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<TestDatabase> CreateAsync()
    {
        var spark = await LocalSpark.SessionAsync();
        var warehouse = await spark.Conf.GetAsync("spark.sql.warehouse.dir") ?? throw new InvalidOperationException("The engine reports no warehouse.");
        return new TestDatabase(spark, warehouse);
    }

    /// <summary>The physical name of a logical table such as <c>silver.orders</c>.</summary>
    public string Name(string logical)
    {
        var dot = logical.IndexOf('.', StringComparison.Ordinal);
        return $"{Prefix}_{logical[..dot]}.{logical[(dot + 1)..]}";
    }

    public DataFrame Table(string logical) => Spark.Table(Name(logical));

    /// <summary>
    /// Writes <paramref name="rows"/> as the Delta table <paramref name="logical"/>; <paramref name="columns"/> names
    /// each property's column in order, optionally with a type (<c>"amount:decimal(12,2)"</c>).
    /// </summary>
    public async Task WriteAsync<T>(string logical, IEnumerable<T> rows, params string[] columns)
    {
        await PathTables.Frame(Spark, rows, columns).Write.Format("delta").Mode(SaveMode.Overwrite).SaveAsTableAsync(Name(logical));
    }

    public async ValueTask DisposeAsync()
    {
        await Spark.DisposeAsync();
        foreach (var dir in Directory.Exists(_warehouse) ? Directory.GetDirectories(_warehouse, Prefix + "_*") : [])
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
