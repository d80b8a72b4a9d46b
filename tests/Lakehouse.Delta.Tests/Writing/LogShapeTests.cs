using System.Text;
using System.Text.Json.Nodes;

namespace Lakehouse.Delta.Tests.Writing;

public sealed class LogShapeTests
{
    private static string[] Lines(string table, long version) =>
        Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(table, "_delta_log", $"{version:D20}.json"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task CreateAndAppend_LogLinesHaveTheSpecsFieldsAndShapes()
    {
        using var dir = new TempDirectory("log-shape");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"], new Dictionary<string, string> { ["owner"] = "me" });
        await table.AppendAsync([TestData.Ids(0, 2, "a b")]);

        var create = Lines(dir.Path, 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["commitInfo", "protocol", "metaData"], create.Select(o => o.Single().Key));
        // PROTOCOL.md, Protocol Evolution: the default protocol of a table without features.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"""), create[1]));
        var metaData = create[2]["metaData"]!.AsObject();
        Assert.Equal(["id", "format", "schemaString", "partitionColumns", "configuration", "createdTime"], metaData.Select(kv => kv.Key));
        Assert.True(Guid.TryParse(metaData["id"]!.GetValue<string>(), out _));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"provider":"parquet","options":{}}"""), metaData["format"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"part","type":"string","nullable":true,"metadata":{}}]}
            """), JsonNode.Parse(metaData["schemaString"]!.GetValue<string>())));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["part"]"""), metaData["partitionColumns"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"owner":"me"}"""), metaData["configuration"]));

        var append = Lines(dir.Path, 1);
        Assert.Equal(2, append.Length);
        var commitInfo = JsonNode.Parse(append[0])!["commitInfo"]!.AsObject();
        Assert.Equal(["timestamp", "operation", "operationParameters", "readVersion", "isolationLevel", "isBlindAppend", "operationMetrics", "engineInfo", "txnId"],
            commitInfo.Select(kv => kv.Key));
        Assert.Equal("WRITE", commitInfo["operation"]!.GetValue<string>());
        // Spark writes parameter values as strings holding JSON: "partitionBy":"[\"part\"]".
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"mode":"Append","partitionBy":"[\"part\"]"}"""), commitInfo["operationParameters"]));
        Assert.Equal(0, commitInfo["readVersion"]!.GetValue<long>());
        Assert.Equal("Serializable", commitInfo["isolationLevel"]!.GetValue<string>());
        Assert.True(commitInfo["isBlindAppend"]!.GetValue<bool>());
        var metrics = commitInfo["operationMetrics"]!.AsObject();
        Assert.Equal("1", metrics["numFiles"]!.GetValue<string>());
        Assert.Equal("2", metrics["numOutputRows"]!.GetValue<string>());

        var add = JsonNode.Parse(append[1])!["add"]!.AsObject();
        Assert.Equal(["path", "partitionValues", "size", "modificationTime", "dataChange", "stats"], add.Select(kv => kv.Key));
        // Hive directory "part=a b", URI-encoded in the log as Spark does ("a%20b").
        Assert.StartsWith("part=a%20b/part-00000-", add["path"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(dir.Path, "part=a b", Path.GetFileName(add["path"]!.GetValue<string>()))));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"part":"a b"}"""), add["partitionValues"]));
        Assert.Equal(new FileInfo(Directory.GetFiles(Path.Combine(dir.Path, "part=a b")).Single()).Length, add["size"]!.GetValue<long>());
        Assert.True(add["dataChange"]!.GetValue<bool>());
        // Partition columns are not in the file, so not in the stats.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"numRecords":2,"minValues":{"id":0},"maxValues":{"id":1},"nullCount":{"id":0}}"""),
            JsonNode.Parse(add["stats"]!.GetValue<string>())));
        // The stats string is escaped like Spark's (\"), not with \u0022.
        Assert.Contains("\"stats\":\"{\\\"numRecords\\\":2", append[1]);
    }

    [Fact]
    public async Task AppendWithAppIdThenOverwrite_TxnAndRemoveLinesHaveTheSpecsFieldsAndShapes()
    {
        using var dir = new TempDirectory("log-shape-remove");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var table = DeltaTable.ForStore(new Storage.LocalLogStore(dir.Path), new FixedClock(now));
        table.Create(TestData.IdPartSchema, ["part"]);
        await table.AppendAsync([TestData.Ids(0, 2, "a")], new Transactions.WriteOptions { AppId = "job-7", AppVersion = 3 });
        await table.OverwriteAsync([TestData.Ids(5, 1, "b")]);

        var append = Lines(dir.Path, 1).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["commitInfo", "txn", "add"], append.Select(o => o.Single().Key));
        // PROTOCOL.md, Transaction Identifiers: appId, version and the optional lastUpdated in milliseconds.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"txn":{"appId":"job-7","version":3,"lastUpdated":1700000000123}}"""), append[1]), append[1].ToJsonString());
        var add = append[2]["add"]!.AsObject();

        var overwrite = Lines(dir.Path, 2).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["commitInfo", "remove", "add"], overwrite.Select(o => o.Single().Key));
        var commitInfo = overwrite[0]["commitInfo"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"mode":"Overwrite","partitionBy":"[\"part\"]"}"""), commitInfo["operationParameters"]));
        Assert.False(commitInfo["isBlindAppend"]!.GetValue<bool>());
        Assert.Equal(1, commitInfo["readVersion"]!.GetValue<long>());
        Assert.Equal(1_700_000_000_123, commitInfo["timestamp"]!.GetValue<long>());
        // PROTOCOL.md, Add File and Remove File: the remove names the add's path, carries its partition values, size and
        // stats (extendedFileMetadata = true says they are there) and the deletion time that vacuum's retention starts from.
        var expected = new JsonObject
        {
            ["path"] = add["path"]!.DeepClone(),
            ["deletionTimestamp"] = 1_700_000_000_123,
            ["dataChange"] = true,
            ["extendedFileMetadata"] = true,
            ["partitionValues"] = add["partitionValues"]!.DeepClone(),
            ["size"] = add["size"]!.DeepClone(),
            ["stats"] = add["stats"]!.DeepClone(),
        };
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["remove"] = expected }, overwrite[1]), overwrite[1].ToJsonString());
        Assert.StartsWith("part=b/", overwrite[2]["add"]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void Create_TimestampNtzColumn_ProtocolThreeSevenWithFeature()
    {
        using var dir = new TempDirectory("ntz");
        var schema = new Schema.StructType([new Schema.StructField("t", Schema.PrimitiveType.TimestampNtz)]);
        DeltaTable.ForPath(dir.Path).Create(schema);

        var protocol = JsonNode.Parse(Lines(dir.Path, 0)[1])!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz"],"writerFeatures":["appendOnly","invariants","timestampNtz"]}}
            """), protocol), protocol.ToJsonString());
    }

    [Fact]
    public async Task Create_ColumnMappingName_ProtocolTwoFiveAndPhysicalNamesInParquet()
    {
        using var dir = new TempDirectory("colmap");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, properties: new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name" });
        await table.AppendAsync([TestData.Ids(0, 1)]);

        var snapshot = table.Snapshot();
        Assert.Equal((2, 5), (snapshot.Protocol.MinReaderVersion, snapshot.Protocol.MinWriterVersion));
        Assert.Equal("2", snapshot.Metadata.Configuration["delta.columnMapping.maxColumnId"]);
        var physical = snapshot.Schema.Fields.Select(f => f.PhysicalName(Schema.ColumnMappingMode.Name)).ToList();
        Assert.All(physical, p => Assert.StartsWith("col-", p));
        var (schema, meta, _) = await ParquetReadBack.ReadAsync(Path.Combine(dir.Path, snapshot.Files.Single().Path));
        Assert.Equal(physical, schema.Fields.Select(f => f.Name));
        Assert.Equal([1, 2], meta.Schema.Skip(1).Select(e => e.FieldId));
        Assert.Contains($"\"{physical[0]}\":0", snapshot.Files.Single().Stats);
    }

    [Fact]
    public async Task ColumnMappingPartitioned_PartitionValuesKeyedByPhysicalNameAndDeleteFindsThem()
    {
        using var dir = new TempDirectory("colmap-partitioned");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema, ["part"], new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name" });
        await table.AppendAsync([TestData.Ids(0, 1, "a"), TestData.Ids(1, 1, "b")]);
        var physical = table.Snapshot().Schema["part"].PhysicalName(Schema.ColumnMappingMode.Name);

        await table.DeleteAsync("part = 'a'");

        var file = Assert.Single(table.Snapshot().Files);
        // PROTOCOL.md, Column Mapping: "partitionValues … keys are the physical names".
        Assert.Equal([physical], file.PartitionValues.Keys);
        Assert.Equal("b", file.PartitionValues[physical]);
    }
}
