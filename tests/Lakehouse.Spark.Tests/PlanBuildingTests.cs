using Lakehouse.Spark.Protos;
using static Lakehouse.Spark.Functions;
using static Lakehouse.Spark.Tests.P;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// The Relation/Command our DataFrame API builds equals, field by field, a hand-written message of what
/// PySpark's connect client sends for the same call. References: brief = ../shared/research/spark-connect.md
/// (sections given per test); PySpark = python/pyspark/sql/connect/{dataframe,plan,column,functions}.py.
/// Every node carries a fresh RelationCommon.plan_id (brief §9.2); an offline session numbers them from 0.
/// </summary>
public sealed class PlanBuildingTests
{
    private readonly SparkSession _spark = OfflineSession();

    // brief §3.2 Project (expressions = field 3); PySpark select(*cols) → Project, names → UnresolvedAttribute.
    [Fact]
    public void Select_ColumnsAndAlias_BuildsProject()
    {
        var df = _spark.Table("t").Select(Col("a"), Col("b").Alias("bb"));

        var expected = new Relation
        {
            Common = Id(1),
            Project = new Project { Input = Table("t", 0), Expressions = { Attr("a"), Alias(Attr("b"), "bb") } },
        };
        Assert.Equal(expected, df.Relation);
    }

    // PySpark filter(str) → Filter{condition = expr(str)} i.e. ExpressionString (brief §3.3).
    [Fact]
    public void Filter_SqlString_BuildsExpressionStringCondition()
    {
        var df = _spark.Table("t").Filter("amount > 10");

        var expected = new Relation
        {
            Common = Id(1),
            Filter = new Filter { Input = Table("t", 0), Condition = new Expression { ExpressionString = new() { Expression = "amount > 10" } } },
        };
        Assert.Equal(expected, df.Relation);
    }

    // PySpark column.py: __gt__ = _bin_op(">"), int literal within int32 → Literal.integer (brief §3.3).
    [Fact]
    public void Filter_Column_BuildsUnresolvedFunctionCondition()
    {
        var df = _spark.Table("t").Where((Col("amount") > 10) & Col("country").IsNotNull());

        var condition = Fn("and", Fn(">", Attr("amount"), Int(10)), Fn("isnotnull", Attr("country")));
        var expected = new Relation { Common = Id(1), Filter = new Filter { Input = Table("t", 0), Condition = condition } };
        Assert.Equal(expected, df.Relation);
    }

    // PySpark column.py: __ne__ = not(==).
    [Fact]
    public void NotEqual_IsSentAsNotOfEquality()
    {
        var column = Col("a") != "x";

        Assert.Equal(Fn("not", Fn("==", Attr("a"), Str("x"))), column.Expression);
    }

    // PySpark column.py isin: UnresolvedFunction("in", [col, literals…]); one list argument is expanded.
    [Fact]
    public void IsIn_ValuesOrOneCollection_BuildsInCall()
    {
        var expected = Fn("in", Attr("c"), Str("DE"), Str("FR"));

        Assert.Equal(expected, Col("c").IsIn("DE", "FR").Expression);
        Assert.Equal(expected, Col("c").IsIn(new List<string> { "DE", "FR" }).Expression);
    }

    // brief §3.2 WithColumns{aliases = rep Alias}; PySpark withColumn → WithColumns with one Alias.
    [Fact]
    public void WithColumn_BuildsWithColumnsAlias()
    {
        var df = _spark.Table("t").WithColumn("doubled", Col("amount") * 2);

        var expected = new Relation
        {
            Common = Id(1),
            WithColumns = new WithColumns { Input = Table("t", 0), Aliases = { Alias(Fn("*", Attr("amount"), Int(2)), "doubled").Alias } },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §1: send the 3.5 field rename_columns_map, which 4.0 still honours (renames=3 would be dropped by 3.5).
    [Fact]
    public void WithColumnRenamed_UsesRenameColumnsMap()
    {
        var df = _spark.Table("t").WithColumnRenamed("old", "new");

        var expected = new Relation
        {
            Common = Id(1),
            WithColumnsRenamed = new WithColumnsRenamed { Input = Table("t", 0), RenameColumnsMap = { ["old"] = "new" } },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §3.3 group-by example: Aggregate{GROUPBY, grouping=[attr k], aggregates=[Alias(sum(v), total)]};
    // PySpark count_distinct → UnresolvedFunction("count", is_distinct=true).
    [Fact]
    public void GroupByAgg_BuildsAggregate()
    {
        var df = _spark.Table("t").GroupBy(Col("k")).Agg(Sum(Col("v")).Alias("total"), CountDistinct(Col("c")));

        var distinct = Fn("count", Attr("c"));
        distinct.UnresolvedFunction.IsDistinct = true;
        var expected = new Relation
        {
            Common = Id(1),
            Aggregate = new Aggregate
            {
                Input = Table("t", 0),
                GroupType = Aggregate.Types.GroupType.Groupby,
                GroupingExpressions = { Attr("k") },
                AggregateExpressions = { Alias(Fn("sum", Attr("v")), "total"), distinct },
            },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §3.2 Join; PySpark df["id"] binds the attribute to df's plan id; how="left" → LEFT_OUTER.
    [Fact]
    public void Join_OnCondition_BuildsJoinWithPlanBoundAttributes()
    {
        var orders = _spark.Table("orders");
        var customers = _spark.Table("customers");

        var df = orders.Join(customers, orders["customer_id"] == customers["id"], "left");

        var expected = new Relation
        {
            Common = Id(2),
            Join = new Join
            {
                Left = Table("orders", 0),
                Right = Table("customers", 1),
                JoinCondition = Fn("==", Attr("customer_id", 0), Attr("id", 1)),
                JoinType = Join.Types.JoinType.LeftOuter,
            },
        };
        Assert.Equal(expected, df.Relation);
    }

    // PySpark join(other, on=[names]) → using_columns; semi/anti per Spark's JoinType names.
    [Theory]
    [InlineData("inner", Join.Types.JoinType.Inner)]
    [InlineData("full_outer", Join.Types.JoinType.FullOuter)]
    [InlineData("right", Join.Types.JoinType.RightOuter)]
    [InlineData("leftsemi", Join.Types.JoinType.LeftSemi)]
    [InlineData("anti", Join.Types.JoinType.LeftAnti)]
    public void Join_UsingColumns_BuildsUsingColumns(string how, Join.Types.JoinType type)
    {
        var df = _spark.Table("a").Join(_spark.Table("b"), ["id", "day"], how);

        var expected = new Relation
        {
            Common = Id(2),
            Join = new Join { Left = Table("a", 0), Right = Table("b", 1), JoinType = type, UsingColumns = { "id", "day" } },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §3.3 SortOrder: always both fields; asc → NULLS_FIRST, desc → NULLS_LAST; orderBy → is_global=true.
    [Fact]
    public void OrderBy_NullOrdering_BuildsGlobalSort()
    {
        var df = _spark.Table("t").OrderBy(Col("a").Desc(), Col("b"), Col("c").AscNullsLast(), Col("d").DescNullsFirst());

        var expected = new Relation
        {
            Common = Id(1),
            Sort = new Sort
            {
                Input = Table("t", 0),
                IsGlobal = true,
                Order =
                {
                    Order(Attr("a"), ascending: false, nullsFirst: false),
                    Order(Attr("b"), ascending: true, nullsFirst: true),
                    Order(Attr("c"), ascending: true, nullsFirst: false),
                    Order(Attr("d"), ascending: false, nullsFirst: true),
                },
            },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §3.2 Limit{input=1, limit=2}.
    [Fact]
    public void Limit_BuildsLimit()
    {
        var df = _spark.Table("t").Limit(5);

        Assert.Equal(new Relation { Common = Id(1), Limit = new Limit { Input = Table("t", 0), Limit_ = 5 } }, df.Relation);
    }

    // PySpark plan.py SetOperation sets is_all, by_name and allow_missing_columns explicitly; union = UNION ALL.
    [Fact]
    public void Union_BuildsUnionAllByPosition()
    {
        var df = _spark.Table("a").Union(_spark.Table("b"));

        var expected = new Relation
        {
            Common = Id(2),
            SetOp = new SetOperation
            {
                LeftInput = Table("a", 0), RightInput = Table("b", 1), SetOpType = SetOperation.Types.SetOpType.Union,
                IsAll = true, ByName = false, AllowMissingColumns = false,
            },
        };
        Assert.Equal(expected, df.Relation);
    }

    [Fact]
    public void UnionByName_AllowMissing_SetsByNameFlags()
    {
        var df = _spark.Table("a").UnionByName(_spark.Table("b"), allowMissingColumns: true);

        var expected = new SetOperation
        {
            LeftInput = Table("a", 0), RightInput = Table("b", 1), SetOpType = SetOperation.Types.SetOpType.Union,
            IsAll = true, ByName = true, AllowMissingColumns = true,
        };
        Assert.Equal(expected, df.Relation.SetOp);
    }

    // brief §3.4 WriteOperation + §6c writer options; PySpark plan.py WriteOperation: mode "append" → SAVE_MODE_APPEND,
    // option values as strings.
    [Fact]
    public void WriteSave_PartitionByAndOptions_BuildsWriteOperation()
    {
        var df = _spark.Table("t");

        var command = df.Write.Format("delta").Mode("append").PartitionBy("day").Option("txnAppId", "bronze").Option("txnVersion", 3)
            .SaveCommand("/data/bronze/orders");

        var expected = new Command
        {
            WriteOperation = new WriteOperation
            {
                Input = Table("t", 0),
                Source = "delta",
                Path = "/data/bronze/orders",
                Mode = WriteOperation.Types.SaveMode.Append,
                PartitioningColumns = { "day" },
                Options = { ["txnAppId"] = "bronze", ["txnVersion"] = "3" },
            },
        };
        Assert.Equal(expected, command);
    }

    [Fact]
    public void WriteSaveAsTable_Overwrite_BuildsSaveTable()
    {
        var command = _spark.Table("t").Write.Format("delta").Mode(SaveMode.Overwrite).Option("replaceWhere", "day = '2024-01-01'")
            .SaveAsTableCommand("silver.orders");

        var expected = new Command
        {
            WriteOperation = new WriteOperation
            {
                Input = Table("t", 0),
                Source = "delta",
                Table = new WriteOperation.Types.SaveTable
                {
                    TableName = "silver.orders", SaveMethod = WriteOperation.Types.SaveTable.Types.TableSaveMethod.SaveAsTable,
                },
                Mode = WriteOperation.Types.SaveMode.Overwrite,
                Options = { ["replaceWhere"] = "day = '2024-01-01'" },
            },
        };
        Assert.Equal(expected, command);
    }

    // brief §3.4 "spark.sql(text) protocol": Plan{command{sql_command{sql}}} (field 1, read by 3.5 and 4.0).
    [Fact]
    public void Sql_BuildsSqlCommandWithSqlField()
    {
        var plan = SparkSession.SqlPlan("SELECT 1 AS one");

        Assert.Equal(new Plan { Command = new Command { SqlCommand = new SqlCommand { Sql = "SELECT 1 AS one" } } }, plan);
    }

    // brief §3.3 window example: row_number() over (partition by k order by ts desc) as rn.
    [Fact]
    public void RowNumberOverWindow_BuildsWindowExpression()
    {
        var column = RowNumber().Over(Window.PartitionBy("k").OrderBy(Col("ts").Desc())).Alias("rn");

        var window = new Expression.Types.Window
        {
            WindowFunction = Fn("row_number"),
            PartitionSpec = { Attr("k") },
            OrderSpec = { Order(Attr("ts"), ascending: false, nullsFirst: false) },
        };
        Assert.Equal(Alias(new Expression { Window = window }, "rn"), column.Expression);
    }

    // PySpark window.py: rowsBetween(unboundedPreceding, currentRow) → ROW frame, lower unbounded, upper current_row.
    [Fact]
    public void SumOverRowsFrame_BuildsFrameBoundaries()
    {
        var column = Sum(Col("v")).Over(Window.PartitionBy("k").OrderBy("ts").RowsBetween(Window.UnboundedPreceding, Window.CurrentRow));

        var frame = column.Expression.Window.FrameSpec;
        Assert.Equal(Expression.Types.Window.Types.WindowFrame.Types.FrameType.Row, frame.FrameType);
        Assert.True(frame.Lower.Unbounded);
        Assert.True(frame.Upper.CurrentRow);
    }

    // PySpark CaseWhen → UnresolvedFunction("when", [cond1, value1, …, else]).
    [Fact]
    public void WhenOtherwise_BuildsFlatWhenCall()
    {
        var column = When(Col("a") > 1, "big").When(Col("a") > 0, "small").Otherwise("none");

        var expected = Fn("when", Fn(">", Attr("a"), Int(1)), Str("big"), Fn(">", Attr("a"), Int(0)), Str("small"), Str("none"));
        Assert.Equal(expected, column.Expression);
    }

    // brief §6a: time travel is Read.DataSource{format="delta", paths=[p], options{"versionAsOf":"3"}}.
    [Fact]
    public void ReadDeltaVersionAsOf_BuildsDataSourceWithOption()
    {
        var df = _spark.Read.Format("delta").VersionAsOf(3).Load("/data/t");

        var expected = new Relation
        {
            Common = Id(0),
            Read = new Read
            {
                DataSource = new Read.Types.DataSource { Format = "delta", Paths = { "/data/t" }, Options = { ["versionAsOf"] = "3" } },
            },
        };
        Assert.Equal(expected, df.Relation);
    }

    // brief §3.4 CreateDataFrameViewCommand{input, name, is_global, replace}.
    [Fact]
    public void CreateOrReplaceTempView_BuildsViewCommand()
    {
        var command = _spark.Table("t").TempViewCommand("v");

        var expected = new Command
        {
            CreateDataframeView = new CreateDataFrameViewCommand { Input = Table("t", 0), Name = "v", IsGlobal = false, Replace = true },
        };
        Assert.Equal(expected, command);
    }

    [Fact]
    public void Transformations_DoNotChangeTheirInput()
    {
        var source = _spark.Table("t");
        var before = source.Relation.Clone();

        _ = source.Filter("x > 1").Select("x").Limit(3);

        Assert.Equal(before, source.Relation);
    }
}
