using Lakehouse.Delta.Actions;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>
/// Turns the rows of a checkpoint row group into actions (PROTOCOL.md, Checkpoint Schema): each row holds one
/// action, in the column named after its kind. A struct counts as present when its required key field is set
/// (<c>add.path</c>, <c>metaData.id</c>, …), which is how every writer marks the action of a row.
/// </summary>
internal static class CheckpointRowDecoder
{
    private static readonly Dictionary<string, string?> NoPartitions = new(StringComparer.Ordinal);

    /// <summary>Appends the row group's actions to <paramref name="into"/>; only add/remove when <paramref name="fileActionsOnly"/> (sidecars).</summary>
    public static void Decode(ParquetRowGroupColumns c, bool fileActionsOnly, List<DeltaAction> into)
    {
        var actions = new DeltaAction?[c.RowCount];
        if (c.Has("add"))
        {
            DecodeAdds(c, actions);
        }

        if (c.Has("remove"))
        {
            DecodeRemoves(c, actions);
        }

        if (!fileActionsOnly)
        {
            DecodeOthers(c, actions);
        }

        foreach (var a in actions)
        {
            if (a is not null)
            {
                into.Add(a);
            }
        }
    }

    private static void DecodeAdds(ParquetRowGroupColumns c, DeltaAction?[] actions)
    {
        var path = c.Strings("add", "path");
        if (Array.TrueForAll(path, p => p is null))
        {
            return;
        }

        var pv = c.Maps("add", "partitionValues");
        var size = c.Longs("add", "size");
        var mtime = c.Longs("add", "modificationTime");
        var dataChange = c.Bools("add", "dataChange");
        var stats = c.Strings("add", "stats");
        var tags = c.Maps("add", "tags");
        var dv = DeletionVectors(c, "add");
        var baseRowId = c.Longs("add", "baseRowId");
        var rowCommit = c.Longs("add", "defaultRowCommitVersion");
        var clustering = c.Strings("add", "clusteringProvider");
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] is not { } p)
            {
                continue;
            }

            actions[i] = new DeltaAction
            {
                Add = new AddFile
                {
                    Path = p,
                    PartitionValues = pv[i] ?? NoPartitions,
                    Size = size[i] ?? 0,
                    ModificationTime = mtime[i] ?? 0,
                    DataChange = dataChange[i] ?? false,
                    Stats = stats[i],
                    Tags = Tags(tags[i]),
                    DeletionVector = dv(i),
                    BaseRowId = baseRowId[i],
                    DefaultRowCommitVersion = rowCommit[i],
                    ClusteringProvider = clustering[i],
                },
            };
        }
    }

    private static void DecodeRemoves(ParquetRowGroupColumns c, DeltaAction?[] actions)
    {
        var path = c.Strings("remove", "path");
        if (Array.TrueForAll(path, p => p is null))
        {
            return;
        }

        var deletion = c.Longs("remove", "deletionTimestamp");
        var dataChange = c.Bools("remove", "dataChange");
        var extended = c.Bools("remove", "extendedFileMetadata");
        var pv = c.Maps("remove", "partitionValues");
        var size = c.Longs("remove", "size");
        var stats = c.Strings("remove", "stats");
        var tags = c.Maps("remove", "tags");
        var dv = DeletionVectors(c, "remove");
        var baseRowId = c.Longs("remove", "baseRowId");
        var rowCommit = c.Longs("remove", "defaultRowCommitVersion");
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] is not { } p)
            {
                continue;
            }

            actions[i] = new DeltaAction
            {
                Remove = new RemoveFile
                {
                    Path = p,
                    DeletionTimestamp = deletion[i],
                    DataChange = dataChange[i] ?? false,
                    ExtendedFileMetadata = extended[i],
                    PartitionValues = pv[i] ?? (extended[i] == true ? NoPartitions : null),
                    Size = size[i],
                    Stats = stats[i],
                    Tags = Tags(tags[i]),
                    DeletionVector = dv(i),
                    BaseRowId = baseRowId[i],
                    DefaultRowCommitVersion = rowCommit[i],
                },
            };
        }
    }

    private static Func<int, DeletionVectorDescriptor?> DeletionVectors(ParquetRowGroupColumns c, string action)
    {
        var type = c.Strings(action, "deletionVector", "storageType");
        if (Array.TrueForAll(type, t => t is null))
        {
            return _ => null;
        }

        var location = c.Strings(action, "deletionVector", "pathOrInlineDv");
        var offset = c.Longs(action, "deletionVector", "offset");
        var size = c.Longs(action, "deletionVector", "sizeInBytes");
        var cardinality = c.Longs(action, "deletionVector", "cardinality");
        return i => type[i] is { } t
            ? new DeletionVectorDescriptor
            {
                StorageType = t,
                PathOrInlineDv = location[i] ?? "",
                Offset = (int?)offset[i],
                SizeInBytes = (int)(size[i] ?? 0),
                Cardinality = cardinality[i] ?? 0,
            }
            : null;
    }

    private static void DecodeOthers(ParquetRowGroupColumns c, DeltaAction?[] actions)
    {
        if (c.Has("metaData"))
        {
            var id = c.Strings("metaData", "id");
            var rows = Rows(id);
            if (rows.Count > 0)
            {
                var name = c.Strings("metaData", "name");
                var description = c.Strings("metaData", "description");
                var provider = c.Strings("metaData", "format", "provider");
                var options = c.Maps("metaData", "format", "options");
                var schema = c.Strings("metaData", "schemaString");
                var partitionColumns = c.Lists("metaData", "partitionColumns");
                var configuration = c.Maps("metaData", "configuration");
                var created = c.Longs("metaData", "createdTime");
                foreach (var i in rows)
                {
                    actions[i] = new Metadata
                    {
                        Id = id[i]!,
                        Name = name[i],
                        Description = description[i],
                        Format = new Format { Provider = provider[i] ?? "parquet", Options = NonNull(options[i]) },
                        SchemaString = schema[i] ?? "",
                        PartitionColumns = partitionColumns[i]?.Select(p => p ?? "").ToList() ?? [],
                        Configuration = NonNull(configuration[i]),
                        CreatedTime = created[i],
                    };
                }
            }
        }

        if (c.Has("protocol"))
        {
            var reader = c.Longs("protocol", "minReaderVersion");
            var rows = Rows(reader);
            if (rows.Count > 0)
            {
                var writer = c.Longs("protocol", "minWriterVersion");
                var readerFeatures = c.Lists("protocol", "readerFeatures");
                var writerFeatures = c.Lists("protocol", "writerFeatures");
                foreach (var i in rows)
                {
                    actions[i] = new Protocol
                    {
                        MinReaderVersion = (int)reader[i]!.Value,
                        MinWriterVersion = (int)(writer[i] ?? 0),
                        ReaderFeatures = readerFeatures[i]?.Select(f => f ?? "").ToList(),
                        WriterFeatures = writerFeatures[i]?.Select(f => f ?? "").ToList(),
                    };
                }
            }
        }

        if (c.Has("txn"))
        {
            var appId = c.Strings("txn", "appId");
            var rows = Rows(appId);
            if (rows.Count > 0)
            {
                var version = c.Longs("txn", "version");
                var lastUpdated = c.Longs("txn", "lastUpdated");
                foreach (var i in rows)
                {
                    actions[i] = new Txn { AppId = appId[i]!, Version = version[i] ?? 0, LastUpdated = lastUpdated[i] };
                }
            }
        }

        if (c.Has("domainMetadata"))
        {
            var domain = c.Strings("domainMetadata", "domain");
            var rows = Rows(domain);
            if (rows.Count > 0)
            {
                var configuration = c.Strings("domainMetadata", "configuration");
                var removed = c.Bools("domainMetadata", "removed");
                foreach (var i in rows)
                {
                    actions[i] = new DomainMetadata { Domain = domain[i]!, Configuration = configuration[i] ?? "", Removed = removed[i] ?? false };
                }
            }
        }

        if (c.Has("checkpointMetadata"))
        {
            var version = c.Longs("checkpointMetadata", "version");
            var rows = Rows(version);
            if (rows.Count > 0)
            {
                var tags = c.Maps("checkpointMetadata", "tags");
                foreach (var i in rows)
                {
                    actions[i] = new DeltaAction { CheckpointMetadata = new CheckpointMetadata { Version = version[i]!.Value, Tags = Tags(tags[i]) } };
                }
            }
        }

        if (c.Has("sidecar"))
        {
            var path = c.Strings("sidecar", "path");
            var rows = Rows(path);
            if (rows.Count > 0)
            {
                var size = c.Longs("sidecar", "sizeInBytes");
                var mtime = c.Longs("sidecar", "modificationTime");
                var tags = c.Maps("sidecar", "tags");
                foreach (var i in rows)
                {
                    actions[i] = new DeltaAction
                    {
                        Sidecar = new Sidecar { Path = path[i]!, SizeInBytes = size[i] ?? 0, ModificationTime = mtime[i] ?? 0, Tags = Tags(tags[i]) },
                    };
                }
            }
        }
    }

    private static List<int> Rows<T>(T?[] key)
    {
        var rows = new List<int>();
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] is not null)
            {
                rows.Add(i);
            }
        }

        return rows;
    }

    private static Dictionary<string, string> NonNull(Dictionary<string, string?>? map) =>
        map?.ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    private static Dictionary<string, string>? Tags(Dictionary<string, string?>? map) =>
        map?.ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal);
}
