using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Reading;

/// <summary>Writes small Delta tables by hand (log JSON as PROTOCOL.md shows it, data files with Parquet.Net).</summary>
internal static class TestTables
{
    public static JsonObject Protocol(int reader = 1, int writer = 2, string[]? readerFeatures = null, string[]? writerFeatures = null)
    {
        var p = new JsonObject { ["minReaderVersion"] = reader, ["minWriterVersion"] = writer };
        if (readerFeatures is not null)
        {
            p["readerFeatures"] = new JsonArray(readerFeatures.Select(f => (JsonNode)f).ToArray());
        }

        if (writerFeatures is not null)
        {
            p["writerFeatures"] = new JsonArray(writerFeatures.Select(f => (JsonNode)f).ToArray());
        }

        return new JsonObject { ["protocol"] = p };
    }

    public static JsonObject Metadata(JsonObject schema, string[]? partitionColumns = null, Dictionary<string, string>? configuration = null) => new()
    {
        ["metaData"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["format"] = new JsonObject { ["provider"] = "parquet", ["options"] = new JsonObject() },
            ["schemaString"] = schema.ToJsonString(),
            ["partitionColumns"] = new JsonArray((partitionColumns ?? []).Select(c => (JsonNode)c).ToArray()),
            ["configuration"] = new JsonObject((configuration ?? []).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["createdTime"] = 1700000000000,
        },
    };

    /// <summary>A struct schema of (name, type, metadata) fields, all nullable.</summary>
    public static JsonObject Schema(params (string Name, JsonNode Type, JsonObject? Metadata)[] fields) => new()
    {
        ["type"] = "struct",
        ["fields"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["type"] = f.Type.DeepClone(),
            ["nullable"] = true,
            ["metadata"] = f.Metadata ?? new JsonObject(),
        }).ToArray()),
    };

    public static JsonObject Add(string path, Dictionary<string, string?>? partitionValues = null, string? stats = null, JsonObject? deletionVector = null)
    {
        var add = new JsonObject
        {
            ["path"] = path,
            ["partitionValues"] = new JsonObject((partitionValues ?? []).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["size"] = 1,
            ["modificationTime"] = 1700000000000,
            ["dataChange"] = true,
        };
        if (stats is not null)
        {
            add["stats"] = stats;
        }

        if (deletionVector is not null)
        {
            add["deletionVector"] = deletionVector;
        }

        return new JsonObject { ["add"] = add };
    }

    /// <summary>Writes commit <paramref name="version"/> of the table at <paramref name="tablePath"/>.</summary>
    public static void Commit(string tablePath, long version, params JsonObject[] actions)
    {
        var log = Path.Combine(tablePath, "_delta_log");
        Directory.CreateDirectory(log);
        File.WriteAllLines(Path.Combine(log, $"{version:D20}.json"), actions.Select(a => a.ToJsonString()));
    }

    /// <summary>Writes a Parquet file with one nullable long column, one row group per entry of <paramref name="rowGroups"/>.</summary>
    public static void WriteLongs(string path, string column, params long?[][] rowGroups) =>
        WriteLongs(path, new DataField<long?>(column), rowGroups);

    /// <summary>Writes a Parquet file with one long column described by <paramref name="field"/> (name, field id).</summary>
    public static void WriteLongs(string path, DataField field, params long?[][] rowGroups)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(field), stream).GetAwaiter().GetResult();
        foreach (var values in rowGroups)
        {
            using var group = writer.CreateRowGroup();
            group.WriteAsync<long>(field, values.AsMemory(), null, null, default).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
