using System.Collections.Immutable;
using Lakehouse.Embedded.Delta;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>Joins, set operations and sources (tables, files, SQL).</summary>
internal sealed partial class RelationTranslator
{
    private Frame Join(Join j)
    {
        var left = Translate(j.Left);
        var right = Translate(j.Right);
        var la = NextAlias();
        var ra = NextAlias();
        var scope = new Scope([(la, left), (ra, right)], Settings.CaseSensitive);
        var kind = j.JoinType switch
        {
            Spark.Protos.Join.Types.JoinType.Inner or Spark.Protos.Join.Types.JoinType.Unspecified => "INNER",
            Spark.Protos.Join.Types.JoinType.LeftOuter => "LEFT",
            Spark.Protos.Join.Types.JoinType.RightOuter => "RIGHT",
            Spark.Protos.Join.Types.JoinType.FullOuter => "FULL",
            Spark.Protos.Join.Types.JoinType.LeftSemi => "SEMI",
            Spark.Protos.Join.Types.JoinType.LeftAnti => "ANTI",
            Spark.Protos.Join.Types.JoinType.Cross => "CROSS",
            _ => throw Errors.UnsupportedPlan("Join." + j.JoinType),
        };
        var semiOrAnti = kind is "SEMI" or "ANTI";
        string L(FrameColumn c) => SqlText.Ident(la) + "." + SqlText.Ident(c.Physical);
        string R(FrameColumn c) => SqlText.Ident(ra) + "." + SqlText.Ident(c.Physical);

        var outputs = new List<SqlExpr>();
        string on;
        if (j.UsingColumns.Count > 0)
        {
            // Spark: USING columns first (coalesced for full joins), then the other left columns, then the other right columns.
            var pairs = j.UsingColumns.Select(u =>
            {
                var lc = left.Columns.Where(c => c.Name.Equals(u, Settings.Names)).ToList();
                var rc = right.Columns.Where(c => c.Name.Equals(u, Settings.Names)).ToList();
                if (lc.Count != 1 || rc.Count != 1)
                {
                    throw lc.Count == 0 || rc.Count == 0
                        ? Errors.UnresolvedColumn(u, (lc.Count == 0 ? left : right).Columns.Select(c => c.Name).Take(5))
                        : Errors.AmbiguousColumn(u, [u, u]);
                }

                return (Left: lc[0], Right: rc[0]);
            }).ToList();
            on = " ON " + string.Join(" AND ", pairs.Select(p => $"{L(p.Left)} = {R(p.Right)}"));
            foreach (var (lc, rc) in pairs)
            {
                var sql = kind switch { "RIGHT" => R(rc), "FULL" => $"coalesce({L(lc)}, {R(rc)})", _ => L(lc) };
                outputs.Add(new SqlExpr(sql, lc.Name, kind == "FULL" ? null : kind == "RIGHT" ? rc : lc));
            }

            var usedLeft = pairs.Select(p => p.Left).ToHashSet(ReferenceEqualityComparer.Instance);
            var usedRight = pairs.Select(p => p.Right).ToHashSet(ReferenceEqualityComparer.Instance);
            outputs.AddRange(left.Columns.Where(c => !usedLeft.Contains(c)).Select(c => new SqlExpr(L(c), c.Name, c)));
            if (!semiOrAnti)
            {
                outputs.AddRange(right.Columns.Where(c => !usedRight.Contains(c)).Select(c => new SqlExpr(R(c), c.Name, c)));
            }
        }
        else
        {
            on = j.JoinCondition is null ? (kind == "CROSS" ? "" : " ON TRUE") : " ON " + Expressions(scope).Translate(j.JoinCondition).Sql;
            if (kind == "INNER" && j.JoinCondition is null)
            {
                kind = "CROSS";
                on = "";
            }

            outputs.AddRange(left.Columns.Select(c => new SqlExpr(L(c), c.Name, c)));
            if (!semiOrAnti)
            {
                outputs.AddRange(right.Columns.Select(c => new SqlExpr(R(c), c.Name, c)));
            }
        }

        if (semiOrAnti && j.UsingColumns.Count == 0 && j.JoinCondition is { } condition && !AllComparisons(condition))
        {
            // DuckDB hashes a SEMI/ANTI join only when every conjunct of its condition is a comparison of the two sides;
            // one other conjunct (an OR, a NOT) makes it a nested-loop join over both inputs. As [NOT] EXISTS it
            // decorrelates into a hash join on the equalities with the rest as a filter. Same rows: both keep a left
            // row by whether some right row makes the condition true.
            var exists = kind == "ANTI" ? "NOT EXISTS" : "EXISTS";
            return Build(outputs, $"FROM ({left.Sql}) AS {SqlText.Ident(la)} WHERE {exists} (SELECT 1 FROM ({right.Sql}) AS {SqlText.Ident(ra)} WHERE{on[" ON".Length..]})");
        }

        return Build(outputs, $"FROM ({left.Sql}) AS {SqlText.Ident(la)} {kind} JOIN ({right.Sql}) AS {SqlText.Ident(ra)}{on}");
    }

    /// <summary>Whether <paramref name="condition"/> is a conjunction of binary comparisons only (what DuckDB can hash).</summary>
    private static bool AllComparisons(Expression condition)
    {
        if (condition.ExprTypeCase != Expression.ExprTypeOneofCase.UnresolvedFunction)
        {
            return false;
        }

        var f = condition.UnresolvedFunction;
        return f.FunctionName.ToLowerInvariant() switch
        {
            "and" => f.Arguments.All(AllComparisons),
            "==" or "=" or "!=" or "<>" or "<" or "<=" or ">" or ">=" or "<=>" => f.Arguments.Count == 2,
            _ => false,
        };
    }

    private Frame SetOp(SetOperation s)
    {
        var left = Translate(s.LeftInput).WithoutFiles(NextAlias());
        var right = Translate(s.RightInput).WithoutFiles(NextAlias());
        var ra = NextAlias();
        string rightSql;
        if (s.ByName)
        {
            var list = new List<string>();
            foreach (var lc in left.Columns)
            {
                var rc = right.Columns.FirstOrDefault(c => c.Name.Equals(lc.Name, Settings.Names));
                if (rc is null && !s.AllowMissingColumns)
                {
                    throw new EmbeddedException("UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
                        $"unionByName: the column `{lc.Name}` of the first DataFrame is missing in the second. Add it, or pass allowMissingColumns=true.",
                        new Dictionary<string, string> { ["objectName"] = $"`{lc.Name}`", ["proposal"] = string.Join(", ", right.Columns.Select(c => $"`{c.Name}`")) });
                }

                list.Add(rc is null ? "NULL" : SqlText.Ident(ra) + "." + SqlText.Ident(rc.Physical));
            }

            rightSql = $"SELECT {string.Join(", ", list)} FROM ({right.Sql}) AS {SqlText.Ident(ra)}";
            if (s.AllowMissingColumns)
            {
                var extra = right.Columns.Where(rc => !left.Columns.Any(lc => lc.Name.Equals(rc.Name, Settings.Names))).ToList();
                if (extra.Count > 0)
                {
                    var la2 = NextAlias();
                    left = new Frame(
                        $"SELECT {SqlText.Ident(la2)}.*, {string.Join(", ", extra.Select(e => "NULL AS " + SqlText.Ident(e.Physical)))} FROM ({left.Sql}) AS {SqlText.Ident(la2)}",
                        [.. left.Columns, .. extra.Select(e => e with { Qualifier = null })]);
                    rightSql = $"SELECT {string.Join(", ", list)}, {string.Join(", ", extra.Select(e => SqlText.Ident(ra) + "." + SqlText.Ident(e.Physical)))} FROM ({right.Sql}) AS {SqlText.Ident(ra)}";
                }
            }
        }
        else
        {
            if (left.Columns.Count != right.Columns.Count)
            {
                throw new EmbeddedException("NUM_COLUMNS_MISMATCH", "42826",
                    $"UNION can only be performed on inputs with the same number of columns, but the first input has {left.Columns.Count} columns and the second input has {right.Columns.Count} columns. Select matching columns, or use unionByName.",
                    new Dictionary<string, string> { ["operator"] = "UNION", ["firstNumColumns"] = left.Columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["invalidNumColumns"] = right.Columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            rightSql = right.Sql;
        }

        var all = s.IsAll;
        var op = s.SetOpType switch
        {
            SetOperation.Types.SetOpType.Union => all ? "UNION ALL" : "UNION",
            SetOperation.Types.SetOpType.Intersect => all ? "INTERSECT ALL" : "INTERSECT",
            SetOperation.Types.SetOpType.Except => all ? "EXCEPT ALL" : "EXCEPT",
            _ => throw Errors.UnsupportedPlan("SetOperation." + s.SetOpType),
        };
        var la = NextAlias();
        var lsel = $"SELECT * FROM ({left.Sql}) AS {SqlText.Ident(la)}";
        var rb = NextAlias();
        return new Frame(
            $"{lsel} {op} SELECT * FROM ({rightSql}) AS {SqlText.Ident(rb)}",
            left.Columns.Select(c => c with { Qualifier = null, PlanIds = ImmutableHashSet<long>.Empty }).ToList());
    }

    private Frame Sql(string query, int argumentCount)
    {
        if (argumentCount > 0)
        {
            throw Errors.Unsupported("sql arguments", "spark.sql with query parameters");
        }

        var rewritten = SparkSqlRewriter.RewriteQuery(query, Settings, (parts, version, timestamp) => TableReferenceSql(parts, version, timestamp)?.Sql);
        return Leaf(rewritten);
    }

    private SourceSql? TableReferenceSql(IReadOnlyList<string> parts, string? version, string? timestamp)
    {
        if (parts.Count == 2 && parts[0].Equals("delta", StringComparison.OrdinalIgnoreCase) && (parts[1].Contains('/', StringComparison.Ordinal) || parts[1].Contains('\\', StringComparison.Ordinal)))
        {
            return context.DeltaTableSql(parts[1], version, timestamp);
        }

        if (parts.Count == 1 && context.View(parts[0]) is { } view)
        {
            return new SourceSql(Output(Translate(view)).Sql);
        }

        if (parts.Count == 2)
        {
            return context.DeltaTableSql(context.TablePath(parts[0] + "." + parts[1]), version, timestamp);
        }

        return null;
    }

    /// <summary>The table a change data feed read names: <c>delta.`/path`</c> or <c>database.table</c>.</summary>
    private string ChangeFeedTablePath(IReadOnlyList<string> parts, string id) => parts switch
    {
        [var d, var p] when d.Equals("delta", StringComparison.OrdinalIgnoreCase) && (p.Contains('/', StringComparison.Ordinal) || p.Contains('\\', StringComparison.Ordinal)) => p,
        [var d, var t] => context.TablePath(d + "." + t),
        _ => throw Errors.TableNotFound(id, "(the change data feed is read from a Delta table: database.table or delta.`/path`)"),
    };

    private Frame Read(Read r)
    {
        if (r.IsStreaming)
        {
            throw Errors.UnsupportedPlan("Read (streaming)");
        }

        if (r.ReadTypeCase == Spark.Protos.Read.ReadTypeOneofCase.NamedTable)
        {
            var id = r.NamedTable.UnparsedIdentifier;
            var parts = Scope.SplitIdentifier(id);
            r.NamedTable.Options.TryGetValue("versionAsOf", out var v);
            r.NamedTable.Options.TryGetValue("timestampAsOf", out var ts);
            if (parts.Count == 1 && context.View(parts[0]) is { } view)
            {
                return Translate(view);
            }

            if (ChangeFeedSql.Requested(r.NamedTable.Options))
            {
                return Leaf(context.DeltaChangesSql(ChangeFeedTablePath(parts, id), r.NamedTable.Options));
            }

            var source = TableReferenceSql(parts, v, ts) ?? throw Errors.TableNotFound(id, "(session views)");
            return Leaf(source);
        }

        var (sourceSql, files) = DataSources.Sql(r.DataSource, context);
        var leaf = Leaf(sourceSql);
        return files is null
            ? leaf
            : new Frame(leaf.Sql, leaf.Columns.Take(leaf.Columns.Count - 1).ToList(), files with { Column = leaf.Columns[^1].Physical });
    }
}
