using Apache.Arrow;
using Lakehouse.Delta;
using Lakehouse.Delta.Schema;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Embedded.Tests;

/// <summary>Tables with column mapping (physical names in files and partition values) read with their logical names.</summary>
public sealed class ColumnMappingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ReadDelta_ColumnMappingNamePartitioned_UsesLogicalNames()
    {
        using var dir = new TempDirectory("embedded");
        var path = Path.Combine(dir.Path, "cm");
        var table = DeltaTable.ForPath(path);
        var schema = new StructType([new StructField("id", PrimitiveType.Long), new StructField("day", PrimitiveType.String)]);
        table.Create(schema, ["day"], new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name" });
        var arrowSchema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("id").DataType(Apache.Arrow.Types.Int64Type.Default))
            .Field(f => f.Name("day").DataType(Apache.Arrow.Types.StringType.Default))
            .Build();
        var batch = new RecordBatch(arrowSchema,
            [new Int64Array.Builder().AppendRange([1, 2, 3]).Build(), new StringArray.Builder().Append("d1").Append("d2").Append("d2").Build()], 3);
        await table.AppendAsync([batch]);
        var snapshot = table.Snapshot();
        Assert.NotEqual("id", snapshot.Schema["id"].PhysicalName(snapshot.ColumnMapping));

        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Delta(path).Filter(Col("day") == "d2").OrderBy(Col("id")).CollectAsync();
        Assert.Equal(["id", "day"], rows[0].Columns);
        Assert.Equal([2L, 3L], rows.Select(r => r.Get<long>("id")));
        Assert.All(rows, r => Assert.Equal("d2", r["day"]));

        // Appends through the engine keep using the physical names.
        await spark.Read.Delta(path).Filter(Col("id") == 1).WithColumn("id", Lit(4L)).Write.Format("delta").Mode("append").SaveAsync(path);
        var all = await spark.Read.Delta(path).Filter(Col("day") == "d1").OrderBy(Col("id")).CollectAsync();
        Assert.Equal([1L, 4L], all.Select(r => r.Get<long>("id")));
    }
}
