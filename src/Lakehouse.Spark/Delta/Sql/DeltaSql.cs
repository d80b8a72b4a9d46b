using System.Globalization;
using System.Text;

namespace Lakehouse.Spark.Delta.Sql;

/// <summary>
/// The Delta SQL statements of the DeltaTable API, for servers without Delta Connect. Syntax as documented
/// by Delta Lake ("Table deletes, updates, and merges", "Optimizations", "Vacuum", "Table utility commands").
/// </summary>
internal static class DeltaSql
{
    internal static string History(DeltaTableRef table, int? limit) =>
        "DESCRIBE HISTORY " + table.SqlIdentifier + (limit is { } n ? string.Create(CultureInfo.InvariantCulture, $" LIMIT {n}") : "");

    internal static string Detail(DeltaTableRef table) => "DESCRIBE DETAIL " + table.SqlIdentifier;

    internal static string Delete(DeltaTableRef table, string? alias, string? condition) =>
        "DELETE FROM " + Target(table, alias) + Where(condition);

    internal static string Update(DeltaTableRef table, string? alias, IEnumerable<KeyValuePair<string, string>> set, string? condition) =>
        "UPDATE " + Target(table, alias) + " SET " + Assignments(set) + Where(condition);

    internal static string Vacuum(DeltaTableRef table, double? retentionHours, bool dryRun) =>
        "VACUUM " + table.SqlIdentifier
        + (retentionHours is { } hours ? " RETAIN " + hours.ToString("0.##########", CultureInfo.InvariantCulture) + " HOURS" : "")
        + (dryRun ? " DRY RUN" : "");

    internal static string Optimize(DeltaTableRef table, IReadOnlyList<string> partitionFilters, IReadOnlyList<string> zOrderColumns)
    {
        var text = new StringBuilder("OPTIMIZE ").Append(table.SqlIdentifier);
        if (partitionFilters.Count > 0)
        {
            // Several Where(…) calls all apply, as in delta-spark's DeltaOptimizeBuilder.
            text.Append(" WHERE ").Append(string.Join(" AND ", partitionFilters.Select(f => "(" + f + ")")));
        }

        if (zOrderColumns.Count > 0)
        {
            text.Append(" ZORDER BY (").Append(string.Join(", ", zOrderColumns.Select(SqlIdentifiers.QuoteMultipart))).Append(')');
        }

        return text.ToString();
    }

    internal static string RestoreToVersion(DeltaTableRef table, long version) =>
        "RESTORE TABLE " + table.SqlIdentifier + string.Create(CultureInfo.InvariantCulture, $" TO VERSION AS OF {version}");

    internal static string RestoreToTimestamp(DeltaTableRef table, string timestamp) =>
        "RESTORE TABLE " + table.SqlIdentifier + " TO TIMESTAMP AS OF " + SqlLiterals.String(timestamp);

    /// <summary>MERGE INTO; condition texts and assignment values are already SQL.</summary>
    internal static string Merge(
        DeltaTableRef table, string? targetAlias, string sourceView, string? sourceAlias, string condition, IEnumerable<RenderedClause> clauses)
    {
        var text = new StringBuilder("MERGE INTO ").Append(Target(table, targetAlias))
            .Append(" USING ").Append(SqlIdentifiers.Quote(sourceView));
        if (sourceAlias is not null)
        {
            text.Append(" AS ").Append(SqlIdentifiers.Quote(sourceAlias));
        }

        text.Append(" ON ").Append(condition);
        foreach (var clause in clauses)
        {
            text.Append(clause.Group switch
            {
                MergeClauseGroup.Matched => " WHEN MATCHED",
                MergeClauseGroup.NotMatched => " WHEN NOT MATCHED",
                _ => " WHEN NOT MATCHED BY SOURCE",
            });
            if (clause.Condition is not null)
            {
                text.Append(" AND ").Append(clause.Condition);
            }

            text.Append(" THEN ").Append(clause.Action switch
            {
                MergeActionKind.Delete => "DELETE",
                MergeActionKind.UpdateAll => "UPDATE SET *",
                MergeActionKind.InsertAll => "INSERT *",
                MergeActionKind.Update => "UPDATE SET " + Assignments(clause.Assignments),
                _ => "INSERT (" + string.Join(", ", clause.Assignments.Select(a => SqlIdentifiers.QuoteMultipart(a.Key)))
                    + ") VALUES (" + string.Join(", ", clause.Assignments.Select(a => a.Value)) + ")",
            });
        }

        return text.ToString();
    }

    internal static string DropView(string name) => "DROP VIEW IF EXISTS " + SqlIdentifiers.Quote(name);

    private static string Target(DeltaTableRef table, string? alias) =>
        alias is null ? table.SqlIdentifier : table.SqlIdentifier + " AS " + SqlIdentifiers.Quote(alias);

    private static string Where(string? condition) => condition is null ? "" : " WHERE " + condition;

    private static string Assignments(IEnumerable<KeyValuePair<string, string>> set) =>
        string.Join(", ", set.Select(a => SqlIdentifiers.QuoteMultipart(a.Key) + " = " + a.Value));
}

/// <summary>A MERGE clause whose condition and assignment values are already SQL text.</summary>
internal sealed record RenderedClause(
    MergeClauseGroup Group, MergeActionKind Action, string? Condition, IReadOnlyList<KeyValuePair<string, string>> Assignments);
