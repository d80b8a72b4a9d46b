using System.Collections.Immutable;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Sql;

/// <summary>
/// Translates a Spark Connect <see cref="Relation"/> tree to one DuckDB SELECT statement (a <see cref="Frame"/>).
/// Every node becomes a SELECT over its input(s) as aliased subqueries; DuckDB's optimizer flattens them. Column
/// names are tracked here (not left to DuckDB) so that Spark's resolution rules, duplicate names after joins and
/// <c>df["col"]</c> references work.
/// </summary>
internal sealed partial class RelationTranslator(ITranslationContext context)
{
    private int _aliases;

    // DESCRIBE answers by statement text, for this translation only: a leaf at the root of a plan (spark.sql, a Delta
    // DML's result rows) is described for its names and again, unchanged, for its types. Nothing a translation does
    // changes what an identical statement binds to: the tables it creates (local data, cached results, a MERGE's
    // source) have new names, and a Delta read names its data files, which are never rewritten in place.
    private readonly Dictionary<string, IReadOnlyList<(string Name, string Type)>> _described = new(StringComparer.Ordinal);

    /// <summary>Translates a relation.</summary>
    public Frame Translate(Relation r) => context.Cached(r, TranslateNode) ?? TranslateNode(r);

    private Frame TranslateNode(Relation r)
    {
        var frame = r.RelTypeCase switch
        {
            Relation.RelTypeOneofCase.Read => Read(r.Read),
            Relation.RelTypeOneofCase.Project => Project(r.Project),
            Relation.RelTypeOneofCase.Filter => Filter(r.Filter),
            Relation.RelTypeOneofCase.Join => Join(r.Join),
            Relation.RelTypeOneofCase.SetOp => SetOp(r.SetOp),
            Relation.RelTypeOneofCase.Sort => Sort(r.Sort),
            Relation.RelTypeOneofCase.Limit => Wrap(LimitInput(r.Limit), $"LIMIT {r.Limit.Limit_}"),
            Relation.RelTypeOneofCase.Offset => Wrap(Translate(r.Offset.Input), $"OFFSET {r.Offset.Offset_}"),
            Relation.RelTypeOneofCase.Tail => Tail(r.Tail),
            Relation.RelTypeOneofCase.Aggregate => Aggregate(r.Aggregate),
            Relation.RelTypeOneofCase.Sql => Sql(r.Sql.Query, r.Sql.Args.Count + r.Sql.PosArgs.Count + r.Sql.NamedArguments.Count + r.Sql.PosArguments.Count),
            Relation.RelTypeOneofCase.LocalRelation => Leaf(context.LoadLocalRelation(r.LocalRelation)),
            Relation.RelTypeOneofCase.Deduplicate => Deduplicate(r.Deduplicate),
            Relation.RelTypeOneofCase.Range => Range(r.Range),
            Relation.RelTypeOneofCase.SubqueryAlias => SubqueryAlias(r.SubqueryAlias),
            Relation.RelTypeOneofCase.WithColumns => WithColumns(r.WithColumns),
            Relation.RelTypeOneofCase.WithColumnsRenamed => Renamed(r.WithColumnsRenamed),
            Relation.RelTypeOneofCase.ToDf => ToDf(r.ToDf),
            Relation.RelTypeOneofCase.Drop => Drop(r.Drop),
            Relation.RelTypeOneofCase.Hint => Translate(r.Hint.Input),
            Relation.RelTypeOneofCase.Repartition => Translate(r.Repartition.Input),
            Relation.RelTypeOneofCase.RepartitionByExpression => Translate(r.RepartitionByExpression.Input),
            Relation.RelTypeOneofCase.Extension => Leaf(context.ExtensionSql(r.Extension)),
            _ => throw Errors.UnsupportedPlan("Relation." + r.RelTypeCase),
        };
        return Tagged(r, frame);
    }

    /// <summary>The frame with its columns tagged by the relation's plan id (for column references by plan id).</summary>
    private static Frame Tagged(Relation r, Frame frame) => r.Common is { HasPlanId: true } c
        ? frame with { Columns = frame.Columns.Select(col => col.WithPlanId(c.PlanId)).ToList() }
        : frame;

    /// <summary>The input of a LIMIT; an extension right below it (not persisted) may take the limit itself, so that
    /// <c>history(1)</c> reads one commit rather than the whole log (the LIMIT still applies on top).</summary>
    private Frame LimitInput(Limit limit) =>
        limit.Input.RelTypeCase == Relation.RelTypeOneofCase.Extension && limit.Limit_ > 0
            ? context.Cached(limit.Input, TranslateNode) ?? Tagged(limit.Input, Leaf(context.ExtensionSql(limit.Input.Extension, limit.Limit_)))
            : Translate(limit.Input);

    /// <summary>
    /// The final statement for a frame (visible names, and types cast to ones Spark has) and its columns' DuckDB types.
    /// This is the one DESCRIBE a plan needs: the types after the casts follow from the types before them.
    /// </summary>
    public (string Sql, IReadOnlyList<(string Name, string Type)> Types) Output(Frame frame)
    {
        var types = Describe(frame.Sql);
        var alias = NextAlias();
        var output = new List<(string Name, string Type)>(frame.Columns.Count);
        var cols = frame.Columns.Select((c, i) =>
        {
            var reference = SqlText.Ident(alias) + "." + SqlText.Ident(c.Physical);
            var cast = Types.SparkCompatibleDuckDb(types[i].Type);
            output.Add((c.Name, cast ?? types[i].Type));
            return (cast is null ? reference : $"CAST({reference} AS {cast})") + " AS " + SqlText.Ident(c.Name);
        }).ToList();
        return ($"SELECT {string.Join(", ", cols)} FROM ({frame.Sql}) AS {SqlText.Ident(alias)}", output);
    }

    /// <summary>A leaf frame (a read, SQL, local data) over a source whose column names are known, or DESCRIBEd when not.</summary>
    public Frame Leaf(SourceSql source)
    {
        var sql = source.Sql;
        var names = source.Columns ?? Describe(sql).Select(d => d.Name).ToList();
        var physical = Frame.UniquePhysical(names);
        if (!physical.SequenceEqual(names, StringComparer.Ordinal))
        {
            // Make the SQL's names match the unique physical ones.
            var a = NextAlias();
            var list = names.Select((n, i) => $"{SqlText.Ident(a)}.{SqlText.Ident(n)} AS {SqlText.Ident(physical[i])}");
            sql = $"SELECT {string.Join(", ", list)} FROM ({sql}) AS {SqlText.Ident(a)}";
        }

        return new Frame(sql, names.Select((n, i) => new FrameColumn(n, physical[i], null, ImmutableHashSet<long>.Empty)).ToList());
    }

    /// <summary>A leaf frame whose columns are DESCRIBEd from its SQL.</summary>
    public Frame Leaf(string sql) => Leaf(new SourceSql(sql));

    private string NextAlias() => $"t{++_aliases}";

    private IReadOnlyList<(string Name, string Type)> Describe(string sql)
    {
        if (!_described.TryGetValue(sql, out var described))
        {
            described = context.Describe(sql);
            _described[sql] = described;
        }

        return described;
    }

    private SqlSettings Settings => context.Settings;

    private Scope ScopeOf(string alias, Frame input) => Scope.Of(alias, input, Settings.CaseSensitive);

    /// <summary>An expression translator over a scope that can ask DuckDB for the type of an expression.</summary>
    public ExpressionTranslator Expressions(Scope scope) => new(scope, Settings, sql =>
    {
        var from = scope.Inputs.Count == 0 ? "" : " FROM " + string.Join(", ", scope.Inputs.Select(i => $"({i.Frame.Sql}) AS {SqlText.Ident(i.Alias)}"));
        var described = Describe($"SELECT {sql} AS v{from}");
        return described.Count == 1 ? described[0].Type : null;
    });

    /// <summary>
    /// SELECT of expressions over one input. With <paramref name="keepFiles"/> (row-wise expressions only, no
    /// aggregates) the input's file column is kept, as Spark keeps <c>_metadata</c> resolvable above withColumn.
    /// </summary>
    private Frame Select(Frame input, Func<ExpressionTranslator, IEnumerable<SqlExpr>> exprs, bool keepFiles = false)
    {
        var alias = NextAlias();
        var tx = Expressions(ScopeOf(alias, input));
        var list = exprs(tx).ToList();
        var files = keepFiles && input.Files is { } f ? (f, SqlText.Ident(alias) + "." + SqlText.Ident(f.Column)) : ((Sources.FileMetadata, string)?)null;
        return Build(list, $"FROM ({input.Sql}) AS {SqlText.Ident(alias)}", files);
    }

    private static Frame Build(List<SqlExpr> list, string from, (Sources.FileMetadata Files, string Sql)? files = null)
    {
        var physical = Frame.UniquePhysical(list.Select(e => e.Name));
        var fileColumn = files is null ? "" : $", {files.Value.Sql} AS {SqlText.Ident(files.Value.Files.Column)}";
        var sql = $"SELECT {string.Join(", ", list.Select((e, i) => $"{e.Sql} AS {SqlText.Ident(physical[i])}"))}{fileColumn} {from}";
        var cols = list.Select((e, i) => e.Source is { } s
            ? s with { Physical = physical[i], Name = e.Name }
            : new FrameColumn(e.Name, physical[i], null, ImmutableHashSet<long>.Empty)).ToList();
        return new Frame(sql, cols, files?.Files);
    }

    private Frame Wrap(Frame input, string clause)
    {
        var alias = NextAlias();
        return input with { Sql = $"SELECT * FROM ({input.Sql}) AS {SqlText.Ident(alias)} {clause}" };
    }

    private Frame Project(Project p)
    {
        if (p.Input is null)
        {
            var tx = Expressions(new Scope([], Settings.CaseSensitive));
            return Build(p.Expressions.SelectMany(tx.TranslateMany).ToList(), "");
        }

        return Select(Translate(p.Input), tx => p.Expressions.SelectMany(tx.TranslateMany));
    }

    private Frame Filter(Filter f)
    {
        var input = Translate(f.Input);
        var alias = NextAlias();
        var cond = Expressions(ScopeOf(alias, input)).Translate(f.Condition);
        return input with { Sql = $"SELECT * FROM ({input.Sql}) AS {SqlText.Ident(alias)} WHERE {cond.Sql}" };
    }

    private Frame Sort(Sort s)
    {
        var input = Translate(s.Input);
        var alias = NextAlias();
        var tx = Expressions(ScopeOf(alias, input));
        var keys = s.Order.Select(o => tx.SortOrder(o).Sql);
        return input with { Sql = $"SELECT * FROM ({input.Sql}) AS {SqlText.Ident(alias)} ORDER BY {string.Join(", ", keys)}" };
    }

    private Frame Tail(Tail t)
    {
        var input = Translate(t.Input).WithoutFiles(NextAlias());
        var alias = NextAlias();
        var rn = "__lakehouse_rn";
        var inner = $"SELECT *, row_number() OVER () AS {rn} FROM ({input.Sql}) AS {SqlText.Ident(alias)}";
        var cols = string.Join(", ", input.Columns.Select(c => SqlText.Ident(c.Physical)));
        // The last n rows, in their original order (Spark's tail keeps it).
        var last = $"SELECT * FROM ({inner}) ORDER BY {rn} DESC LIMIT {t.Limit}";
        return input with { Sql = $"SELECT {cols} FROM ({last}) ORDER BY {rn}" };
    }

    private Frame Aggregate(Aggregate a)
    {
        var input = Translate(a.Input);
        var alias = NextAlias();
        var tx = Expressions(ScopeOf(alias, input));
        var groups = a.GroupingExpressions.Select(tx.Translate).ToList();
        var aggs = a.AggregateExpressions.Select(tx.Translate).ToList();
        var groupBy = a.GroupType switch
        {
            Spark.Protos.Aggregate.Types.GroupType.Groupby or Spark.Protos.Aggregate.Types.GroupType.Unspecified =>
                groups.Count == 0 ? "" : " GROUP BY " + string.Join(", ", groups.Select(g => g.Sql)),
            Spark.Protos.Aggregate.Types.GroupType.Rollup => " GROUP BY ROLLUP (" + string.Join(", ", groups.Select(g => g.Sql)) + ")",
            Spark.Protos.Aggregate.Types.GroupType.Cube => " GROUP BY CUBE (" + string.Join(", ", groups.Select(g => g.Sql)) + ")",
            _ => throw Errors.UnsupportedPlan("Aggregate." + a.GroupType),
        };
        return Build([.. groups, .. aggs], $"FROM ({input.Sql}) AS {SqlText.Ident(alias)}{groupBy}");
    }

    private Frame Deduplicate(Deduplicate d)
    {
        var input = Translate(d.Input).WithoutFiles(NextAlias());
        var alias = NextAlias();
        if (d.AllColumnsAsKeys || d.ColumnNames.Count == 0)
        {
            return input with { Sql = $"SELECT DISTINCT * FROM ({input.Sql}) AS {SqlText.Ident(alias)}" };
        }

        var scope = ScopeOf(alias, input);
        // Column names here are plain names, not identifiers: quote them so dots are not read as qualifiers.
        var keys = d.ColumnNames.Select(n => scope.Resolve("`" + n.Replace("`", "``", StringComparison.Ordinal) + "`", null).Sql);
        return input with { Sql = $"SELECT DISTINCT ON ({string.Join(", ", keys)}) * FROM ({input.Sql}) AS {SqlText.Ident(alias)}" };
    }

    private Frame Range(Spark.Protos.Range r)
    {
        var start = r.HasStart ? r.Start : 0;
        var step = r.Step == 0 ? 1 : r.Step;
        return new Frame(
            $"SELECT range AS \"id\" FROM range({SqlText.Int(start)}, {SqlText.Int(r.End)}, {SqlText.Int(step)})",
            [new FrameColumn("id", "id", null, ImmutableHashSet<long>.Empty)]);
    }

    private Frame SubqueryAlias(SubqueryAlias s)
    {
        var input = Translate(s.Input);
        return input with { Columns = input.Columns.Select(c => c with { Qualifier = s.Alias }).ToList() };
    }

    private Frame WithColumns(WithColumns w)
    {
        var input = Translate(w.Input);
        return Select(input, keepFiles: true, exprs: tx =>
        {
            var news = w.Aliases.Select(a => (Name: a.Name.Single(), Expr: tx.Translate(a.Expr))).ToList();
            var result = new List<SqlExpr>();
            foreach (var (sql, col) in tx.Scope.All())
            {
                var replaced = news.FindLastIndex(n => n.Name.Equals(col.Name, Settings.Names));
                result.Add(replaced >= 0 ? new SqlExpr(news[replaced].Expr.Sql, news[replaced].Name) : new SqlExpr(sql, col.Name, col));
            }

            var existing = tx.Scope.All().Select(c => c.Column.Name).ToHashSet(Settings.NameComparer);
            foreach (var group in news.Where(n => !existing.Contains(n.Name)).GroupBy(n => n.Name, Settings.NameComparer))
            {
                var last = group.Last();
                result.Add(new SqlExpr(last.Expr.Sql, last.Name));
            }

            return result;
        });
    }

    private Frame Renamed(WithColumnsRenamed w)
    {
        var input = Translate(w.Input);
        var map = w.Renames.Select(r => (r.ColName, r.NewColName)).Concat(w.RenameColumnsMap.Select(kv => (kv.Key, kv.Value))).ToList();
        return input with
        {
            Columns = input.Columns.Select(c =>
            {
                var hit = map.FindIndex(m => m.Item1.Equals(c.Name, Settings.Names));
                return hit < 0 ? c : c with { Name = map[hit].Item2 };
            }).ToList(),
        };
    }

    private Frame ToDf(ToDF t)
    {
        var input = Translate(t.Input);
        if (t.ColumnNames.Count != input.Columns.Count)
        {
            throw new EmbeddedException("LAKEHOUSE_EMBEDDED_INVALID_ARGUMENT", "42000",
                $"toDF was given {t.ColumnNames.Count} names for {input.Columns.Count} columns. Pass one name per column.");
        }

        return input with { Columns = input.Columns.Select((c, i) => c with { Name = t.ColumnNames[i] }).ToList() };
    }

    private Frame Drop(Drop d)
    {
        var input = Translate(d.Input);
        var alias = NextAlias();
        var scope = ScopeOf(alias, input);
        var dropped = new HashSet<FrameColumn>(ReferenceEqualityComparer.Instance);
        foreach (var n in d.ColumnNames)
        {
            // Spark ignores names that do not exist in drop().
            foreach (var c in input.Columns.Where(c => c.Name.Equals(n, Settings.Names)))
            {
                dropped.Add(c);
            }
        }

        foreach (var e in d.Columns)
        {
            var tx = Expressions(scope);
            if (tx.Translate(e).Source is { } src)
            {
                dropped.Add(src);
            }
        }

        var kept = input.Columns.Where(c => !dropped.Contains(c)).ToList();
        if (kept.Count == 0)
        {
            throw Errors.Unsupported("drop all columns", "Dropping every column of a DataFrame (a DuckDB result needs at least one column)");
        }

        var list = kept.Select(c => SqlText.Ident(alias) + "." + SqlText.Ident(c.Physical));
        return new Frame($"SELECT {string.Join(", ", list)} FROM ({input.Sql}) AS {SqlText.Ident(alias)}", kept);
    }
}
