using System.Globalization;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The two DuckDB passes of a MERGE over the target files joined with the materialized source. Each joined row gets a
/// clause code: the first clause of its kind whose condition is TRUE (matched 1…, not matched 101…, not matched by
/// source 201…), 0 when none applies. <see cref="Classify"/> aggregates the codes per file (which files change, the
/// row counts, ambiguous matches) without materializing anything; <see cref="Output"/> is the query whose rows are
/// the rewritten files and the inserted rows, computed again from the same join rather than read back from pass 1.
/// </summary>
/// <param name="session">The session that holds the source table.</param>
/// <param name="snapshot">The target version read.</param>
/// <param name="clauses">The translated clauses.</param>
/// <param name="condition">The merge condition (DuckDB SQL over the two aliases).</param>
/// <param name="sourceTable">The materialized source; it has a <see cref="SourceMarker"/> column that is TRUE on every row.</param>
/// <param name="targetAlias">The target alias the condition and clauses use.</param>
/// <param name="sourceAlias">The source alias the condition and clauses use.</param>
internal sealed partial class MergeJoin(EngineSession session, Snapshot snapshot, IReadOnlyList<MergeClause> clauses, string condition,
    string sourceTable, string targetAlias, string sourceAlias)
{
    /// <summary>A column of the materialized source, TRUE on every row, so a NULL says the join found no source row.</summary>
    public const string SourceMarker = "__lakehouse_in_source";

    private const string TargetMarker = "__lakehouse_in_target";
    private const string CodeColumn = "__lakehouse_clause";

    private readonly string _t = SqlText.Ident(targetAlias);
    private readonly string _s = SqlText.Ident(sourceAlias);

    /// <summary>Pass 1's counts for one target file (or, with a null path, for the source rows no target row matched).</summary>
    /// <param name="Path">The file's absolute path, or null.</param>
    /// <param name="Modifying">Rows a clause updates or deletes: the file must be rewritten.</param>
    /// <param name="Pairs">Matched (target row, source row) pairs.</param>
    /// <param name="PairedRows">Distinct target rows among <paramref name="Pairs"/> (equal to it when the source keys are unique).</param>
    /// <param name="ModifyingPairs">Matched pairs whose clause updates or deletes.</param>
    /// <param name="ModifyingRows">Distinct target rows among <paramref name="ModifyingPairs"/>.</param>
    /// <param name="MatchedUpdated">Target rows updated by a matched clause.</param>
    /// <param name="MatchedDeleted">Target rows deleted by a matched clause.</param>
    /// <param name="BySourceUpdated">Target rows updated by a not-matched-by-source clause.</param>
    /// <param name="BySourceDeleted">Target rows deleted by a not-matched-by-source clause.</param>
    /// <param name="Inserted">Source rows inserted.</param>
    public sealed record FileCounts(string? Path, long Modifying, long Pairs, long PairedRows, long ModifyingPairs, long ModifyingRows,
        long MatchedUpdated, long MatchedDeleted, long BySourceUpdated, long BySourceDeleted, long Inserted);

    /// <summary>
    /// Whether <see cref="Classify"/> counts the inserted rows. Only not-matched-by-source clauses need every target
    /// row, so only then does pass 1 join all rows of both sides; otherwise it is an inner join, which reads just the
    /// target rows that can match (DuckDB filters the target scan by the source's keys), and the caller derives the
    /// inserted rows from what pass 2 writes.
    /// </summary>
    public bool CountsInserts { get; } = clauses.Any(c => c.IsNotMatchedBySource);

    /// <summary>
    /// Pass 1: joins the candidate files with the source and counts per file. With <paramref name="exact"/> target rows
    /// are told apart by position, so a target row matched by several source rows is counted once; without it the
    /// caller knows that cannot happen (unique source keys) and no positions are read. Inserted rows are counted only
    /// when <see cref="CountsInserts"/> (0 otherwise).
    /// </summary>
    public List<FileCounts> Classify(IReadOnlyList<AddFile> candidates, bool exact)
    {
        var scan = DeltaScanSql.Sql(snapshot, candidates, session.Rows, rowIds: true, positions: exact);
        var join = CountsInserts ? JoinType(true, clauses.Any(c => c.IsNotMatched)) : "INNER JOIN";
        var pair = $"{_t}.{DeltaScanSql.FileColumn} IS NOT NULL AND {_s}.{SourceMarker} IS NOT NULL";
        var rows = exact ? $"count(DISTINCT __p) FILTER" : "count(*) FILTER";
        var matchedModifying = $"__c BETWEEN 1 AND {MergeClause.NotMatchedBase - 1}";
        var sql = $"SELECT __f, count(*) FILTER (WHERE {In("__c", c => c.IsMatched || c.IsNotMatchedBySource)}), "
                + $"count(*) FILTER (WHERE __pair), {rows} (WHERE __pair), count(*) FILTER (WHERE {matchedModifying}), {rows} (WHERE {matchedModifying}), "
                + $"count(*) FILTER (WHERE {In("__c", c => c.IsMatched && c.Action == MergeActionKind.Update)}), "
                + $"{rows} (WHERE {In("__c", c => c.IsMatched && c.Action == MergeActionKind.Delete)}), "
                + $"count(*) FILTER (WHERE {In("__c", c => c.IsNotMatchedBySource && c.Action == MergeActionKind.Update)}), "
                + $"count(*) FILTER (WHERE {In("__c", c => c.IsNotMatchedBySource && c.Action == MergeActionKind.Delete)}), "
                + $"count(*) FILTER (WHERE {In("__c", c => c.IsNotMatched)}) "
                + $"FROM (SELECT {_t}.{DeltaScanSql.FileColumn} AS __f, {_t}.{DeltaScanSql.PositionColumn} AS __p, {Code($"{_t}.{DeltaScanSql.FileColumn} IS NOT NULL")} AS __c, {pair} AS __pair "
                + $"FROM ({scan}) AS {_t} {join} {SqlText.Ident(sourceTable)} AS {_s} ON ({condition})) GROUP BY __f";
        return ReadCounts(sql);
    }

    /// <summary>The number of target rows that more than one source row would update or delete (for the error message).</summary>
    public long AmbiguousRows(IReadOnlyList<AddFile> files)
    {
        var scan = DeltaScanSql.Sql(snapshot, files, session.Rows, rowIds: true);
        return QueryValues.Count(session, $"SELECT count(*) FROM (SELECT 1 FROM ({scan}) AS {_t} JOIN {SqlText.Ident(sourceTable)} AS {_s} ON ({condition}) "
            + $"WHERE {Code("TRUE")} BETWEEN 1 AND {MergeClause.NotMatchedBase - 1} "
            + $"GROUP BY {_t}.{DeltaScanSql.FileColumn}, {_t}.{DeltaScanSql.PositionColumn} HAVING count(*) > 1)");
    }

    /// <summary>
    /// Pass 2: the rows to write — every row of the touched files as the clauses leave it, and the inserted source
    /// rows — in the final schema's columns.
    /// </summary>
    /// <param name="touched">The files to rewrite.</param>
    /// <param name="matchedElsewhere">Files not rewritten that hold a match: their source rows are matched, not inserted.</param>
    /// <param name="inserts">Whether any source row is inserted.</param>
    /// <param name="severalMatches">Whether some target row matches more than one source row (at most one of the pairs updates
    /// or deletes it, else pass 1 failed the MERGE): then each target row is kept once, preferring the pair that changes it.</param>
    /// <param name="fields">The final schema.</param>
    public string Output(IReadOnlyList<AddFile> touched, IReadOnlyList<AddFile> matchedElsewhere, bool inserts, bool severalMatches, IReadOnlyList<StructField> fields)
    {
        var inTarget = $"{_t}.{TargetMarker} IS NOT NULL";
        var scan = $"SELECT *, TRUE AS {TargetMarker} FROM ({DeltaScanSql.Sql(snapshot, touched, session.Rows, rowIds: severalMatches)})";
        var (source, veto) = SourceWithVeto(matchedElsewhere, inserts);
        var code = Code(inTarget, veto);
        var once = severalMatches
            ? $" QUALIFY NOT ({inTarget}) OR row_number() OVER (PARTITION BY {_t}.{DeltaScanSql.FileColumn}, {_t}.{DeltaScanSql.PositionColumn} ORDER BY (({code}) BETWEEN 1 AND {MergeClause.NotMatchedBase - 1}) DESC) = 1"
            : "";
        var rows = $"SELECT {Values(fields, code)}, {code} AS {CodeColumn}, {inTarget} AS {TargetMarker} "
                 + $"FROM ({scan}) AS {_t} {JoinType(touched.Count > 0, inserts)} {source} AS {_s} ON ({condition}){once}";
        return $"SELECT {string.Join(", ", fields.Select(f => SqlText.Ident(f.Name)))} FROM ({rows}) "
             + $"WHERE CASE WHEN {TargetMarker} THEN NOT ({In(CodeColumn, c => c.Action == MergeActionKind.Delete)}) ELSE {In(CodeColumn, c => c.IsNotMatched)} END";
    }

    /// <summary>
    /// The source as pass 2 joins it. When some source row may be inserted and files kept as they are hold matches, a
    /// source row that matches a row of such a file was matched and must not be inserted: the source then carries a
    /// flag, and the veto (the flag's column, else empty) makes such a row's not-matched code 0. The matched source rows
    /// come from an inner join (their rowid), which DuckDB runs far cheaper than a correlated EXISTS.
    /// </summary>
    private (string Source, string Veto) SourceWithVeto(IReadOnlyList<AddFile> matchedElsewhere, bool inserts)
    {
        var source = SqlText.Ident(sourceTable);
        if (!inserts || matchedElsewhere.Count == 0)
        {
            return (source, "");
        }

        var other = DeltaScanSql.Sql(snapshot, matchedElsewhere, session.Rows, rowIds: false);
        return ($"(SELECT *, rowid IN (SELECT {_s}.rowid FROM ({other}) AS {_t} JOIN {source} AS {_s} ON ({condition})) AS __lakehouse_elsewhere FROM {source})",
            $"{_s}.__lakehouse_elsewhere");
    }

    /// <summary>The final schema's columns as the clause whose code <paramref name="code"/> computes leaves them. The code
    /// is written out in every column that depends on it; DuckDB evaluates common subexpressions once.</summary>
    private string Values(IReadOnlyList<StructField> fields, string code)
    {
        var existing = snapshot.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var setters = clauses.Where(x => x.Action != MergeActionKind.Delete).ToList();
        return string.Join(", ", fields.Select(f =>
        {
            var current = existing.Contains(f.Name) ? $"{_t}.{SqlText.Ident(f.Name)}" : "NULL";
            var cases = string.Concat(setters.Select(u => u.Action == MergeActionKind.Insert
                ? $"WHEN {u.Code} THEN {u.Values.GetValueOrDefault(f.Name, "NULL")} "
                : u.Values.TryGetValue(f.Name, out var v) ? $"WHEN {u.Code} THEN {v} " : ""));
            return $"CAST({(cases.Length == 0 ? current : $"CASE {code} {cases}ELSE {current} END")} AS {Types.ToDuckDb(f.Type)}) AS {SqlText.Ident(f.Name)}";
        }));
    }

    private static string JoinType(bool keepTarget, bool keepSource) => (keepTarget, keepSource) switch
    {
        (true, true) => "FULL OUTER JOIN",
        (true, false) => "LEFT JOIN",
        (false, true) => "RIGHT JOIN",
        _ => "INNER JOIN",
    };

    /// <summary>The clause code of a joined row. <paramref name="notMatchedVeto"/>, when given, makes a source-only row's code 0.</summary>
    private string Code(string inTarget, string notMatchedVeto = "")
    {
        static string Case(IEnumerable<MergeClause> kind)
        {
            // Clauses after an unconditional one can never apply.
            var reachable = kind.TakeWhile(c => c.ConditionSql is not null).Concat(kind.SkipWhile(c => c.ConditionSql is not null).Take(1)).ToList();
            return reachable switch
            {
                [] => "0",
                [{ ConditionSql: null } only] => only.Code.ToString(CultureInfo.InvariantCulture),
                _ => "CASE " + string.Concat(reachable.Select(c => $"WHEN {c.ConditionSql ?? "TRUE"} THEN {c.Code} ")) + "ELSE 0 END",
            };
        }

        var inSource = $"{_s}.{SourceMarker} IS NOT NULL";
        var notMatched = notMatchedVeto.Length == 0 ? Case(clauses.Where(c => c.IsNotMatched)) : $"CASE WHEN {notMatchedVeto} THEN 0 ELSE {Case(clauses.Where(c => c.IsNotMatched))} END";
        return $"CASE WHEN {inTarget} AND {inSource} THEN {Case(clauses.Where(c => c.IsMatched))} "
             + $"WHEN {inSource} THEN {notMatched} "
             + $"ELSE {Case(clauses.Where(c => c.IsNotMatchedBySource))} END";
    }

    /// <summary>A SQL test of a code column against the codes of some clauses; FALSE when there are none.</summary>
    private string In(string column, Func<MergeClause, bool> which)
    {
        var codes = clauses.Where(which).Select(c => c.Code.ToString(CultureInfo.InvariantCulture)).ToList();
        return codes.Count == 0 ? "FALSE" : $"{column} IN ({string.Join(", ", codes)})";
    }
}
