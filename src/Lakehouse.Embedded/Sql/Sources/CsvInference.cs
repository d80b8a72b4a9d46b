using System.Globalization;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// CSV schema inference (<c>inferSchema=true</c>) as Spark's CSVInferSchema does it, in one aggregate pass over every
/// record (not a sample): each non-empty token that is not <c>nullValue</c> gets the first type of Spark's ladder it
/// parses as (integer, long, decimal for integers beyond long, double, date, timestamp, boolean, else string), and a
/// column takes the type that holds all of its tokens: integers widen to long, decimal and double; dates and
/// timestamps mixed, or numbers with anything else, become string; a column without values is a string.
/// </summary>
internal static class CsvInference
{
    private const int Counts = 9;

    /// <summary>The typed fields for <paramref name="columns"/>, whose tokens are the columns <c>T</c> of <paramref name="tokenRows"/>.</summary>
    public static List<StructField> Infer(string tokenRows, IReadOnlyList<(StructField Field, string T)> columns, ITranslationContext context)
    {
        if (columns.Count == 0)
        {
            return [];
        }

        var aggregates = columns.Select(c => Aggregates($"nullif({c.T}, '')"));
        var text = context.Scalar($"SELECT concat_ws(',', {string.Join(", ", aggregates)}) FROM ({tokenRows})") ?? "";
        var numbers = text.Split(',').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        return columns.Select((c, i) => c.Field with { Type = TypeOf(numbers.AsSpan(i * Counts, Counts)) }).ToList();
    }

    private static string Aggregates(string t)
    {
        var date = ValueParsers.FromText(t, PrimitiveType.Date);
        string[] aggregates =
        [
            $"count({t})",
            $"count({ValueParsers.FromText(t, PrimitiveType.Integer)})",
            $"count({ValueParsers.FromText(t, PrimitiveType.Long)})",
            $"count_if(regexp_matches({t}, {ValueParsers.IntegerText}))",
            // BigDecimal's precision: the digits without sign and leading zeros, at least one.
            $"max(CASE WHEN regexp_matches({t}, {ValueParsers.IntegerText}) THEN greatest(1, length(ltrim(ltrim({t}, '+-'), '0'))) END)",
            $"count({ValueParsers.FromText(t, PrimitiveType.Double)})",
            $"count({date})",
            $"count_if({date} IS NULL AND TRY_CAST({t} AS TIMESTAMPTZ) IS NOT NULL)",
            $"count({ValueParsers.FromText(t, PrimitiveType.Boolean)})",
        ];

        // An aggregate over no values can be NULL, which concat_ws would skip: each is coalesced to 0.
        return string.Join(", ", aggregates.Select(a => $"coalesce({a}, 0)"));
    }

    private static DeltaType TypeOf(ReadOnlySpan<long> n)
    {
        var (values, ints, longs, integral, digits, doubles, dates, timestamps, booleans) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]);
        return values switch
        {
            0 => PrimitiveType.String,
            _ when ints == values => PrimitiveType.Integer,
            _ when longs == values => PrimitiveType.Long,
            // Integers beyond long are decimals with scale 0 while they fit 38 digits, and doubles beyond.
            _ when integral == values => digits <= 38 ? new DecimalType((int)digits, 0) : PrimitiveType.Double,
            _ when doubles == values => PrimitiveType.Double,
            _ when dates == values => PrimitiveType.Date,
            _ when timestamps == values => PrimitiveType.Timestamp,
            _ when booleans == values => PrimitiveType.Boolean,
            _ => PrimitiveType.String,
        };
    }
}
