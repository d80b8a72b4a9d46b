using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Tests;

/// <summary>Hand-written protobuf pieces for the expected plans (what PySpark sends, per the brief).</summary>
internal static class P
{
    /// <summary>A session that never connects: plan building needs no server.</summary>
    internal static SparkSession OfflineSession() => SparkSession.Builder().Remote("sc://127.0.0.1:1").Build();

    internal static RelationCommon Id(long planId) => new() { PlanId = planId };

    internal static Relation Table(string name, long planId) =>
        new() { Common = Id(planId), Read = new Read { NamedTable = new Read.Types.NamedTable { UnparsedIdentifier = name } } };

    internal static Expression Attr(string name) => new() { UnresolvedAttribute = new() { UnparsedIdentifier = name } };

    internal static Expression Attr(string name, long planId) =>
        new() { UnresolvedAttribute = new() { UnparsedIdentifier = name, PlanId = planId } };

    internal static Expression Int(int value) => new() { Literal = new() { Integer = value } };

    internal static Expression Str(string value) => new() { Literal = new() { String = value } };

    internal static Expression Fn(string name, params Expression[] arguments)
    {
        var f = new Expression.Types.UnresolvedFunction { FunctionName = name };
        f.Arguments.AddRange(arguments);
        return new() { UnresolvedFunction = f };
    }

    internal static Expression Alias(Expression expr, string name) => new() { Alias = new() { Expr = expr, Name = { name } } };

    internal static Expression.Types.SortOrder Order(Expression child, bool ascending, bool nullsFirst) => new()
    {
        Child = child,
        Direction = ascending ? Expression.Types.SortOrder.Types.SortDirection.Ascending : Expression.Types.SortOrder.Types.SortDirection.Descending,
        NullOrdering = nullsFirst ? Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst : Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast,
    };
}
