using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Delta.Data;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Transactions;
using DeltaField = Lakehouse.Delta.Schema.StructField;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class PartitionedWriteTests
{
    public static TheoryData<string, IArrowArray, string?[]> PartitionColumns() => new()
    {
        { "integer", new Int32Array.Builder().Append(-7).AppendNull().Append(int.MaxValue).Build(), ["-7", null, "2147483647"] },
        { "long", new Int64Array.Builder().Append(1L << 40).AppendNull().Append(0).Build(), ["1099511627776", null, "0"] },
        { "short", new Int16Array.Builder().Append(-1).AppendNull().Append(300).Build(), ["-1", null, "300"] },
        { "byte", new Int8Array.Builder().Append(-128).AppendNull().Append(5).Build(), ["-128", null, "5"] },
        { "boolean", new BooleanArray.Builder().Append(true).AppendNull().Append(false).Build(), ["true", null, "false"] },
        { "float", new FloatArray.Builder().Append(1.5f).AppendNull().Append(-2f).Build(), ["1.5", null, "-2.0"] },
        { "double", new DoubleArray.Builder().Append(0.25).AppendNull().Append(1e10).Build(), ["0.25", null, "1.0E10"] },
        { "string", new StringArray.Builder().Append("a/b=c d%e:f").AppendNull().Append("ü#?").Build(), ["a/b=c d%e:f", null, "ü#?"] },
        { "date", new Date32Array.Builder().Append(new DateOnly(2024, 2, 29)).AppendNull().Append(new DateOnly(1900, 1, 1)).Build(), ["2024-02-29", null, "1900-01-01"] },
        { "timestamp", new TimestampArray.Builder(TestData.UtcMicros).Append(new DateTimeOffset(2021, 9, 8, 11, 11, 11, TimeSpan.Zero)).AppendNull()
            .Append(new DateTimeOffset(2021, 9, 8, 11, 11, 11, TimeSpan.Zero).AddTicks(1230)).Build(), ["2021-09-08 11:11:11", null, "2021-09-08 11:11:11.000123"] },
        { "decimal", new Decimal128Array.Builder(new Decimal128Type(5, 2)).Append(-1.5m).AppendNull().Append(123.45m).Build(), ["-1.50", null, "123.45"] },
    };

    [Theory]
    [MemberData(nameof(PartitionColumns))]
    public async Task Append_PartitionedByType_ValuesInLogAndHiveDirectories(string type, IArrowArray partition, string?[] expected)
    {
        using var dir = new TempDirectory("partitioned-" + type);
        var batch = new RecordBatch.Builder()
            .Append("id", false, new Int64Array.Builder().Append(0).Append(1).Append(2).Build())
            .Append("p", true, partition)
            .Build();
        var table = DeltaTable.ForPath(dir.Path);
        var schema = ArrowSchemaMapper.ToDelta(batch.Schema);
        table.Create(schema, ["p"]);

        await table.AppendAsync([batch]);

        var files = table.Snapshot().Files.ToList();
        Assert.Equal(3, files.Count);
        Assert.Equal(expected.OrderBy(v => v, StringComparer.Ordinal), files.Select(f => f.PartitionValues["p"]).OrderBy(v => v, StringComparer.Ordinal));
        foreach (var file in files)
        {
            var value = file.PartitionValues["p"];
            // Spark's layout: escaped Hive directory, null as __HIVE_DEFAULT_PARTITION__, then the whole path URI-encoded in the log.
            var directory = "p=" + (value is null ? PartitionValues.HiveDefaultPartition : PartitionValues.EscapePathName(value));
            var onDisk = Path.Combine(dir.Path, directory, Path.GetFileName(Uri.UnescapeDataString(file.Path)));
            Assert.True(File.Exists(onDisk), onDisk);
            Assert.Equal(Storage.TablePaths.ResolveDataFile(dir.Path, file.Path), onDisk);
            if (value == "ü#?")
            {
                // As Spark writes it: Hive-escaped '#' and '?', then '%' URI-encoded; the non-ASCII letter kept.
                Assert.StartsWith("p=ü%2523%253F/", file.Path);
            }
            var (parquetSchema, _, _) = await ParquetReadBack.ReadAsync(onDisk);
            Assert.Equal(["id"], parquetSchema.Fields.Select(f => f.Name));
            Assert.Equal(1, System.Text.Json.JsonDocument.Parse(file.Stats!).RootElement.GetProperty("numRecords").GetInt64());
        }
    }

    [Fact]
    public async Task OverwriteReplaceWhere_MatchingPartitionsReplacedOthersKept()
    {
        using var dir = new TempDirectory("replace-where");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        await table.AppendAsync([TestData.Ids(0, 2, "a"), TestData.Ids(10, 3, "b")]);

        var result = await table.OverwriteAsync([TestData.Ids(100, 4, "a")], new WriteOptions { ReplaceWhere = "part = 'a'" });

        var snapshot = table.Snapshot();
        Assert.Equal(2, result.Version);
        Assert.Equal(7, TestData.RowCount(snapshot));
        Assert.Equal(["a", "b"], snapshot.Files.Select(f => f.PartitionValues["part"]).Order());
        var commitInfo = TestData.Commit(dir.Path, 2)[0].CommitInfo!;
        Assert.False(commitInfo.IsBlindAppend);
        Assert.Equal("[\"part = 'a'\"]", commitInfo.OperationParameters!["predicate"]);
        Assert.Equal("1", commitInfo.OperationMetrics!["numRemovedFiles"]);
    }

    [Fact]
    public async Task OverwriteReplaceWhere_RowOutsidePredicate_RejectedAndNothingCommitted()
    {
        using var dir = new TempDirectory("replace-where-bad");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);

        var error = await Assert.ThrowsAsync<DeltaException>(() =>
            table.OverwriteAsync([TestData.Ids(0, 1, "a"), TestData.Ids(0, 1, "z")], new WriteOptions { ReplaceWhere = "part = 'a'" }));

        Assert.Equal(DeltaErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("part=z", error.Message);
        Assert.Equal(0, table.Snapshot().Version);
    }

    [Fact]
    public async Task OverwriteReplaceWhere_DataColumnPredicate_Rejected()
    {
        using var dir = new TempDirectory("replace-where-data");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);

        var error = await Assert.ThrowsAsync<DeltaException>(() => table.OverwriteAsync([TestData.Ids(0, 1, "a")], new WriteOptions { ReplaceWhere = "id > 3" }));

        Assert.Contains("'id'", error.Message.Replace("refers to id", "refers to 'id'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overwrite_WholeTable_RemovesEveryFile()
    {
        using var dir = new TempDirectory("overwrite");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 5)]);

        await table.OverwriteAsync([TestData.Ids(50, 2)]);

        var snapshot = table.Snapshot();
        Assert.Equal(2, TestData.RowCount(snapshot));
        Assert.Single(snapshot.Tombstones);
    }

    [Fact]
    public async Task Append_MaxRowsPerFile_SplitsFiles()
    {
        using var dir = new TempDirectory("split");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);

        await table.AppendAsync([TestData.Ids(0, 10)], new WriteOptions { MaxRowsPerFile = 4 });

        var files = table.Snapshot().Files.ToList();
        Assert.Equal(3, files.Count);
        Assert.Equal(10, TestData.RowCount(table.Snapshot()));
        Assert.Equal(3, files.Select(f => f.Path[..10]).Distinct().Count());
    }

    [Fact]
    public async Task Append_TargetFileSize_SplitsByEstimatedSize()
    {
        using var dir = new TempDirectory("target-size");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);

        // 100 rows of a long (8 bytes) and a one-character string (1 byte + 4 bytes offset): about 13 bytes a row, 2 KB in all.
        await table.AppendAsync([TestData.Ids(0, 100)], new WriteOptions { TargetFileSize = 400 });

        var snapshot = table.Snapshot();
        Assert.InRange(snapshot.Files.Count, 3, 10);
        Assert.Equal(100, TestData.RowCount(snapshot));
    }

    [Fact]
    public async Task Append_ExtraColumnWithoutMergeSchema_RejectedNamingTheColumn()
    {
        using var dir = new TempDirectory("schema-mismatch");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        var extra = Extended(TestData.Ids(0, 2));

        var error = await Assert.ThrowsAsync<DeltaException>(() => table.AppendAsync([extra]));

        Assert.Equal(DeltaErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("note (string)", error.Message);
        Assert.Contains("mergeSchema", error.Message);
    }

    [Fact]
    public async Task Append_MergeSchema_NewNullableColumnAppended()
    {
        using var dir = new TempDirectory("merge-schema");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 1)]);

        await table.AppendAsync([Extended(TestData.Ids(1, 2))], new WriteOptions { MergeSchema = true });

        var snapshot = table.Snapshot();
        Assert.Equal(new DeltaField("note", PrimitiveType.String, true), snapshot.Schema.Fields[2]);
        Assert.NotNull(TestData.Commit(dir.Path, 2).Single(a => a.Metadata is not null).Metadata);
        Assert.Equal(3, TestData.RowCount(snapshot));
    }

    [Fact]
    public async Task Delete_PartitionPredicate_RemovesMatchingFilesOnly()
    {
        using var dir = new TempDirectory("delete-partition");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"]);
        await table.AppendAsync([TestData.Ids(0, 2, "a"), TestData.Ids(10, 3, "b")]);

        await table.DeleteAsync("part = 'a'");

        var snapshot = table.Snapshot();
        Assert.Equal(["b"], snapshot.Files.Select(f => f.PartitionValues["part"]));
        var commitInfo = TestData.Commit(dir.Path, 2)[0].CommitInfo!;
        Assert.Equal("DELETE", commitInfo.Operation);
        Assert.Equal("2", commitInfo.OperationMetrics!["numDeletedRows"]);
    }

    private static RecordBatch Extended(RecordBatch batch)
    {
        var notes = new StringArray.Builder();
        for (var i = 0; i < batch.Length; i++)
        {
            notes.Append("n" + i);
        }

        return new RecordBatch.Builder().Append("id", false, batch.Column(0)).Append("part", true, batch.Column(1)).Append("note", true, notes.Build()).Build();
    }
}
