using System.Text.Json.Nodes;
using Apache.Arrow;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Writing onto tables Apache Spark wrote (the conformance copies), as a job would after Spark created them.</summary>
public sealed class SparkTableWriteTests
{
    private const string Table = "data-skipping-basic-stats-all-types";

    [Fact]
    public async Task AppendAsync_SparkTableWithColumnsMissingFromData_MissingNullableColumnsWrittenAsNull()
    {
        using var copy = TableCopy.Of(Table);
        var path = copy.Path;
        var table = DeltaTable.ForPath(path);
        var batch = new RecordBatch.Builder()
            .Append("as_int", true, new Int32Array.Builder().Append(7).Build())
            .Append("as_string", true, new StringArray.Builder().Append("seven").Build())
            .Build();

        var result = await table.AppendAsync([batch]);

        var snapshot = table.Snapshot();
        Assert.Equal(1, result.Version);
        var added = snapshot.Files.Single(f => TestData.Commit(path, 1).Any(a => a.Add?.Path == f.Path));
        var stats = JsonNode.Parse(added.Stats!)!;
        Assert.Equal(1, stats["nullCount"]!["as_long"]!.GetValue<long>());
        Assert.Equal(0, stats["nullCount"]!["as_int"]!.GetValue<long>());
        Assert.Equal("seven", stats["minValues"]!["as_string"]!.GetValue<string>());
        // Spark's schema is untouched: no metaData in the append.
        Assert.DoesNotContain(TestData.Commit(path, 1), a => a.Metadata is not null);
    }

    [Fact]
    public async Task DeleteAsync_SparkWrittenFiles_KeptRowsMatchExpectedJson()
    {
        using var copy = TableCopy.Of("data-reader-primitives");
        var path = copy.Path;
        var table = DeltaTable.ForPath(path);

        await table.DeleteAsync("as_int < 5");

        // Independent expectation: the rows of expected.json where as_int is null or at least 5 (a null comparison keeps the row).
        var expected = ConformanceData.Expected("data-reader-primitives")["rows"]!.AsArray()
            .Where(r => r![0] is null || r[0]!.GetValue<int>() >= 5)
            .Select(r => (Int: r![0]?.GetValue<int>(), Binary: r[8]?.GetValue<string>()))
            .OrderBy(r => r.Int).ToList();
        var actual = new List<(int?, string?)>();
        foreach (var file in table.Snapshot().Files)
        {
            var (_, _, leaves) = await ParquetReadBack.ReadAsync(TablePaths.ResolveDataFile(path, file.Path));
            var ints = Expand(leaves["as_int"], v => (int)v);
            var binaries = Expand(leaves["as_binary"], v => Convert.ToBase64String(((ReadOnlyMemory<byte>)v).ToArray()));
            actual.AddRange(ints.Zip(binaries, (i, b) => (i is null ? (int?)null : (int)i, (string?)b)));
        }

        Assert.Equal(expected, actual.OrderBy(r => r.Item1).ToList());
    }

    private static List<object?> Expand(ParquetReadBack.Leaf leaf, Func<object, object> convert)
    {
        var values = new Queue<object>(leaf.Values);
        return leaf.Definitions.Select(d => d == leaf.Field.MaxDefinitionLevel ? convert(values.Dequeue()) : null).ToList();
    }
}
