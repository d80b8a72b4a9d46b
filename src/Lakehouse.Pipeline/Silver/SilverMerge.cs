using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Delta;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// Keeps the latest record per business key and merges it into <c>silver.&lt;source&gt;</c> so that late or replayed
/// data never overwrites a newer version. "Newer" is: a larger sequence value, or an equal one ingested later (the
/// same order deduplication uses, so an incremental run and a rebuild from all files agree).
/// <para>
/// A delete leaves a tombstone (key, sequence, ingestion time) in <c>silver.&lt;source&gt;_tombstones</c>: a late record
/// older than the delete is then not re-inserted, as a rebuild (where the delete is simply the latest record)
/// would not insert it either.
/// </para>
/// <para>
/// <paramref name="writer"/> names the writer in the txn app ids (<c>&lt;writer&gt;:&lt;source&gt;</c>,
/// <c>&lt;writer&gt;-tombstones:&lt;source&gt;</c>): the silver job and the quarantine replay count their txn versions
/// apart, so neither's commit makes Delta skip the other's.
/// </para>
/// </summary>
internal sealed class SilverMerge(JobContext ctx, SourceConfig source, string writer = "silver")
{
    /// <summary>
    /// The writer option that creates silver's merged tables with deletion vectors (Delta's DataFrameWriter takes
    /// <c>delta.*</c> options as the new table's properties): a MERGE then marks the changed rows in the touched files'
    /// vectors and writes only the changed rows, instead of rewriting every touched file. Tables created before keep
    /// copy-on-write until the property is set on them.
    /// </summary>
    internal const string DeletionVectorsOption = "delta.enableDeletionVectors";

    /// <summary>
    /// The writer option that creates silver tables with Delta's change data feed, so that the gold job reads what
    /// changed between two versions (update pre- and postimages, inserts, deletes) instead of comparing two versions.
    /// Tables created before keep working without it (gold then finds the change from the batches).
    /// </summary>
    internal const string ChangeDataFeedOption = "delta.enableChangeDataFeed";

    private const string TxnAppIdConf = "spark.databricks.delta.write.txnAppId";
    private const string TxnVersionConf = "spark.databricks.delta.write.txnVersion";

    private IReadOnlyList<string> OrderColumns =>
        source.Sequence is { } seq ? [seq, BronzeColumns.IngestedAt] : [BronzeColumns.IngestedAt];

    /// <summary>One row per key: the latest, with the <paramref name="dataColumns"/>, the lineage silver keeps and the
    /// <see cref="SilverColumns.Delete"/> flag.</summary>
    public DataFrame Latest(DataFrame valid, IReadOnlyList<string> dataColumns)
    {
        var order = new List<Column>();
        if (source.Sequence is { } seq)
        {
            order.Add(Col(seq).DescNullsLast());
        }

        order.Add(Col(BronzeColumns.IngestedAt).DescNullsLast());
        order.Add(Col(BronzeColumns.SourceFile).DescNullsLast());
        var window = Window.PartitionBy([.. source.BusinessKey]).OrderBy([.. order]);
        // Only the columns silver keeps go through the window: it sorts what it carries.
        return valid.Select([.. WithLineage(dataColumns).Select(Col)]).WithColumn("__rn", RowNumber().Over(window)).Filter(Col("__rn") == Lit(1)).Drop("__rn")
            .WithColumn(SilverColumns.Delete, IsDelete(source));
    }

    /// <summary>True when the source's delete flag is truthy (<c>true</c>, <c>1</c>, <c>yes</c>, <c>y</c>, <c>t</c>);
    /// false when it is not or the source has no delete flag.</summary>
    public static Column IsDelete(SourceConfig source) => source.DeleteFlag is { } flag
        ? Coalesce(Lower(Trim(Col(flag).Cast("string"))).IsIn("true", "1", "yes", "y", "t"), Lit(false))
        : Lit(false);

    /// <summary>A condition that is true when the <paramref name="newer"/> side's version is newer than <paramref name="older"/>'s.</summary>
    public Column Newer(string newer, string older)
    {
        Column? result = null;
        Column equalSoFar = Lit(true);
        foreach (var c in OrderColumns)
        {
            var n = Col($"{newer}.{c}");
            var o = Col($"{older}.{c}");
            var greater = (n > o) | (o.IsNull() & n.IsNotNull());
            var step = equalSoFar & greater;
            result = result is null ? step : result | step;
            equalSoFar = equalSoFar & n.EqNullSafe(o);
        }

        return result!;
    }

    /// <summary>The data columns and the bronze lineage silver keeps per row.</summary>
    public static IReadOnlyList<string> WithLineage(IReadOnlyList<string> dataColumns) =>
        dataColumns.Concat([BronzeColumns.IngestedAt, BronzeColumns.SourceFile, BronzeColumns.BatchId]).ToList();

    /// <summary>Writes the deletes of <paramref name="latest"/> as tombstones (idempotent per <paramref name="txnVersion"/>),
    /// then returns the upserts that no earlier tombstone outranks.</summary>
    public async Task<DataFrame> ApplyTombstonesAsync(DataFrame latest, long txnVersion, CancellationToken ct)
    {
        var path = ctx.TablePath(source.TombstonesTable);
        var keys = source.BusinessKey;
        var upserts = latest.Filter(Col(SilverColumns.Delete).Not());
        var existing = await DeltaTables.TryReadAsync(ctx.Spark, path, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            var on = keys.Select(k => Col($"u.{k}") == Col($"d.{k}")).Aggregate((a, b) => a & b);
            upserts = upserts.Alias("u").Join(existing.Alias("d"), on & (Newer("u", "d").Not()), "left_anti");
        }

        if (source.DeleteFlag is null)
        {
            return upserts;
        }

        var deletes = latest.Filter(Col(SilverColumns.Delete)).Select([.. keys.Concat(OrderColumns).Distinct().Select(Col)]);
        if (existing is null)
        {
            await deletes.Write.Format("delta").Mode("append").Option(DeletionVectorsOption, "true")
                .Option("txnAppId", $"{writer}-tombstones:{source.Name}").Option("txnVersion", txnVersion)
                .SaveAsync(path, ct).ConfigureAwait(false);
        }
        else
        {
            var on = keys.Select(k => Col($"t.{k}") == Col($"s.{k}")).Aggregate((a, b) => a & b);
            await WithConfsAsync(ctx, $"{writer}-tombstones:{source.Name}", txnVersion, null, () =>
                DeltaTable.ForPath(ctx.Spark, path).As("t").Merge(deletes.Alias("s"), on)
                    .WhenMatched(Newer("s", "t")).UpdateAll()
                    .WhenNotMatched().InsertAll()
                    .ExecuteAsync(ct)).ConfigureAwait(false);
        }

        return upserts;
    }

    /// <summary>Merges the upserts and deletes of <paramref name="latest"/> into silver in one commit, idempotent per
    /// <paramref name="txnVersion"/>, with <paramref name="metadata"/> (when given) as its userMetadata.
    /// <paramref name="silverExists"/> is whether silver exists, as the caller has just found.</summary>
    public async Task<(long Written, long Deleted)> MergeAsync(
        DataFrame latest, DataFrame upserts, IReadOnlyList<string> dataColumns, long txnVersion, string? metadata, bool silverExists, CancellationToken ct)
    {
        var path = ctx.TablePath(source.SilverTable);
        var columns = WithLineage(dataColumns);
        if (!silverExists)
        {
            var rows = upserts.Select([.. columns.Select(Col)]);
            var write = rows.Write.Format("delta").Mode("append").Option(DeletionVectorsOption, "true").Option(ChangeDataFeedOption, "true")
                .Option("txnAppId", $"{writer}:{source.Name}").Option("txnVersion", txnVersion);
            if (metadata is not null)
            {
                write = write.Option("userMetadata", metadata);
            }

            await write.SaveAsync(path, ct).ConfigureAwait(false);
            return (await rows.CountAsync(ct).ConfigureAwait(false), 0);
        }

        // Deletes come from latest (a tombstone never outranks its own delete); upserts are already tombstone-filtered.
        var deletes = latest.Filter(Col(SilverColumns.Delete)).Select([.. columns.Select(Col), Col(SilverColumns.Delete)]);
        var changes = upserts.Select([.. columns.Select(Col), Col(SilverColumns.Delete)]).UnionByName(deletes);
        var on = source.BusinessKey.Select(k => Col($"t.{k}") == Col($"s.{k}")).Aggregate((a, b) => a & b);
        var set = columns.ToDictionary(c => c, c => Col($"s.{c}"));
        var metrics = await WithConfsAsync(ctx, $"{writer}:{source.Name}", txnVersion, metadata, () =>
            DeltaTable.ForPath(ctx.Spark, path).As("t").Merge(changes.Alias("s"), on)
                .WhenMatched(Col($"s.{SilverColumns.Delete}") & Newer("s", "t")).Delete()
                .WhenMatched(Col($"s.{SilverColumns.Delete}").Not() & Newer("s", "t")).Update(set)
                .WhenNotMatched(Col($"s.{SilverColumns.Delete}").Not()).Insert(set)
                .WithSchemaEvolution()
                .ExecuteAsync(ct)).ConfigureAwait(false);
        return (metrics.NumInsertedRows + metrics.NumUpdatedRows, metrics.NumDeletedRows);
    }

    /// <summary>Runs a DML with the session confs that make it idempotent and carry the commit's metadata, then
    /// removes them so no later write of the session inherits them.</summary>
    internal static async Task<T> WithConfsAsync<T>(JobContext ctx, string appId, long version, string? userMetadata, Func<Task<T>> dml)
    {
        var confs = new Dictionary<string, string>
        {
            [TxnAppIdConf] = appId,
            [TxnVersionConf] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (userMetadata is not null)
        {
            confs[SilverProgress.UserMetadataConf] = userMetadata;
        }

        await ctx.Spark.Conf.SetAsync(confs).ConfigureAwait(false);
        try
        {
            return await dml().ConfigureAwait(false);
        }
        finally
        {
            foreach (var key in confs.Keys)
            {
                await ctx.Spark.Conf.UnsetAsync(key).ConfigureAwait(false);
            }
        }
    }
}
