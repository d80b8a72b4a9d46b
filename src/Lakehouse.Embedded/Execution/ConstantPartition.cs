using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data;
using Lakehouse.Delta.Schema;
using Lakehouse.Spark.Protos;
using LiteralCase = Lakehouse.Spark.Protos.Expression.Types.Literal.LiteralTypeOneofCase;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The partition a write's rows all fall in, when the plan says so: every partition column is set by a literal at the
/// top of the written relation (<c>withColumn("day", lit(…))</c>, or a literal aliased in a <c>select</c>), as a batch
/// ingestion stamps its rows. The write then needs no partitioning pass (<see cref="CopyDataWriter"/>).
/// </summary>
internal static class ConstantPartition
{
    /// <summary>The partition values (as the log stores them) when every partition column of <paramref name="metadata"/>
    /// is a literal of the column's type at the top of <paramref name="input"/>; null otherwise (or when unpartitioned).</summary>
    public static Dictionary<string, string?>? Values(Relation input, Metadata metadata)
    {
        if (metadata.PartitionColumns.Count == 0)
        {
            return null;
        }

        var literals = TopLiterals(input);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in metadata.PartitionColumns)
        {
            if (!literals.TryGetValue(column, out var literal) || metadata.Schema.Find(column)?.Type is not { } type || !TryValue(literal, type, out var value))
            {
                return null;
            }

            values[column] = PartitionValues.Format(value, type);
        }

        return values;
    }

    /// <summary>The columns a relation sets to a literal in its own (top) projection, by output name; a later alias of a
    /// name replaces an earlier one, as in Spark.</summary>
    private static Dictionary<string, Expression.Types.Literal> TopLiterals(Relation input)
    {
        IEnumerable<Expression> expressions = input.RelTypeCase switch
        {
            Relation.RelTypeOneofCase.WithColumns => input.WithColumns.Aliases.Select(a => new Expression { Alias = a }),
            Relation.RelTypeOneofCase.Project => input.Project.Expressions,
            _ => [],
        };
        var literals = new Dictionary<string, Expression.Types.Literal>(StringComparer.Ordinal);
        foreach (var e in expressions)
        {
            if (e.ExprTypeCase == Expression.ExprTypeOneofCase.Alias && e.Alias.Name.Count == 1)
            {
                if (e.Alias.Expr?.ExprTypeCase == Expression.ExprTypeOneofCase.Literal)
                {
                    literals[e.Alias.Name[0]] = e.Alias.Expr.Literal;
                }
                else
                {
                    literals.Remove(e.Alias.Name[0]);
                }
            }
        }

        return literals;
    }

    /// <summary>The literal's value when its type is the column's (so the data and the directory agree exactly).</summary>
    private static bool TryValue(Expression.Types.Literal literal, DeltaType type, out object? value)
    {
        (var ok, value) = (literal.LiteralTypeCase, type) switch
        {
            (LiteralCase.Null, _) => (true, (object?)null),
            (LiteralCase.String, PrimitiveType { Name: "string" }) => (true, literal.String),
            (LiteralCase.Boolean, PrimitiveType { Name: "boolean" }) => (true, literal.Boolean),
            (LiteralCase.Integer, PrimitiveType { Name: "integer" }) => (true, literal.Integer),
            (LiteralCase.Long, PrimitiveType { Name: "long" }) => (true, literal.Long),
            (LiteralCase.Short, PrimitiveType { Name: "short" }) => (true, literal.Short),
            (LiteralCase.Byte, PrimitiveType { Name: "byte" }) => (true, literal.Byte),
            (LiteralCase.Date, PrimitiveType { Name: "date" }) => (true, DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + literal.Date)),
            _ => (false, null),
        };
        return ok;
    }
}
