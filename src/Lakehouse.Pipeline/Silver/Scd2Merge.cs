using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// Silver as SCD type 2 (<c>scd2: true</c>): <c>silver.&lt;source&gt;</c> keeps every version of a key, each with
/// <c>valid_from</c> (its sequence value), <c>valid_to</c> (the next version's or the delete's sequence value; null while
/// current) and <c>is_current</c>.
/// <para>
/// Every accepted change (version or delete, one per key and sequence value) is first appended to
/// <c>silver.&lt;source&gt;_changes</c>; the first change stored for a key and sequence value is the one that counts, so
/// a replayed version changes nothing. The history of each key the batch touches is then derived from all its changes
/// in sequence order: a version opens a row unless no tracked column differs from the version before it (a check
/// strategy over all data columns but the key, the sequence and the delete flag), a delete closes the open row, and
/// an interval ends where the next kept change starts. One MERGE on (key, <c>valid_from</c>) brings the touched keys
/// to that history: new rows inserted, rows whose <c>valid_to</c>/<c>is_current</c> changed updated, and rows the
/// history no longer has (a late version equal to the one after it moves that row's start) deleted. Deriving the
/// history from the changes, not from the rows, is what places late data exactly and makes an incremental run agree
/// with a rebuild: the rows alone lose the versions that opened no row.
/// </para>
/// <para>
/// Both writes are idempotent per txn version (<c>&lt;writer&gt;-changes:&lt;source&gt;</c>, <c>&lt;writer&gt;:&lt;source&gt;</c>),
/// and the MERGE derives the history from the batch's keys, not from what the append added, so a run that stopped
/// between the two resumes cleanly.
/// </para>
/// </summary>
internal sealed class Scd2Merge(JobContext ctx, SourceConfig source, string writer = "silver")
{
    private const string Remove = "__remove";

    private string Sequence => source.Sequence
        ?? throw new InvalidOperationException($"Source '{source.Name}' has scd2 without a sequence column; the configuration parser rejects that.");

    private string ChangesPath => ctx.TablePath(source.ChangesTable);

    /// <summary>Throws <see cref="PipelineInputException"/> when silver exists with the other layout (SCD2 or latest only)
    /// than the source's <c>scd2</c> setting asks for.</summary>
    /// <returns>Whether silver exists (the merges take it instead of asking again).</returns>
    public static async Task<bool> CheckLayoutAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        if (await DeltaTables.TryColumnsAsync(ctx.Spark, ctx.TablePath(source.SilverTable), ct).ConfigureAwait(false) is not { } columns)
        {
            return false;
        }

        var isScd2 = columns.Contains(SilverColumns.IsCurrent, StringComparer.OrdinalIgnoreCase)
            && columns.Contains(SilverColumns.ValidFrom, StringComparer.OrdinalIgnoreCase);
        if (isScd2 != source.Scd2)
        {
            throw new PipelineInputException(
                $"{source.SilverTable} was written {(isScd2 ? "as SCD type 2" : "with the latest version per key only")}, but the pipeline file says scd2: {(source.Scd2 ? "true" : "false")}. "
                + $"Restore the setting, or rebuild silver: remove {source.SilverTable} (and {source.ChangesTable} / {source.TombstonesTable}) and rerun the silver job, which then reads all of bronze.");
        }

        return true;
    }

    /// <summary>Merges the <paramref name="valid"/> rows (cleaned, passed their expectations) into silver as SCD type 2,
    /// idempotent per <paramref name="txnVersion"/>, with <paramref name="metadata"/> (when given) as the silver commit's
    /// userMetadata. <paramref name="silverExists"/> is whether silver exists, as the caller has just found
    /// (<see cref="CheckLayoutAsync"/>).</summary>
    /// <returns>Rows inserted or updated, and rows removed from the history.</returns>
    public async Task<(long Written, long Deleted)> MergeAsync(
        DataFrame valid, IReadOnlyList<string> dataColumns, long txnVersion, string? metadata, bool silverExists, CancellationToken ct)
    {
        var keys = source.BusinessKey;
        var columns = SilverMerge.WithLineage(dataColumns);
        var path = ctx.TablePath(source.SilverTable);
        if (silverExists && await DeltaTables.TryReadAsync(ctx.Spark, ChangesPath, ct).ConfigureAwait(false) is null)
        {
            // Without the log the batch's keys would get a history of this batch alone, and the MERGE would drop the rest.
            throw new PipelineInputException(
                $"{source.ChangesTable} is missing, and {source.SilverTable}'s history is derived from it. Restore it (Delta time travel or a backup), "
                + $"or rebuild: remove {source.SilverTable} and rerun the silver job, which then reads all of bronze.");
        }

        // One change per key and sequence value: the one ingested last, as the latest-only dedupe orders equal sequences.
        var perVersion = Window.PartitionBy([.. keys, Sequence])
            .OrderBy(Col(BronzeColumns.IngestedAt).DescNullsLast(), Col(BronzeColumns.SourceFile).DescNullsLast());
        // Only the columns silver keeps go through the window: it sorts what it carries.
        var changes = valid.Select([.. columns.Select(Col)]).WithColumn("__rn", RowNumber().Over(perVersion)).Filter(Col("__rn") == Lit(1))
            .Select([.. columns.Select(Col), SilverMerge.IsDelete(source).Alias(SilverColumns.Deleted)]);

        // With silver there, the check above found the log; without, a run that stopped after its append may have left one.
        await AppendChangesAsync(changes, txnVersion, silverExists || await DeltaTables.TryReadAsync(ctx.Spark, ChangesPath, ct).ConfigureAwait(false) is not null, ct)
            .ConfigureAwait(false);

        // The batch's keys are those of its changes (each key keeps at least one change): read without the window.
        var touched = valid.Select([.. keys]).Distinct();
        var history = History(await PinnedAsync(ChangesPath, ct).ConfigureAwait(false), touched, columns);
        if (!silverExists)
        {
            var write = history.Write.Format("delta").Mode("append").Option(SilverMerge.DeletionVectorsOption, "true")
                .Option(SilverMerge.ChangeDataFeedOption, "true")
                .Option("txnAppId", $"{writer}:{source.Name}").Option("txnVersion", txnVersion);
            if (metadata is not null)
            {
                write = write.Option("userMetadata", metadata);
            }

            await write.SaveAsync(path, ct).ConfigureAwait(false);
            // The table did not exist, so it holds exactly the history written: counting it reads file metadata, not
            // the changes log and its windows again.
            return (await (await PinnedAsync(path, ct).ConfigureAwait(false)).CountAsync(ct).ConfigureAwait(false), 0);
        }

        // The MERGE source reads the history twice (the rows to bring in, and the anti join that finds the rows it no
        // longer has); kept, the changes log is scanned and windowed once. It holds only the touched keys' rows.
        history = await history.PersistAsync(ct).ConfigureAwait(false);
        var rowColumns = columns.Concat([SilverColumns.ValidFrom, SilverColumns.ValidTo, SilverColumns.IsCurrent]).ToList();
        var current = (await PinnedAsync(path, ct).ConfigureAwait(false)).Join(touched, [.. keys], "left_semi");
        var sameRow = keys.Select(k => Col($"r.{k}") == Col($"h.{k}")).Aggregate((a, b) => a & b)
            & (Col($"r.{SilverColumns.ValidFrom}") == Col($"h.{SilverColumns.ValidFrom}"));
        var gone = current.Alias("r").Join(history.Alias("h"), sameRow, "left_anti").Select([.. rowColumns.Select(Col)]);
        var staged = history.WithColumn(Remove, Lit(false)).UnionByName(gone.WithColumn(Remove, Lit(true)));

        var on = keys.Select(k => Col($"t.{k}") == Col($"s.{k}")).Aggregate((a, b) => a & b)
            & (Col($"t.{SilverColumns.ValidFrom}") == Col($"s.{SilverColumns.ValidFrom}"));
        // A row kept at the same start holds the same change's values; only where its interval ends can differ.
        var changed = Col($"t.{SilverColumns.ValidTo}").EqNullSafe(Col($"s.{SilverColumns.ValidTo}")).Not()
            | Col($"t.{SilverColumns.IsCurrent}").EqNullSafe(Col($"s.{SilverColumns.IsCurrent}")).Not();
        var set = rowColumns.ToDictionary(c => c, c => Col($"s.{c}"));
        var metrics = await SilverMerge.WithConfsAsync(ctx, $"{writer}:{source.Name}", txnVersion, metadata, () =>
            DeltaTable.ForPath(ctx.Spark, path).As("t").Merge(staged.Alias("s"), on)
                .WhenMatched(Col($"s.{Remove}")).Delete()
                .WhenMatched(Col($"s.{Remove}").Not() & changed).Update(set)
                .WhenNotMatched(Col($"s.{Remove}").Not()).Insert(set)
                .WithSchemaEvolution()
                .ExecuteAsync(ct)).ConfigureAwait(false);
        await history.UnpersistAsync(cancellationToken: ct).ConfigureAwait(false);
        return (metrics.NumInsertedRows + metrics.NumUpdatedRows, metrics.NumDeletedRows);
    }

    /// <summary>Appends the changes not stored yet (by key and sequence value) to the changes table.</summary>
    private async Task AppendChangesAsync(DataFrame changes, long txnVersion, bool logExists, CancellationToken ct)
    {
        var fresh = changes;
        if (logExists)
        {
            // Pinned, so that the plan (evaluated while the append runs) does not see the rows it appends.
            var stored = await PinnedAsync(ChangesPath, ct).ConfigureAwait(false);
            fresh = changes.Join(stored.Select([.. source.BusinessKey, Sequence]), [.. source.BusinessKey, Sequence], "left_anti");
        }

        await fresh.Write.Format("delta").Mode("append").Option("mergeSchema", "true")
            .Option("txnAppId", $"{writer}-changes:{source.Name}").Option("txnVersion", txnVersion)
            .SaveAsync(ChangesPath, ct).ConfigureAwait(false);
    }

    /// <summary>The SCD2 rows of the <paramref name="touched"/> keys, derived from all their stored changes.</summary>
    private DataFrame History(DataFrame stored, DataFrame touched, IReadOnlyList<string> columns)
    {
        var keys = source.BusinessKey;
        var inOrder = Window.PartitionBy([.. keys]).OrderBy(Col(Sequence).Asc());
        var excluded = new HashSet<string>(keys.Append(Sequence), StringComparer.OrdinalIgnoreCase);
        if (source.DeleteFlag is { } flag)
        {
            excluded.Add(flag);
        }

        var tracked = columns.Where(c => !excluded.Contains(c) && !BronzeColumns.All.Contains(c)).ToList();
        var differs = tracked.Count == 0
            ? Lit(false)
            : tracked.Select(c => Col(c).EqNullSafe(Lag(Col(c)).Over(inOrder)).Not()).Aggregate((a, b) => a | b);
        // The first change of a key, and the first after a delete, have nothing open to compare with.
        var afterGap = Coalesce(Lag(Col(SilverColumns.Deleted)).Over(inOrder), Lit(true));
        var opens = Col(SilverColumns.Deleted).Not() & (afterGap | differs);

        return stored.Join(touched, [.. keys], "left_semi")
            .WithColumn("__opens", opens)
            .Filter(Col("__opens") | Col(SilverColumns.Deleted))
            .WithColumn(SilverColumns.ValidTo, Lead(Col(Sequence)).Over(inOrder))
            .Filter(Col(SilverColumns.Deleted).Not())
            .Select([
                .. columns.Select(Col),
                Col(Sequence).Alias(SilverColumns.ValidFrom),
                Col(SilverColumns.ValidTo),
                Col(SilverColumns.ValidTo).IsNull().Alias(SilverColumns.IsCurrent),
            ]);
    }

    private async Task<DataFrame> PinnedAsync(string path, CancellationToken ct)
    {
        var version = await DeltaTables.LatestVersionAsync(ctx.Spark, path, ct).ConfigureAwait(false);
        return DeltaTables.ReadAt(ctx.Spark, path, version);
    }
}
