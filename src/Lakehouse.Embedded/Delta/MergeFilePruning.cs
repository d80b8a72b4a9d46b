using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Embedded.Execution;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Finds the target files a MERGE can match before any target data is read. The equality conjuncts of the merge
/// condition (<c>target.col = source.expr</c>) give key columns; a file can hold a match only if, for every key, some
/// non-null source key value lies within the file's range for that column: its partition value for a partition
/// column, its min/max statistics for a data column. Files without usable statistics for a key are always candidates.
/// </summary>
internal static class MergeFilePruning
{
    /// <summary>An equality key: a top-level target column and the source expression (DuckDB SQL) it must equal.</summary>
    public sealed record Key(StructField Field, string SourceSql);

    /// <summary>
    /// The equality keys of a condition: its top-level AND conjuncts of the form <c>a = b</c> (functions <c>==</c>,
    /// or the text of an expression string) where one side is a target column and the other a source column.
    /// </summary>
    public static List<Key> Keys(Expression condition, Scope scope, Frame target, Frame source, StructType schema)
    {
        var keys = new List<Key>();
        foreach (var (left, right) in Equalities(condition))
        {
            var l = Side(left, scope, target, source);
            var r = Side(right, scope, target, source);
            var key = (l, r) switch
            {
                ({ IsTarget: true } t, { IsTarget: false } s) => new Key(schema[t.Name], s.Sql),
                ({ IsTarget: false } s, { IsTarget: true } t) => new Key(schema[t.Name], s.Sql),
                _ => null,
            };
            if (key is not null && key.Field.Type is PrimitiveType or DecimalType && key.Field.Type != PrimitiveType.Boolean && key.Field.Type != PrimitiveType.Binary)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>What one pass over the source's keys tells about the target files and the source.</summary>
    /// <param name="Candidates">The files that may hold a target row matching a source row (every file when not pruning).</param>
    /// <param name="UniqueKeys">
    /// True when no two source rows share a non-NULL key tuple (keys cast to the target columns' types) that can match:
    /// tuples outside the hull of the candidate files' key ranges are not looked at. Every match needs equal keys, so
    /// then no target row can match more than one source row.
    /// </param>
    /// <param name="Rows">The number of source rows.</param>
    public sealed record SourceKeys(List<AddFile> Candidates, bool UniqueKeys, long Rows);

    /// <summary>Files ranged in one aggregate (one <c>bool_or</c> per file); more files take a range join instead.</summary>
    private const int AggregateFileLimit = 128;

    /// <summary>
    /// Reads the source's keys once: which files of <paramref name="snapshot"/> may contain a target row matching a
    /// source row of <paramref name="sourceTable"/> (all of them unless <paramref name="prune"/>), and whether the
    /// source's key tuples are unique, and how many rows the source has. Without <paramref name="uniqueness"/> (the caller
    /// counts matched target rows exactly anyway) the keys are not hashed for it and <see cref="SourceKeys.UniqueKeys"/> is false.
    /// </summary>
    public static SourceKeys Analyze(EngineSession session, Snapshot snapshot, IReadOnlyList<Key> keys, string sourceTable, string sourceAlias, bool prune, bool uniqueness = true)
    {
        var files = snapshot.Files.ToList();
        if (keys.Count == 0)
        {
            return new SourceKeys(files, false, QueryValues.Count(session, $"SELECT count(*) FROM {SqlText.Ident(sourceTable)}"));
        }

        var (candidates, ranged) = prune ? Ranges(snapshot, files, keys) : (files, []);
        var aggregated = ranged.Count <= AggregateFileLimit ? ranged : [];
        var keySelect = string.Join(", ", keys.Select((k, i) => $"{k.SourceSql} AS __k{i}"));
        var notNull = string.Join(" AND ", keys.Select((_, i) => $"__k{i} IS NOT NULL"));
        var cast = keys.Select((k, i) => $"TRY_CAST(__k{i} AS {Types.ToDuckDb(k.Field.Type)})").ToList();
        var castNotNull = string.Join(" AND ", cast.Select(c => $"{c} IS NOT NULL"));
        var distinct = keys.Count == 1 ? cast[0] : "(" + string.Join(", ", cast) + ")";
        // Only keys that can match need to be unique: when every candidate file has a range, a key tuple outside the
        // ranges' hull (usually a new key that will be inserted) matches no target row — the same test that prunes
        // files — so it is left out of both counts. A key whose cast fails is counted but never distinct: "not unique".
        var hull = prune && candidates.Count == 0 && ranged.Count is > 0 and <= AggregateFileLimit
            ? " AND " + string.Join(" AND ", keys.Select((_, k) =>
                $"__k{k} BETWEEN least({string.Join(", ", ranged.Select(r => r.Bounds[2 * k]))}) AND greatest({string.Join(", ", ranged.Select(r => r.Bounds[2 * k + 1]))})"))
            : "";
        var unique = uniqueness ? $"count(DISTINCT {distinct}) FILTER (WHERE {castNotNull}{hull})" : "-1";
        var sql = new StringBuilder($"SELECT count(*) FILTER (WHERE {notNull}{hull}), {unique}, count(*)");
        foreach (var (_, bounds) in aggregated)
        {
            sql.Append(", coalesce(bool_or(").Append(string.Join(" AND ", keys.Select((_, k) => $"__k{k} BETWEEN {bounds[2 * k]} AND {bounds[2 * k + 1]}"))).Append("), FALSE)");
        }

        sql.Append(CultureInfo.InvariantCulture, $" FROM (SELECT {keySelect} FROM {SqlText.Ident(sourceTable)} AS {SqlText.Ident(sourceAlias)})");
        var values = QueryValues.Longs(session, sql.ToString());
        candidates.AddRange(aggregated.Where((_, i) => values[3 + i] != 0).Select(r => files[r.Index]));
        if (ranged.Count > AggregateFileLimit)
        {
            candidates.AddRange(RangeJoin(session, files, ranged, keys, keySelect, notNull, sourceTable, sourceAlias));
        }

        return new SourceKeys(candidates, values[0] == values[1], values[2]);
    }

    /// <summary>
    /// Splits the files into those that must be read whatever the keys (no statistics for a key) and those with a
    /// range per key; files that can hold no match (NULL partition, all-NULL key column) are in neither.
    /// </summary>
    private static (List<AddFile> Always, List<(int Index, string[] Bounds)> Ranged) Ranges(Snapshot snapshot, List<AddFile> files, IReadOnlyList<Key> keys)
    {
        var mode = snapshot.ColumnMapping;
        var partitions = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidates = new List<AddFile>();
        var ranged = new List<(int Index, string[] Bounds)>();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var stats = file.Stats is { } json ? JsonNode.Parse(json) as JsonObject : null;
            var bounds = new string[keys.Count * 2];
            var unknown = false;
            var empty = false;
            for (var k = 0; k < keys.Count && !empty; k++)
            {
                var field = keys[k].Field;
                var type = Types.ToDuckDb(field.Type);
                if (partitions.Contains(field.Name))
                {
                    var raw = file.PartitionValues.TryGetValue(field.PhysicalName(mode), out var v) ? v : file.PartitionValues.GetValueOrDefault(field.Name);
                    if (raw is null || (raw.Length == 0 && field.Type != PrimitiveType.String))
                    {
                        // NULL keys never match: a file of the NULL partition holds no match.
                        empty = true;
                        break;
                    }

                    bounds[2 * k] = bounds[2 * k + 1] = $"CAST({SqlText.Str(raw)} AS {type})";
                    continue;
                }

                var name = field.PhysicalName(mode);
                var records = stats?["numRecords"]?.GetValue<long>();
                var nulls = stats?["nullCount"]?[name] is JsonValue n ? n.GetValue<long>() : (long?)null;
                if (records is { } r && nulls is { } nc && r == nc)
                {
                    // Every key of the file is NULL (or it has no rows): it holds no match.
                    empty = true;
                    break;
                }

                if (stats?["minValues"]?[name] is JsonValue min && stats["maxValues"]?[name] is JsonValue max)
                {
                    bounds[2 * k] = $"CAST({SqlText.Str(Text(min))} AS {type})";
                    // Timestamp statistics are truncated to milliseconds, so the true maximum can be up to 1 ms above.
                    bounds[2 * k + 1] = field.Type == PrimitiveType.Timestamp || field.Type == PrimitiveType.TimestampNtz
                        ? $"(CAST({SqlText.Str(Text(max))} AS {type}) + INTERVAL 1 MILLISECOND)"
                        : $"CAST({SqlText.Str(Text(max))} AS {type})";
                }
                else
                {
                    unknown = true;
                }
            }

            if (empty)
            {
                continue;
            }

            if (unknown)
            {
                candidates.Add(file);
            }
            else
            {
                ranged.Add((i, bounds));
            }
        }

        return (candidates, ranged);
    }

    private static IEnumerable<AddFile> RangeJoin(EngineSession session, List<AddFile> files, List<(int Index, string[] Bounds)> ranged, IReadOnlyList<Key> keys,
        string keySelect, string notNull, string sourceTable, string sourceAlias)
    {
        var columns = new StringBuilder("__fid");
        for (var k = 0; k < keys.Count; k++)
        {
            columns.Append(CultureInfo.InvariantCulture, $", __min{k}, __max{k}");
        }

        var values = string.Join(", ", ranged.Select(r => $"({r.Index}, {string.Join(", ", r.Bounds)})"));
        var on = string.Join(" AND ", keys.Select((_, i) => $"k.__k{i} BETWEEN f.__min{i} AND f.__max{i}"));
        var sql = $"SELECT DISTINCT f.__fid FROM (VALUES {values}) AS f({columns}) "
                + $"JOIN (SELECT DISTINCT * FROM (SELECT {keySelect} FROM {SqlText.Ident(sourceTable)} AS {SqlText.Ident(sourceAlias)}) WHERE {notNull}) AS k ON {on}";
        var hit = new HashSet<int>();
        foreach (var batch in session.QueryAsync(sql, CancellationToken.None).ToBlockingEnumerable())
        {
            var column = batch.Column(0);
            for (var i = 0; i < batch.Length; i++)
            {
                hit.Add(Convert.ToInt32(ArrowResults.Value(column, i), CultureInfo.InvariantCulture));
            }
        }

        return ranged.Where(r => hit.Contains(r.Index)).Select(r => files[r.Index]);
    }

    private static string Text(JsonValue value) => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private sealed record Resolved(bool IsTarget, string Name, string Sql);

    private static Resolved? Side(Expression e, Scope scope, Frame target, Frame source)
    {
        if (e.ExprTypeCase != Expression.ExprTypeOneofCase.UnresolvedAttribute)
        {
            return null;
        }

        try
        {
            var a = e.UnresolvedAttribute;
            var (sql, column, name) = scope.Resolve(a.UnparsedIdentifier, a.HasPlanId ? a.PlanId : null);
            if (target.Columns.Contains(column) && name == column.Name)
            {
                return new Resolved(true, column.Name, sql);
            }

            return source.Columns.Contains(column) ? new Resolved(false, name, sql) : null;
        }
        catch (EmbeddedException)
        {
            // Unresolvable or ambiguous: translating the whole condition reports it.
            return null;
        }
    }

    private static IEnumerable<(Expression Left, Expression Right)> Equalities(Expression e)
    {
        if (e.ExprTypeCase == Expression.ExprTypeOneofCase.UnresolvedFunction)
        {
            var f = e.UnresolvedFunction;
            if (f.FunctionName.Equals("and", StringComparison.OrdinalIgnoreCase) && f.Arguments.Count == 2)
            {
                return Equalities(f.Arguments[0]).Concat(Equalities(f.Arguments[1]));
            }

            if (f.FunctionName is "==" or "=" && f.Arguments.Count == 2)
            {
                return [(f.Arguments[0], f.Arguments[1])];
            }
        }
        else if (e.ExprTypeCase == Expression.ExprTypeOneofCase.ExpressionString)
        {
            return ConditionText.Conjuncts(e.ExpressionString.Expression)
                .Select(ConditionText.Equality)
                .Where(p => p is not null)
                .Select(p => (Attribute(p!.Value.Left), Attribute(p.Value.Right)));
        }

        return [];
    }

    private static Expression Attribute(string identifier) =>
        new() { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = identifier } };
}
