using Lakehouse.Pipeline.Configuration;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Quality;

/// <summary>The row-level failure conditions of the checks that judge rows one by one.</summary>
internal static class CheckPredicates
{
    /// <summary><c>not_null</c>: a row fails when any of the columns is null.</summary>
    public static Column AnyNull(IReadOnlyList<string> columns) =>
        columns.Select(c => Col(c).IsNull()).Aggregate((a, b) => a | b);

    /// <summary><c>unique</c>: only rows whose key is complete take part (a null key part is not_null's business).</summary>
    public static Column KeyComplete(IReadOnlyList<string> columns) =>
        columns.Select(c => Col(c).IsNotNull()).Aggregate((a, b) => a & b);

    /// <summary><c>accepted_values</c>: a non-null value outside the list, compared as text (the list is text in the
    /// pipeline file); null passes.</summary>
    public static Column NotAccepted(TableCheckConfig check)
    {
        var column = Col(check.Column!);
        return column.IsNotNull() & !column.Cast("string").IsIn(check.Values.Cast<object?>().ToArray());
    }

    /// <summary><c>range</c>: a non-null value below <c>min</c> or above <c>max</c> (both inclusive bounds); null passes.</summary>
    public static Column OutOfRange(TableCheckConfig check)
    {
        var column = Col(check.Column!);
        Column? outside = null;
        if (check.Min is { } min)
        {
            outside = column < min;
        }

        if (check.Max is { } max)
        {
            outside = outside is null ? column > max : outside | (column > max);
        }

        return column.IsNotNull() & (outside ?? Lit(false));
    }
}
