using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Tests;

/// <summary>
/// Delta tables of the test's own, addressed by path under a temp directory (<c>silver.orders</c> →
/// <c>&lt;temp&gt;/silver/orders</c>), as the pipeline addresses its tables; the session is the shared embedded engine.
/// </summary>
internal sealed class PathTables : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("tables");

    private PathTables(SparkSession spark) => Spark = spark;

    public SparkSession Spark { get; }

    public static async Task<PathTables> CreateAsync() => new(await LocalSpark.SessionAsync());

    public string Path(string table) => _dir.Combine(table.Split('.'));

    public DataFrame Read(string table) => Spark.Read.Format("delta").Load(Path(table));

    /// <summary>Writes (replaces) <paramref name="table"/>; <paramref name="columns"/> names each property's column in
    /// order, optionally with a type (<c>"amount:decimal(12,2)"</c>).</summary>
    public Task WriteAsync<T>(string table, IEnumerable<T> rows, params string[] columns) =>
        Frame(Spark, rows, columns).Write.Format("delta").Mode(SaveMode.Overwrite).SaveAsync(Path(table));

    public static DataFrame Frame<T>(SparkSession spark, IEnumerable<T> rows, string[] columns)
    {
        var properties = typeof(T).GetProperties();
        Assert.Equal(properties.Length, columns.Length);
        var select = properties.Select((p, i) =>
        {
            var parts = columns[i].Split(':', 2);
            var column = Col(p.Name);
            return (parts.Length == 2 ? column.Cast(parts[1]) : column).Alias(parts[0]);
        }).ToArray();
        return spark.CreateDataFrame(rows).Select(select);
    }

    public async ValueTask DisposeAsync()
    {
        await Spark.DisposeAsync();
        _dir.Dispose();
    }
}
