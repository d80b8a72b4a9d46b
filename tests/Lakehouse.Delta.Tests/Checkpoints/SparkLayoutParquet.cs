using Lakehouse.Delta.Actions;
using Parquet;
using Parquet.Schema;

namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary>
/// Writes small checkpoint-shaped Parquet files the way Spark lays them out (PROTOCOL.md, Checkpoint Schema:
/// one optional struct per action, optional fields, maps as key_value with a required key, lists as
/// list/element), independently of the library's writer. Only the columns a test needs are written, which
/// also exercises the reader's tolerance of absent columns.
/// </summary>
internal static class SparkLayoutParquet
{
    public static byte[] Write(IReadOnlyList<DeltaAction> rows, params string[] columns)
    {
        var leaves = new List<(DataField Field, Func<DeltaAction, IEnumerable<(int Def, int Rep, object? Value)>> Levels)>();
        var fields = new List<Field>();

        DataField Leaf(string name, Type type, bool nullable, Func<DeltaAction, IEnumerable<(int, int, object?)>> levels)
        {
            var f = new DataField(name, type, nullable);
            leaves.Add((f, levels));
            return f;
        }

        // Levels of a field directly inside a top-level action struct: 0 = no action, 1 = null, 2 = value.
        static IEnumerable<(int, int, object?)> Scalar(object? action, object? value) =>
            [action is null ? (0, 0, null) : value is null ? (1, 0, null) : (2, 0, value)];

        // A map at definition level `map` (its parent structs present at map-1).
        static IEnumerable<(int, int, object?)> Map(int parentDef, int map, IEnumerable<KeyValuePair<string, string?>>? entries, bool key)
        {
            if (entries is null)
            {
                return [(parentDef, 0, null)];
            }

            var list = entries.ToList();
            if (list.Count == 0)
            {
                return [(map, 0, null)];
            }

            return list.Select((kv, i) => key
                ? (map + 1, i == 0 ? 0 : 1, (object?)kv.Key)
                : kv.Value is null ? (map + 1, i == 0 ? 0 : 1, null) : (map + 2, i == 0 ? 0 : 1, kv.Value));
        }

        static IEnumerable<KeyValuePair<string, string?>>? Pairs(IReadOnlyDictionary<string, string>? d) =>
            d?.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value));

        foreach (var column in columns)
        {
            switch (column)
            {
                case "protocol":
                    fields.Add(new StructField("protocol",
                        Leaf("minReaderVersion", typeof(int), true, a => Scalar(a.Protocol, a.Protocol?.MinReaderVersion)),
                        Leaf("minWriterVersion", typeof(int), true, a => Scalar(a.Protocol, a.Protocol?.MinWriterVersion))));
                    break;
                case "metaData":
                    fields.Add(new StructField("metaData",
                        Leaf("id", typeof(string), true, a => Scalar(a.Metadata, a.Metadata?.Id)),
                        new StructField("format",
                            Leaf("provider", typeof(string), true, a => [a.Metadata is null ? (0, 0, null) : (3, 0, a.Metadata.Format.Provider)])),
                        Leaf("schemaString", typeof(string), true, a => Scalar(a.Metadata, a.Metadata?.SchemaString)),
                        new ListField("partitionColumns", Leaf("element", typeof(string), true, a =>
                            a.Metadata is null ? [(0, 0, null)]
                            : a.Metadata.PartitionColumns.Count == 0 ? [(2, 0, null)]
                            : a.Metadata.PartitionColumns.Select((p, i) => (4, i == 0 ? 0 : 1, (object?)p)))),
                        new MapField("configuration",
                            Leaf("key", typeof(string), false, a => Map(a.Metadata is null ? 0 : 1, 2, Pairs(a.Metadata?.Configuration), key: true)),
                            Leaf("value", typeof(string), true, a => Map(a.Metadata is null ? 0 : 1, 2, Pairs(a.Metadata?.Configuration), key: false)))));
                    break;
                case "add":
                    fields.Add(new StructField("add",
                        Leaf("path", typeof(string), true, a => Scalar(a.Add, a.Add?.Path)),
                        new MapField("partitionValues",
                            Leaf("key", typeof(string), false, a => Map(a.Add is null ? 0 : 1, 2, a.Add?.PartitionValues, key: true)),
                            Leaf("value", typeof(string), true, a => Map(a.Add is null ? 0 : 1, 2, a.Add?.PartitionValues, key: false))),
                        Leaf("size", typeof(long), true, a => Scalar(a.Add, a.Add?.Size)),
                        Leaf("modificationTime", typeof(long), true, a => Scalar(a.Add, a.Add?.ModificationTime)),
                        Leaf("dataChange", typeof(bool), true, a => Scalar(a.Add, a.Add?.DataChange)),
                        Leaf("stats", typeof(string), true, a => Scalar(a.Add, a.Add?.Stats))));
                    break;
                case "checkpointMetadata":
                    fields.Add(new StructField("checkpointMetadata",
                        Leaf("version", typeof(long), true, a => Scalar(a.CheckpointMetadata, a.CheckpointMetadata?.Version))));
                    break;
                case "sidecar":
                    fields.Add(new StructField("sidecar",
                        Leaf("path", typeof(string), true, a => Scalar(a.Sidecar, a.Sidecar?.Path)),
                        Leaf("sizeInBytes", typeof(long), true, a => Scalar(a.Sidecar, a.Sidecar?.SizeInBytes)),
                        Leaf("modificationTime", typeof(long), true, a => Scalar(a.Sidecar, a.Sidecar?.ModificationTime))));
                    break;
                default:
                    throw new ArgumentException($"unsupported column {column}", nameof(columns));
            }
        }

        var schema = new ParquetSchema(fields);
        using var buffer = new MemoryStream();
        WriteAsync(schema, leaves, rows, buffer).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    private static async Task WriteAsync(
        ParquetSchema schema,
        List<(DataField Field, Func<DeltaAction, IEnumerable<(int Def, int Rep, object? Value)>> Levels)> leaves,
        IReadOnlyList<DeltaAction> rows,
        Stream output)
    {
        await using var writer = await ParquetWriter.CreateAsync(schema, output);
        using var group = writer.CreateRowGroup();
        foreach (var (field, levels) in leaves)
        {
            var slots = rows.SelectMany(levels).ToList();
            var def = slots.Select(s => s.Def).ToArray();
            int[]? rep = field.MaxRepetitionLevel > 0 ? slots.Select(s => s.Rep).ToArray() : null;
            var values = slots.Where(s => s.Value is not null).Select(s => s.Value!).ToList();
            if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
            {
                await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, values.Select(v => ((string)v).AsMemory()).ToArray(), def, rep, CancellationToken.None);
            }
            else if (field.ClrType == typeof(long))
            {
                await group.WriteAllPartsAsync<long>(field, values.Select(v => (long)v).ToArray(), def, rep, CancellationToken.None);
            }
            else if (field.ClrType == typeof(int))
            {
                await group.WriteAllPartsAsync<int>(field, values.Select(v => (int)v).ToArray(), def, rep, CancellationToken.None);
            }
            else
            {
                await group.WriteAllPartsAsync<bool>(field, values.Select(v => (bool)v).ToArray(), def, rep, CancellationToken.None);
            }
        }

        group.CompleteValidate();
    }
}
