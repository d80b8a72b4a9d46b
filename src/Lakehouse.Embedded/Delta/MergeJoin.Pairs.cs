using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The matched pairs of a MERGE kept as a table: one row per (target row, source row) pair the condition matches, with
/// the target row's file and position, the source row's rowid and the clause code. When every row the MERGE writes takes
/// its values from the source alone (<see cref="WritesFromSourceOnly"/>), the pairs are all pass 2 needs: the changed
/// target rows are their positions, the updated rows are the paired source rows with the clause's values, and the
/// inserted rows are the source rows no pair names. The target is then read once, by the pass that finds the pairs,
/// instead of again for the changed rows and again for the source rows it matches.
/// </summary>
internal sealed partial class MergeJoin
{
    /// <summary>
    /// True when pass 2 can be computed from the pairs: no not-matched-by-source clause (those need the unmatched target
    /// rows), every update clause sets every column of <paramref name="fields"/> to a source column, and every insert
    /// clause sets columns to source columns or NULL. A value that is any other expression, even one that does not read
    /// the target, takes the general path: telling such expressions apart by their SQL would be guesswork.
    /// </summary>
    /// <param name="fields">The final schema.</param>
    /// <param name="sourceColumns">The SQL of each source column as the clauses' values write it (<c>"s"."col"</c>).</param>
    public bool WritesFromSourceOnly(IReadOnlyList<StructField> fields, IReadOnlySet<string> sourceColumns) =>
        !CountsInserts
        && clauses.Where(c => c.Action == MergeActionKind.Update).All(c => fields.All(f => c.Values.TryGetValue(f.Name, out var v) && sourceColumns.Contains(v)))
        && clauses.Where(c => c.Action == MergeActionKind.Insert).All(c => c.Values.Values.All(v => v == "NULL" || sourceColumns.Contains(v)));

    /// <summary>
    /// Pass 1 that keeps its pairs: joins the candidate files with the source into <paramref name="pairsTable"/> (file,
    /// position, source rowid, clause code of every matched pair), then counts per file from that table, as
    /// <see cref="Classify"/> does with exact row counts. Only for MERGEs without not-matched-by-source clauses.
    /// </summary>
    public List<FileCounts> ClassifyIntoPairs(IReadOnlyList<AddFile> candidates, string pairsTable)
    {
        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Rows, rowIds: true, positions: true);
        var pairs = SqlText.Ident(pairsTable);
        session.NonQuery($"CREATE TEMP TABLE {pairs} AS SELECT {_t}.{DeltaScanSql.FileColumn} AS __f, {_t}.{DeltaScanSql.PositionColumn} AS __p, "
            + $"{_s}.rowid AS __r, {Code("TRUE")} AS __c{Preimages($"{_t}.")} FROM ({scan}) AS {_t} JOIN {SqlText.Ident(sourceTable)} AS {_s} ON ({condition})");
        // Rows are counted per (file, position) group first, then per file: one hash table per level instead of one per
        // DISTINCT aggregate.
        var modifying = $"__c BETWEEN 1 AND {MergeClause.NotMatchedBase - 1}";
        var perRow = $"SELECT __f, __p, count(*) FILTER (WHERE {In("__c", c => c.IsMatched)}) AS a, count(*) AS n, count(*) FILTER (WHERE {modifying}) AS m, "
                   + $"count(*) FILTER (WHERE {In("__c", c => c.IsMatched && c.Action == MergeActionKind.Update)}) AS u, "
                   + $"count(*) FILTER (WHERE {In("__c", c => c.IsMatched && c.Action == MergeActionKind.Delete)}) AS d FROM {pairs} GROUP BY __f, __p";
        var sql = "SELECT __f, CAST(sum(a) AS BIGINT), CAST(sum(n) AS BIGINT), count(*), CAST(sum(m) AS BIGINT), count(*) FILTER (WHERE m > 0), "
                + $"CAST(sum(u) AS BIGINT), count(*) FILTER (WHERE d > 0), 0, 0, 0 FROM ({perRow}) GROUP BY __f";
        return ReadCounts(sql);
    }

    /// <summary>
    /// <see cref="ChangedRows"/> from the pairs of <see cref="ClassifyIntoPairs"/> (only when <see cref="WritesFromSourceOnly"/>):
    /// the paired source rows whose clause updates or deletes, with the target row's file and position, and the source
    /// rows no pair names whose not-matched clause inserts them. No target file is read.
    /// </summary>
    public string ChangedRowsFromPairs(string pairsTable, bool inserts, IReadOnlyList<StructField> fields)
    {
        var source = SqlText.Ident(sourceTable);
        var pairs = SqlText.Ident(pairsTable);
        // The values come from the source; the target's columns are only the ELSE of clauses that set nothing (deletes),
        // whose rows are never written, so a row of NULLs stands in for them.
        var nulls = "SELECT " + string.Join(", ", snapshot.Schema.Fields.Select(f => $"CAST(NULL AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}"));
        var changed = $"SELECT {Values(fields, "p.__c")}, p.__f AS {ChangedFile}, p.__p AS {ChangedPosition}, p.__c AS {CodeColumn}, TRUE AS {TargetMarker}{PairPreimages()} "
                    + $"FROM {pairs} AS p JOIN {source} AS {_s} ON {_s}.rowid = p.__r, ({nulls}) AS {_t} WHERE {In("p.__c", c => c.IsMatched)}";
        if (!inserts)
        {
            return changed;
        }

        var insertCode = Code("FALSE");
        return $"{changed} UNION ALL SELECT * FROM (SELECT {Values(fields, insertCode)}, CAST(NULL AS VARCHAR) AS {ChangedFile}, CAST(NULL AS BIGINT) AS {ChangedPosition}, "
             + $"{insertCode} AS {CodeColumn}, FALSE AS {TargetMarker}{Preimages($"{_t}.")} FROM {source} AS {_s}, ({nulls}) AS {_t} "
             + $"WHERE {_s}.rowid NOT IN (SELECT __r FROM {pairs})) WHERE {In(CodeColumn, c => c.IsNotMatched)}";
    }

    /// <summary>The preimage columns of <see cref="ChangedRowsFromPairs"/>' changed rows: the pairs table carries them.</summary>
    private string PairPreimages() => KeepsPreimages
        ? string.Concat(snapshot.Schema.Fields.Select((_, i) => $", p.__lakehouse_pre_{i}"))
        : "";

    /// <summary>The rows an insert-only outcome writes (no target row changes): the inserted rows of
    /// <see cref="ChangedRowsFromPairs"/>, in the final schema's columns.</summary>
    public string InsertedRowsFromPairs(string pairsTable, IReadOnlyList<StructField> fields) =>
        $"SELECT {string.Join(", ", fields.Select(f => SqlText.Ident(f.Name)))} FROM ({ChangedRowsFromPairs(pairsTable, inserts: true, fields)}) WHERE NOT {TargetMarker}";

    private List<FileCounts> ReadCounts(string sql)
    {
        var result = new List<FileCounts>();
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            for (var i = 0; i < batch.Length; i++)
            {
                long N(int column) => Convert.ToInt64(ArrowResults.Value(batch.Column(column), i) ?? 0L, CultureInfo.InvariantCulture);
                result.Add(new FileCounts((string?)ArrowResults.Value(batch.Column(0), i), N(1), N(2), N(3), N(4), N(5), N(6), N(7), N(8), N(9), N(10)));
            }
        }

        return result;
    }
}
