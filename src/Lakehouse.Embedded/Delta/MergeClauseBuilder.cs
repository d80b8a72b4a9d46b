using Lakehouse.Delta.Schema;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;
using MergeAction = Lakehouse.Spark.Protos.Delta.MergeIntoTable.Types.Action;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Translates the WHEN clauses of a Delta Connect MergeIntoTable into <see cref="MergeClause"/>s over the final
/// schema: explicit assignments, <c>updateAll</c>/<c>insertAll</c> expanded by column name (case-insensitively), and
/// with schema evolution the source's new columns.
/// </summary>
internal sealed class MergeClauseBuilder(ExpressionTranslator translator, string? targetAlias, IReadOnlyList<StructField> finalFields,
    IReadOnlyCollection<string> targetColumns, IReadOnlyList<(string Name, string Sql)> sourceColumns, bool schemaEvolution)
{
    public List<MergeClause> Build(IEnumerable<MergeAction> actions, int codeBase, string kind)
    {
        var clauses = new List<MergeClause>();
        var code = codeBase;
        foreach (var action in actions)
        {
            code++;
            var condition = action.Condition is { } c ? translator.Translate(c).Sql : null;
            var text = action.Condition is { } c2 ? ConditionDisplay.Of(c2) : null;
            var clause = action.ActionTypeCase switch
            {
                MergeAction.ActionTypeOneofCase.DeleteAction when kind != "notMatched" =>
                    new MergeClause(code, MergeActionKind.Delete, condition, text, new Dictionary<string, string>()),
                MergeAction.ActionTypeOneofCase.UpdateAction when kind != "notMatched" =>
                    new MergeClause(code, MergeActionKind.Update, condition, text, Assignments(action.UpdateAction.Assignments)),
                MergeAction.ActionTypeOneofCase.UpdateStarAction when kind == "matched" =>
                    new MergeClause(code, MergeActionKind.Update, condition, text, Star(update: true)),
                MergeAction.ActionTypeOneofCase.InsertAction when kind == "notMatched" =>
                    new MergeClause(code, MergeActionKind.Insert, condition, text, Assignments(action.InsertAction.Assignments)),
                MergeAction.ActionTypeOneofCase.InsertStarAction when kind == "notMatched" =>
                    new MergeClause(code, MergeActionKind.Insert, condition, text, Star(update: false)),
                _ => throw Errors.InvalidArgument("merge clause",
                    $"a WHEN {Describe(kind)} clause cannot {action.ActionTypeCase}; matched clauses update or delete, not-matched clauses insert, not-matched-by-source clauses update or delete"),
            };
            clauses.Add(clause);
        }

        return clauses;
    }

    private static string Describe(string kind) => kind switch
    {
        "matched" => "MATCHED",
        "notMatched" => "NOT MATCHED",
        _ => "NOT MATCHED BY SOURCE",
    };

    private Dictionary<string, string> Assignments(IEnumerable<Lakehouse.Spark.Protos.Delta.Assignment> assignments)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in assignments)
        {
            var column = TargetColumn(a.Field);
            if (!values.TryAdd(column, translator.Translate(a.Value).Sql))
            {
                throw new EmbeddedException("DELTA_MERGE_DUPLICATE_ASSIGNMENT", "42701",
                    $"The column `{column}` is assigned more than once in one MERGE clause. Assign each column once.",
                    new Dictionary<string, string> { ["columnName"] = column });
            }
        }

        return values;
    }

    private Dictionary<string, string> Star(bool update)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in finalFields)
        {
            var source = sourceColumns.FirstOrDefault(s => s.Name.Equals(field.Name, StringComparison.OrdinalIgnoreCase));
            if (source.Sql is not null)
            {
                values[field.Name] = source.Sql;
            }
            else if (!schemaEvolution && targetColumns.Contains(field.Name))
            {
                throw new EmbeddedException("DELTA_MERGE_UNRESOLVED_EXPRESSION", "42601",
                    $"Cannot resolve `{field.Name}` in {(update ? "UPDATE SET *" : "INSERT *")}: the source has no column of that name (source columns: {string.Join(", ", sourceColumns.Select(s => s.Name))}). "
                    + "Add the column to the source, assign columns explicitly, or enable schema evolution.",
                    new Dictionary<string, string> { ["sqlExpr"] = field.Name, ["clause"] = update ? "UPDATE" : "INSERT" });
            }
            else if (!update)
            {
                values[field.Name] = "NULL";
            }
        }

        return values;
    }

    private string TargetColumn(Expression field)
    {
        var identifier = field.ExprTypeCase switch
        {
            Expression.ExprTypeOneofCase.UnresolvedAttribute => field.UnresolvedAttribute.UnparsedIdentifier,
            Expression.ExprTypeOneofCase.ExpressionString => field.ExpressionString.Expression.Trim(),
            _ => throw Errors.InvalidArgument("merge assignment", $"the assigned field must be a column name, not a {field.ExprTypeCase}"),
        };
        var parts = Scope.SplitIdentifier(identifier);
        if (parts.Count == 2 && targetAlias is not null && parts[0].Equals(targetAlias, StringComparison.OrdinalIgnoreCase))
        {
            parts.RemoveAt(0);
        }

        if (parts.Count != 1)
        {
            throw Errors.Unsupported("nested field assignment", $"Assigning '{identifier}' (nested fields or other qualifiers)");
        }

        return finalFields.FirstOrDefault(f => f.Name.Equals(parts[0], StringComparison.OrdinalIgnoreCase))?.Name
            ?? throw Errors.UnresolvedColumn(identifier, finalFields.Select(f => f.Name).Take(5));
    }
}
