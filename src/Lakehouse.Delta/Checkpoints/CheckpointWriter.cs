using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Parquet;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>
/// Writes checkpoints (PROTOCOL.md, Checkpoints): the complete state of a snapshot in one Parquet file, then
/// <c>_last_checkpoint</c> pointing at it. Classic <c>N.checkpoint.parquet</c> by default, which every Delta
/// reader understands; a V2 checkpoint <c>N.checkpoint.UUID.parquet</c> when the table supports the
/// <c>v2Checkpoint</c> feature and sets <c>delta.checkpointPolicy=v2</c>.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>The table feature that allows V2 checkpoints.</summary>
    internal const string V2CheckpointFeature = "v2Checkpoint";

    /// <summary>True when a commit of <paramref name="committedVersion"/> should be followed by a checkpoint (every <c>delta.checkpointInterval</c> versions).</summary>
    internal static bool ShouldCheckpoint(long committedVersion, TableProperties properties) =>
        committedVersion > 0 && committedVersion % properties.CheckpointInterval == 0;

    /// <summary>
    /// Writes a checkpoint of <paramref name="snapshot"/> with its protocol, metadata, application transactions,
    /// domain metadata, all active files, and the remove tombstones still inside
    /// <c>delta.deletedFileRetentionDuration</c> of <paramref name="now"/> (the clock when null), then updates
    /// <c>_last_checkpoint</c>. Both writes are atomic replacements, so a reader never sees a partial file.
    /// </summary>
    /// <returns>The <c>_last_checkpoint</c> record of the new checkpoint (the file itself is left alone when it already names a newer one).</returns>
    public static LastCheckpoint Write(Snapshot snapshot, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var v2 = UsesV2(snapshot);
        var actions = Actions(snapshot, (now ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(), v2);
        var bytes = ToParquet(actions, v2);
        var name = v2
            ? $"{snapshot.Version:D20}.checkpoint.{Guid.NewGuid()}.parquet"
            : LogFileName.Checkpoint(snapshot.Version);
        snapshot.Store.Replace(name, bytes);

        var last = new LastCheckpoint
        {
            Version = snapshot.Version,
            Size = actions.Count,
            SizeInBytes = bytes.Length,
            NumOfAddFiles = snapshot.Files.Count,
        };
        // _last_checkpoint only moves forward: a checkpoint of an older version must not hide a newer one.
        if (LastCheckpoint.TryRead(snapshot.Store) is not { } existing || existing.Version <= last.Version)
        {
            snapshot.Store.Replace(LastCheckpoint.FileName, last.ToUtf8());
        }

        return last;
    }

    /// <summary>The rows of the checkpoint, in the order they are written.</summary>
    internal static List<DeltaAction> Actions(Snapshot snapshot, long nowMillis, bool v2)
    {
        var actions = new List<DeltaAction>(snapshot.Files.Count + snapshot.Tombstones.Count + 4);
        if (v2)
        {
            // PROTOCOL.md, V2 Spec: a V2 checkpoint holds exactly one checkpointMetadata action.
            actions.Add(new DeltaAction { CheckpointMetadata = new CheckpointMetadata { Version = snapshot.Version } });
        }

        actions.Add(snapshot.Protocol);
        actions.Add(snapshot.Metadata);
        actions.AddRange(snapshot.Transactions.Values.Select(t => (DeltaAction)t));
        actions.AddRange(snapshot.Domains.Values.Select(d => (DeltaAction)d));
        // The checkpoint restates state, it changes no data: Spark writes dataChange=false for its file actions.
        actions.AddRange(snapshot.Files.Select(f => (DeltaAction)(f with { DataChange = false })));
        // PROTOCOL.md, Checkpoints: tombstones stay until they expire, so vacuum keeps honouring them.
        var expiredBefore = nowMillis - (long)snapshot.Properties.DeletedFileRetention.TotalMilliseconds;
        actions.AddRange(snapshot.Tombstones
            .Where(r => (r.DeletionTimestamp ?? 0) > expiredBefore)
            .Select(r => (DeltaAction)(r with { DataChange = false })));
        return actions;
    }

    /// <summary>Serializes <paramref name="actions"/> as a checkpoint Parquet file (one row group).</summary>
    internal static byte[] ToParquet(IReadOnlyList<DeltaAction> actions, bool v2)
    {
        var layout = CheckpointLayout.Create(v2);
        foreach (var column in layout.Columns)
        {
            foreach (var action in actions)
            {
                column.Add(action);
            }
        }

        using var buffer = new MemoryStream();
        WriteAsync(layout, buffer).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    private static async Task WriteAsync(CheckpointLayout layout, Stream output)
    {
        await using var writer = await ParquetWriter.CreateAsync(layout.Schema, output).ConfigureAwait(false);
        using var rowGroup = writer.CreateRowGroup();
        foreach (var column in layout.Columns)
        {
            await column.WriteAsync(rowGroup).ConfigureAwait(false);
        }

        rowGroup.CompleteValidate();
    }

    private static bool UsesV2(Snapshot snapshot) =>
        string.Equals(snapshot.Properties.CheckpointPolicy, "v2", StringComparison.OrdinalIgnoreCase)
        && (snapshot.Protocol.WriterFeatures?.Contains(V2CheckpointFeature) ?? false);
}
