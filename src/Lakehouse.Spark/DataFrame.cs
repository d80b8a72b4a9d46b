using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>
/// An immutable, lazily evaluated plan. Transformations are synchronous and only build a new
/// <c>spark.connect.Relation</c> on top of this one; actions (<c>…Async</c>) send it to the server.
/// </summary>
public sealed partial class DataFrame
{
    internal DataFrame(SparkSession session, Relation relation)
    {
        Session = session;
        Relation = relation;
    }

    /// <summary>The session the plan belongs to.</summary>
    public SparkSession Session { get; }

    /// <summary>The plan root.</summary>
    internal Relation Relation { get; }

    internal long PlanId => Relation.Common.PlanId;

    /// <summary>A column of this DataFrame, bound to it by plan id (disambiguates self-joins).</summary>
    /// <param name="name">Column name.</param>
    public Column this[string name] =>
        new(new Expression { UnresolvedAttribute = new() { UnparsedIdentifier = name, PlanId = PlanId } });

    /// <summary>Projects columns.</summary>
    /// <param name="columns">Columns or expressions.</param>
    public DataFrame Select(params Column[] columns)
    {
        var project = new Project { Input = Relation };
        project.Expressions.AddRange(columns.Select(c => c.Expression));
        return Next(new Relation { Project = project });
    }

    /// <summary>Projects columns by name.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Select(params string[] columns) => Select([.. columns.Select(Functions.Col)]);

    /// <summary>Projects SQL expressions, e.g. <c>SelectExpr("id", "amount * 2 AS double_amount")</c>.</summary>
    /// <param name="expressions">SQL expressions.</param>
    public DataFrame SelectExpr(params string[] expressions) => Select([.. expressions.Select(Functions.Expr)]);

    /// <summary>Keeps rows where the condition is true.</summary>
    /// <param name="condition">A boolean column.</param>
    public DataFrame Filter(Column condition) =>
        Next(new Relation { Filter = new Filter { Input = Relation, Condition = condition.Expression } });

    /// <summary>Keeps rows where the SQL condition is true, e.g. <c>Filter("amount &gt; 10")</c>.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    public DataFrame Filter(string condition) => Filter(Functions.Expr(condition));

    /// <summary>Same as <see cref="Filter(Column)"/>.</summary>
    /// <param name="condition">A boolean column.</param>
    public DataFrame Where(Column condition) => Filter(condition);

    /// <summary>Same as <see cref="Filter(string)"/>.</summary>
    /// <param name="condition">A SQL boolean expression.</param>
    public DataFrame Where(string condition) => Filter(condition);

    /// <summary>Adds or replaces a column.</summary>
    /// <param name="name">Column name.</param>
    /// <param name="column">Its value.</param>
    public DataFrame WithColumn(string name, Column column) => WithColumns(new Dictionary<string, Column> { [name] = column });

    /// <summary>Adds or replaces several columns at once.</summary>
    /// <param name="columns">Name → value, applied in the dictionary's order.</param>
    public DataFrame WithColumns(IReadOnlyDictionary<string, Column> columns)
    {
        var with = new WithColumns { Input = Relation };
        with.Aliases.AddRange(columns.Select(p => new Expression.Types.Alias { Expr = p.Value.Expression, Name = { p.Key } }));
        return Next(new Relation { WithColumns = with });
    }

    /// <summary>Renames a column; a missing column is ignored, as in Spark.</summary>
    /// <param name="existing">Current name.</param>
    /// <param name="newName">New name.</param>
    public DataFrame WithColumnRenamed(string existing, string newName) =>
        WithColumnsRenamed(new Dictionary<string, string> { [existing] = newName });

    /// <summary>Renames several columns.</summary>
    /// <param name="renames">Current name → new name.</param>
    public DataFrame WithColumnsRenamed(IReadOnlyDictionary<string, string> renames)
    {
        // brief §1: rename_columns_map (field 2) is the only form 3.5 reads; 4.0 still honours it.
        var rename = new WithColumnsRenamed { Input = Relation };
        foreach (var (from, to) in renames)
        {
            rename.RenameColumnsMap[from] = to;
        }

        return Next(new Relation { WithColumnsRenamed = rename });
    }

    /// <summary>Drops columns by name; missing names are ignored, as in Spark.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Drop(params string[] columns)
    {
        var drop = new Drop { Input = Relation };
        drop.ColumnNames.AddRange(columns);
        return Next(new Relation { Drop = drop });
    }

    /// <summary>Drops columns.</summary>
    /// <param name="columns">Columns.</param>
    public DataFrame Drop(params Column[] columns)
    {
        var drop = new Drop { Input = Relation };
        drop.Columns.AddRange(columns.Select(c => c.Expression));
        return Next(new Relation { Drop = drop });
    }

    /// <summary>Joins on a condition.</summary>
    /// <param name="right">The other DataFrame.</param>
    /// <param name="on">The join condition.</param>
    /// <param name="how">inner, left, right, full (outer), semi, anti or cross, with Spark's aliases (left_outer, leftsemi, …).</param>
    public DataFrame Join(DataFrame right, Column on, string how = "inner") =>
        Next(new Relation { Join = new Join { Left = Relation, Right = right.Relation, JoinCondition = on.Expression, JoinType = JoinTypes.Parse(how) } });

    /// <summary>Joins on equally named columns, which appear once in the result.</summary>
    /// <param name="right">The other DataFrame.</param>
    /// <param name="usingColumns">Column names present on both sides.</param>
    /// <param name="how">The join type, as for <see cref="Join(DataFrame, Column, string)"/>.</param>
    public DataFrame Join(DataFrame right, IEnumerable<string> usingColumns, string how = "inner")
    {
        var join = new Join { Left = Relation, Right = right.Relation, JoinType = JoinTypes.Parse(how) };
        join.UsingColumns.AddRange(usingColumns);
        return Next(new Relation { Join = join });
    }

    /// <summary>Joins on one equally named column.</summary>
    /// <param name="right">The other DataFrame.</param>
    /// <param name="usingColumn">Column name present on both sides.</param>
    /// <param name="how">The join type.</param>
    public DataFrame Join(DataFrame right, string usingColumn, string how = "inner") => Join(right, [usingColumn], how);

    /// <summary>Cartesian product.</summary>
    /// <param name="right">The other DataFrame.</param>
    public DataFrame CrossJoin(DataFrame right) =>
        Next(new Relation { Join = new Join { Left = Relation, Right = right.Relation, JoinType = Protos.Join.Types.JoinType.Cross } });

    /// <summary>Groups rows for aggregation.</summary>
    /// <param name="columns">Grouping keys.</param>
    public GroupedData GroupBy(params Column[] columns) => new(this, columns);

    /// <summary>Groups rows by named columns.</summary>
    /// <param name="columns">Grouping key names.</param>
    public GroupedData GroupBy(params string[] columns) => GroupBy([.. columns.Select(Functions.Col)]);

    /// <summary>Aggregates the whole DataFrame (no grouping keys).</summary>
    /// <param name="aggregates">Aggregate expressions.</param>
    public DataFrame Agg(params Column[] aggregates) => GroupBy(Array.Empty<Column>()).Agg(aggregates);

    /// <summary>Rows of both DataFrames, matched by position, duplicates kept (SQL UNION ALL).</summary>
    /// <param name="other">The other DataFrame.</param>
    public DataFrame Union(DataFrame other) => SetOp(other, SetOperation.Types.SetOpType.Union, byName: false, allowMissing: false);

    /// <summary>Same as <see cref="Union"/>.</summary>
    /// <param name="other">The other DataFrame.</param>
    public DataFrame UnionAll(DataFrame other) => Union(other);

    /// <summary>Rows of both DataFrames, matched by column name, duplicates kept.</summary>
    /// <param name="other">The other DataFrame.</param>
    /// <param name="allowMissingColumns">Fill columns missing on one side with nulls instead of failing.</param>
    public DataFrame UnionByName(DataFrame other, bool allowMissingColumns = false) =>
        SetOp(other, SetOperation.Types.SetOpType.Union, byName: true, allowMissing: allowMissingColumns);

    /// <summary>Sorts globally; plain columns sort ascending with nulls first.</summary>
    /// <param name="columns">Sort keys (use <see cref="Column.Desc"/> etc. for other orders).</param>
    public DataFrame OrderBy(params Column[] columns)
    {
        var sort = new Sort { Input = Relation, IsGlobal = true };
        sort.Order.AddRange(columns.Select(WindowSpec.SortOrderOf));
        return Next(new Relation { Sort = sort });
    }

    /// <summary>Sorts globally by named columns, ascending.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame OrderBy(params string[] columns) => OrderBy([.. columns.Select(Functions.Col)]);

    /// <summary>Same as <see cref="OrderBy(Column[])"/>.</summary>
    /// <param name="columns">Sort keys.</param>
    public DataFrame Sort(params Column[] columns) => OrderBy(columns);

    /// <summary>Same as <see cref="OrderBy(string[])"/>.</summary>
    /// <param name="columns">Column names.</param>
    public DataFrame Sort(params string[] columns) => OrderBy(columns);

    /// <summary>The first <paramref name="count"/> rows.</summary>
    /// <param name="count">Row count (≥ 0).</param>
    public DataFrame Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Next(new Relation { Limit = new Limit { Input = Relation, Limit_ = count } });
    }

    /// <summary>Distinct rows.</summary>
    public DataFrame Distinct() =>
        Next(new Relation { Deduplicate = new Deduplicate { Input = Relation, AllColumnsAsKeys = true } });

    /// <summary>Drops rows duplicated on the given columns (all columns when none are given).</summary>
    /// <param name="columns">Key column names.</param>
    public DataFrame DropDuplicates(params string[] columns)
    {
        if (columns.Length == 0)
        {
            return Distinct();
        }

        var dedup = new Deduplicate { Input = Relation };
        dedup.ColumnNames.AddRange(columns);
        return Next(new Relation { Deduplicate = dedup });
    }

    /// <summary>Names the DataFrame so its columns can be qualified (<c>o.amount</c>).</summary>
    /// <param name="alias">The alias.</param>
    public DataFrame Alias(string alias) =>
        Next(new Relation { SubqueryAlias = new SubqueryAlias { Input = Relation, Alias = alias } });

    /// <summary>Writes the DataFrame (format, mode, options, then Save/SaveAsTable).</summary>
    public DataFrameWriter Write => new(this);

    /// <summary>The plan as protobuf text, for debugging.</summary>
    public override string ToString() => Relation.ToString();

    internal DataFrame Next(Relation relation) => Session.NewFrame(relation);

    private DataFrame SetOp(DataFrame other, SetOperation.Types.SetOpType type, bool byName, bool allowMissing) =>
        Next(new Relation
        {
            SetOp = new SetOperation
            {
                LeftInput = Relation, RightInput = other.Relation, SetOpType = type, IsAll = true, ByName = byName, AllowMissingColumns = allowMissing,
            },
        });
}
