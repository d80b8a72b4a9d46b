using System.Collections.Immutable;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// One output column of a translated relation. <see cref="Name"/> is what Spark shows (duplicates allowed, e.g. after
/// a join); <see cref="Physical"/> is unique within the frame and is what the SQL uses.
/// </summary>
/// <param name="Name">Spark-visible column name.</param>
/// <param name="Physical">Unique column name in the frame's SQL.</param>
/// <param name="Qualifier">DataFrame alias (SubqueryAlias) the column can be qualified with.</param>
/// <param name="PlanIds">Plan ids of the relations whose output still holds this column, for <c>df["col"]</c>.</param>
internal sealed record FrameColumn(string Name, string Physical, string? Qualifier, ImmutableHashSet<long> PlanIds)
{
    public FrameColumn WithPlanId(long? planId) => planId is { } p ? this with { PlanIds = PlanIds.Add(p) } : this;
}

/// <summary>
/// A translated relation: a DuckDB SELECT statement and its columns in order. A relation read from files also has
/// <see cref="Files"/>: its SQL then has one more column, last, with each row's file, for Spark's hidden
/// <c>_metadata</c> column and <c>input_file_name()</c>.
/// </summary>
internal sealed record Frame(string Sql, IReadOnlyList<FrameColumn> Columns, Sources.FileMetadata? Files = null)
{
    /// <summary>The frame without its hidden file column, for operators that use every column of their input (<c>SELECT *</c>).</summary>
    public Frame WithoutFiles(string alias) => Files is null
        ? this
        : new Frame($"SELECT {string.Join(", ", Columns.Select(c => SqlText.Ident(alias) + "." + SqlText.Ident(c.Physical)))} FROM ({Sql}) AS {SqlText.Ident(alias)}", Columns);

    /// <summary>Makes physical names unique (case-insensitively, as DuckDB compares identifiers).</summary>
    public static IReadOnlyList<string> UniquePhysical(IEnumerable<string> names)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var n in names)
        {
            var candidate = n.Length == 0 ? "col" : n;
            var i = 1;
            while (!used.Add(candidate))
            {
                candidate = $"{n}_{i++}";
            }

            result.Add(candidate);
        }

        return result;
    }
}
