using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Storage;
using DeltaLakeTable = Lakehouse.Delta.DeltaTable;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// A Delta table of (id BIGINT, name STRING[, part STRING]) for change data feed reads. Data files are written by
/// Lakehouse.Delta's writer; commits with cdc actions are written by hand (PROTOCOL.md, Add CDC File), with their
/// files written the same way under <c>_change_data/</c>. Commit file times are set afterwards, so each version's
/// commit timestamp is known: <see cref="Time"/>.
/// </summary>
internal sealed class ChangeFeedTable(string path, bool partitioned)
{
    private int _scratch;

    public string Path => path;

    /// <summary>The commit timestamp <see cref="SetCommitTimes"/> gives version <paramref name="version"/>: one hour per version from 2026-01-01.</summary>
    public static DateTimeOffset Time(long version) => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(version);

    public DeltaLakeTable Table => DeltaLakeTable.ForPath(path);

    private StructType Schema(bool changeType) => new([
        new StructField("id", PrimitiveType.Long, false),
        new StructField("name", PrimitiveType.String),
        .. partitioned ? new[] { new StructField("part", PrimitiveType.String) } : [],
        .. changeType ? new[] { new StructField("_change_type", PrimitiveType.String) } : [],
    ]);

    /// <summary>Creates the table (version 0) with the feed on or off.</summary>
    public static ChangeFeedTable Create(string path, bool enabled = true, bool partitioned = false, bool deletionVectors = false)
    {
        var table = new ChangeFeedTable(path, partitioned);
        var properties = new Dictionary<string, string>();
        if (enabled)
        {
            properties["delta.enableChangeDataFeed"] = "true";
        }

        if (deletionVectors)
        {
            properties["delta.enableDeletionVectors"] = "true";
        }

        table.Table.Create(table.Schema(false), partitioned ? ["part"] : null, properties);
        return table;
    }

    /// <summary>Puts a deletion vector naming <paramref name="positions"/> on the file <paramref name="file"/> (its
    /// add replaced by one with the vector, as PROTOCOL.md asks), as a DELETE with deletion vectors commits it.</summary>
    public void DeleteRows(string file, params long[] positions)
    {
        var snapshot = Table.Snapshot();
        var add = snapshot.Files.Single(f => f.Path == file);
        var txn = Lakehouse.Delta.Transactions.Transaction.Start(snapshot, "DELETE");
        txn.Remove(RemoveFile.For(add, 0));
        txn.Add(add with { DeletionVector = Lakehouse.Delta.Data.Writing.DeletionVectorWriter.Write(path, positions) });
        txn.Commit();
    }

    /// <summary>Appends rows (id, name[, part]) as one commit with one file per partition.</summary>
    public Task AppendAsync(params (long Id, string? Name, string? Part)[] rows) => Table.AppendAsync([Batch(rows, null)]);

    /// <summary>Writes data files holding the rows (no commit) and returns their add actions.</summary>
    public Task<List<AddFile>> DataFilesAsync(params (long Id, string? Name, string? Part)[] rows) => WriteAsync(rows, null, "");

    /// <summary>Writes cdc files holding the rows with their change types (no commit) and returns their cdc actions.</summary>
    public async Task<List<Cdc>> ChangeFilesAsync(params (long Id, string? Name, string? Part, string ChangeType)[] rows)
    {
        var adds = await WriteAsync(rows.Select(r => (r.Id, r.Name, r.Part)).ToArray(), rows.Select(r => r.ChangeType).ToArray(), "_change_data/");
        return [.. adds.Select(a => new Cdc { Path = a.Path, PartitionValues = a.PartitionValues, Size = a.Size, DataChange = false })];
    }

    /// <summary>Commits the actions by hand as the next version (put-if-absent, as any writer does) and returns it.</summary>
    public long Commit(string operation, params IEnumerable<DeltaAction>[] actions)
    {
        var version = Table.Snapshot().Version + 1;
        var all = new List<DeltaAction> { new CommitInfo { Operation = operation, Timestamp = Time(version).ToUnixTimeMilliseconds() } };
        all.AddRange(actions.SelectMany(a => a));
        if (!Table.Store.TryCreate(LogFileName.Commit(version), ActionJson.WriteCommit(all)))
        {
            throw new InvalidOperationException($"version {version} exists");
        }

        return version;
    }

    /// <summary>Sets each commit file's modification time to <see cref="Time"/> of its version.</summary>
    public void SetCommitTimes()
    {
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(path, "_delta_log"), "*.json"))
        {
            if (LogFileName.TryParse(System.IO.Path.GetFileName(file)) is { Kind: LogFileKind.Commit } name)
            {
                File.SetLastWriteTimeUtc(file, Time(name.Version).UtcDateTime);
            }
        }
    }

    private async Task<List<AddFile>> WriteAsync((long Id, string? Name, string? Part)[] rows, string?[]? changeTypes, string prefix)
    {
        // A scratch table with the same layout writes the files; they move under this table's root at the same
        // relative path (partition directories included), behind the prefix.
        var scratchPath = path + $".scratch{_scratch++}";
        var scratch = DeltaLakeTable.ForPath(scratchPath);
        scratch.Create(Schema(changeTypes is not null), partitioned ? ["part"] : null);
        await scratch.AppendAsync([Batch(rows, changeTypes)]);
        var adds = scratch.Snapshot().Files.ToList();
        foreach (var add in adds)
        {
            var target = System.IO.Path.Combine(path, prefix + Uri.UnescapeDataString(add.Path));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Move(System.IO.Path.Combine(scratchPath, Uri.UnescapeDataString(add.Path)), target);
        }

        Directory.Delete(scratchPath, recursive: true);
        return [.. adds.Select(a => a with { Path = prefix + a.Path })];
    }

    private RecordBatch Batch((long Id, string? Name, string? Part)[] rows, string?[]? changeTypes)
    {
        var ids = new Int64Array.Builder();
        var names = new StringArray.Builder();
        var parts = new StringArray.Builder();
        var types = new StringArray.Builder();
        for (var i = 0; i < rows.Length; i++)
        {
            ids.Append(rows[i].Id);
            names.Append(rows[i].Name);
            parts.Append(rows[i].Part);
            types.Append(changeTypes?[i]);
        }

        var builder = new RecordBatch.Builder().Append("id", false, ids.Build()).Append("name", true, names.Build());
        if (partitioned)
        {
            builder = builder.Append("part", true, parts.Build());
        }

        if (changeTypes is not null)
        {
            builder = builder.Append("_change_type", true, types.Build());
        }

        return builder.Build();
    }
}
