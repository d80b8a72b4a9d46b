using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>Evaluates a <see cref="Predicate"/> on one row with SQL's three-valued logic (null = unknown).</summary>
internal static class PredicateEvaluator
{
    /// <param name="predicate">The condition.</param>
    /// <param name="resolve">The value and type of a column in the row.</param>
    public static bool? Evaluate(Predicate predicate, Func<ColumnRef, (object? Value, DeltaType Type)> resolve)
    {
        switch (predicate)
        {
            case Comparison c:
            {
                var (value, type) = resolve(c.Column);
                var literal = ValueComparer.Coerce(c.Value.Value, type);
                if (c.Operator == ComparisonOperator.NullSafeEqual)
                {
                    return value is null || literal is null ? value is null && literal is null : ValueComparer.Compare(value, literal) == 0;
                }

                if (value is null || literal is null || ValueComparer.Compare(value, literal) is not { } cmp)
                {
                    return null;
                }

                return c.Operator switch
                {
                    ComparisonOperator.Equal => cmp == 0,
                    ComparisonOperator.NotEqual => cmp != 0,
                    ComparisonOperator.LessThan => cmp < 0,
                    ComparisonOperator.LessThanOrEqual => cmp <= 0,
                    ComparisonOperator.GreaterThan => cmp > 0,
                    _ => cmp >= 0,
                };
            }

            case IsNull n:
                return (resolve(n.Column).Value is null) != n.Negated;
            case In i:
            {
                var (value, type) = resolve(i.Column);
                if (value is null)
                {
                    return null;
                }

                var sawNull = false;
                foreach (var literal in i.Values)
                {
                    var v = ValueComparer.Coerce(literal.Value, type);
                    if (v is null)
                    {
                        sawNull = true;
                    }
                    else if (ValueComparer.Compare(value, v) == 0)
                    {
                        return true;
                    }
                }

                return sawNull ? null : false;
            }

            case And a:
            {
                var l = Evaluate(a.Left, resolve);
                if (l == false)
                {
                    return false;
                }

                var r = Evaluate(a.Right, resolve);
                return r == false ? false : l is null || r is null ? null : true;
            }

            case Or o:
            {
                var l = Evaluate(o.Left, resolve);
                if (l == true)
                {
                    return true;
                }

                var r = Evaluate(o.Right, resolve);
                return r == true ? true : l is null || r is null ? null : false;
            }

            case Not n:
                return !Evaluate(n.Inner, resolve);
            default:
                throw new ArgumentException($"Unknown predicate {predicate.GetType().Name}.", nameof(predicate));
        }
    }

    /// <summary>Evaluates a predicate over partition columns on an <c>add.partitionValues</c> map (keyed by physical names under column mapping).</summary>
    public static bool? OnPartitionValues(Predicate predicate, IReadOnlyDictionary<string, string?> values, StructType schema, ColumnMappingMode mode) =>
        Evaluate(predicate, column =>
        {
            var field = schema[column.Name];
            var key = field.PhysicalName(mode);
            var raw = values.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            return (PartitionValues.Parse(raw, field.Type), field.Type);
        });
}
