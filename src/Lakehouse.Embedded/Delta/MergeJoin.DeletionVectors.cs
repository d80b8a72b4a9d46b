using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>Pass 2 of a MERGE with deletion vectors (<see cref="DeletionVectorMerge"/>).</summary>
internal sealed partial class MergeJoin
{
    /// <summary>The changed-rows column holding the target row's file (NULL for an inserted row).</summary>
    public const string ChangedFile = "__lakehouse_changed_file";

    /// <summary>The changed-rows column holding the target row's position in its file (<c>file_row_number</c>).</summary>
    public const string ChangedPosition = "__lakehouse_changed_pos";

    /// <summary>
    /// Pass 2 for merge-on-read: only the rows the MERGE changes — every target row of the touched files that a clause
    /// updates or deletes, with its file and position and, for an update, its new values, and every inserted source
    /// row — in the final schema's columns plus <see cref="ChangedFile"/>, <see cref="ChangedPosition"/>, the clause
    /// code and the in-target marker. Rows no clause changes are not kept: the files keep them, and the positions this
    /// query yields go into the files' deletion vectors. The target is kept whole only when a not-matched-by-source
    /// clause must see its unmatched rows, the source only when something is inserted.
    /// </summary>
    /// <param name="touched">The files with a row that is updated or deleted.</param>
    /// <param name="matchedElsewhere">Files not touched that hold a match: their source rows are matched, not inserted.</param>
    /// <param name="inserts">Whether any source row is inserted.</param>
    /// <param name="fields">The final schema.</param>
    public string ChangedRows(IReadOnlyList<AddFile> touched, IReadOnlyList<AddFile> matchedElsewhere, bool inserts, IReadOnlyList<StructField> fields)
    {
        var source = SqlText.Ident(sourceTable);
        if (inserts && !CountsInserts)
        {
            // Only matched target rows change, so they come from an inner join, and the inserted rows from the source rows
            // that match no row of a file with matches (the join of just the key columns), rather than from one outer join
            // that carries every column of the touched files.
            var matched = DeltaScanSql.Sql(snapshot, [.. touched, .. matchedElsewhere], session.Rows, rowIds: false);
            var nulls = "SELECT " + string.Join(", ", snapshot.Schema.Fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"));
            var insertCode = Code("FALSE");
            var inserted = $"SELECT * FROM (SELECT {Values(fields, insertCode)}, CAST(NULL AS VARCHAR) AS {ChangedFile}, CAST(NULL AS BIGINT) AS {ChangedPosition}, "
                         + $"{insertCode} AS {CodeColumn}, FALSE AS {TargetMarker}{Preimages($"{_t}.")} FROM {source} AS {_s}, ({nulls}) AS {_t} "
                         + $"WHERE {_s}.rowid NOT IN (SELECT {_s}.rowid FROM ({matched}) AS {_t} JOIN {source} AS {_s} ON ({condition}))) "
                         + $"WHERE {In(CodeColumn, c => c.IsNotMatched)}";
            return $"{ChangedRows(touched, [], inserts: false, fields)} UNION ALL {inserted}";
        }

        var inTarget = $"{_t}.{TargetMarker} IS NOT NULL";
        var scan = $"SELECT *, TRUE AS {TargetMarker} FROM ({DeltaScanSql.Sql(snapshot, touched, session.Rows, rowIds: true, positions: true)})";
        (source, var veto) = SourceWithVeto(matchedElsewhere, inserts);
        var code = Code(inTarget, veto);

        // A target row matched by several source rows appears once per pair, but at most one pair changes it (pass 1
        // checked), except when every matched clause deletes: then the caller's positions are a set.
        var rows = $"SELECT {Values(fields, code)}, {_t}.{DeltaScanSql.FileColumn} AS {ChangedFile}, {_t}.{DeltaScanSql.PositionColumn} AS {ChangedPosition}, "
                 + $"{code} AS {CodeColumn}, {inTarget} AS {TargetMarker}{Preimages($"{_t}.")} "
                 + $"FROM ({scan}) AS {_t} {JoinType(CountsInserts, inserts)} {source} AS {_s} ON ({condition})";
        return $"SELECT * FROM ({rows}) "
             + $"WHERE CASE WHEN {TargetMarker} THEN {In(CodeColumn, c => !c.IsNotMatched)} ELSE {In(CodeColumn, c => c.IsNotMatched)} END";
    }

    /// <summary>
    /// Whether <see cref="ChangedRows"/> and <see cref="ClassifyIntoPairs"/> also keep each changed target row's old values
    /// (columns <c>__lakehouse_pre_0…</c>, one per column of the table's schema), for the change data feed's deletes and
    /// preimages. Only tables with the feed pay for them.
    /// </summary>
    public bool KeepsPreimages { get; init; }

    /// <summary>The preimage columns of a changed-rows or pairs query, from the target columns under <paramref name="qualifier"/>; empty unless <see cref="KeepsPreimages"/>.</summary>
    private string Preimages(string qualifier) => KeepsPreimages
        ? string.Concat(snapshot.Schema.Fields.Select((f, i) => $", {qualifier}{SqlText.Ident(f.Name)} AS __lakehouse_pre_{i}"))
        : "";

    /// <summary>
    /// Over <see cref="ChangedRows"/>' result (built with <see cref="KeepsPreimages"/>): the change data rows of the MERGE
    /// in the final schema's columns plus <see cref="ChangeData.ChangeTypeColumn"/>: the old values of every deleted
    /// target row (<c>delete</c>) and of every updated one (<c>update_preimage</c>), the new values of every updated row
    /// (<c>update_postimage</c>), and every inserted row (<c>insert</c>). A target row that several source rows delete
    /// (possible only when every matched clause is an unconditional delete) is one change.
    /// </summary>
    /// <param name="changedTable">The changed rows.</param>
    /// <param name="fields">The final schema.</param>
    /// <param name="severalMatches">Whether some target row may be matched by several source rows.</param>
    public string ChangeDataRows(string changedTable, IReadOnlyList<StructField> fields, bool severalMatches)
    {
        var table = SqlText.Ident(changedTable);
        var index = snapshot.Schema.Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);
        var before = string.Join(", ", fields.Select(f => index.TryGetValue(f.Name, out var i)
            ? $"CAST(__lakehouse_pre_{i} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"
            : $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"));
        var after = string.Join(", ", fields.Select(f => SqlText.Ident(f.Name)));
        var type = SqlText.Ident(ChangeData.ChangeTypeColumn);
        var updates = In(CodeColumn, c => c.Action == MergeActionKind.Update);
        var deletes = In(CodeColumn, c => c.Action == MergeActionKind.Delete);
        var deleted = severalMatches
            ? $"SELECT {before}, {ChangeData.Type("delete")} AS {type} FROM (SELECT DISTINCT ON ({ChangedFile}, {ChangedPosition}) * FROM {table} WHERE {TargetMarker} AND {deletes})"
            : $"SELECT {before}, {ChangeData.Type("delete")} AS {type} FROM {table} WHERE {TargetMarker} AND {deletes}";
        return $"{deleted} "
             + $"UNION ALL SELECT {before}, {ChangeData.Type("update_preimage")} AS {type} FROM {table} WHERE {TargetMarker} AND {updates} "
             + $"UNION ALL SELECT {after}, {ChangeData.Type("update_postimage")} AS {type} FROM {table} WHERE {TargetMarker} AND {updates} "
             + $"UNION ALL SELECT {after}, {ChangeData.Type("insert")} AS {type} FROM {table} WHERE NOT {TargetMarker}";
    }

    /// <summary>Over <see cref="ChangedRows"/>' result: the rows to write (updated and inserted), in the final schema's columns.</summary>
    public string WrittenRows(string changedTable, IReadOnlyList<StructField> fields) =>
        $"SELECT {string.Join(", ", fields.Select(f => SqlText.Ident(f.Name)))} FROM {SqlText.Ident(changedTable)} "
        + $"WHERE NOT {TargetMarker} OR {In(CodeColumn, c => c.Action == MergeActionKind.Update)}";

    /// <summary>Over <see cref="ChangedRows"/>' result: per file, the positions of its target rows updated or
    /// deleted (repeated when every matched clause deletes; the vector writer takes a set), as one list per file.</summary>
    public static string ChangedPositions(string changedTable) =>
        $"SELECT {ChangedFile}, list({ChangedPosition}) FROM {SqlText.Ident(changedTable)} WHERE {TargetMarker} GROUP BY {ChangedFile}";
}
