using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;

namespace Lakehouse.Delta.Data.Reading.Skipping;

/// <summary>
/// Decides, per file, whether a predicate can hold for any of its rows: exactly on partition columns (their value is
/// known), and from min/max/null-count statistics on data columns. A file is dropped only when the predicate cannot
/// be true for any row; anything unknown (no stats, a column without stats, an unknown column, a type the stats do
/// not cover) keeps the file.
/// </summary>
/// <remarks>
/// SQL logic is three-valued, so each node answers two questions: can it be TRUE for some row, and can it be FALSE
/// for some row. <c>NOT p</c> is true exactly where <c>p</c> is false, which makes negation exact.
/// </remarks>
internal sealed class FilePruner
{
    private readonly StructType _schema;
    private readonly HashSet<string> _partitionColumns;
    private readonly ColumnMappingMode _mode;

    /// <summary>Creates a pruner for a table's schema and partitioning.</summary>
    public FilePruner(StructType schema, IEnumerable<string> partitionColumns, ColumnMappingMode mode)
    {
        _schema = schema;
        _partitionColumns = new HashSet<string>(partitionColumns, StringComparer.OrdinalIgnoreCase);
        _mode = mode;
    }

    /// <summary>False only when <paramref name="predicate"/> is certainly not true for any row of <paramref name="file"/>.</summary>
    public bool MayMatch(Predicate predicate, ScanFile file) => CanBe(predicate, new FileView(file), wanted: true);

    private bool CanBe(Predicate p, FileView file, bool wanted) => p switch
    {
        And a => wanted
            ? CanBe(a.Left, file, true) && CanBe(a.Right, file, true)
            : CanBe(a.Left, file, false) || CanBe(a.Right, file, false),
        Or o => wanted
            ? CanBe(o.Left, file, true) || CanBe(o.Right, file, true)
            : CanBe(o.Left, file, false) && CanBe(o.Right, file, false),
        Not n => CanBe(n.Inner, file, !wanted),
        Comparison c => Compare(c, file, wanted),
        IsNull n => NullTest(n, file, wanted),
        In i => wanted
            ? i.Values.Any(v => Compare(new Comparison(i.Column, ComparisonOperator.Equal, v), file, true))
            : i.Values.All(v => Compare(new Comparison(i.Column, ComparisonOperator.Equal, v), file, false)),
        _ => true,
    };

    private bool Compare(Comparison c, FileView file, bool wanted)
    {
        if (Resolve(c.Column) is not { } column)
        {
            return true;
        }

        var literal = Coerce(c.Value.Value, column.Type);
        if (column.IsPartition)
        {
            var value = file.Partition(column.Field.Name);
            if (c.Operator != ComparisonOperator.NullSafeEqual && (value is null || literal is null))
            {
                // A comparison with NULL is NULL: neither true nor false.
                return false;
            }

            return Exact(c.Operator, value, literal) is not { } result || result == wanted;
        }

        var op = c.Operator;
        if (op == ComparisonOperator.NullSafeEqual)
        {
            if (literal is null)
            {
                return NullTest(new IsNull(c.Column), file, wanted);
            }

            // With a non-null literal, <=> is = except that NULL rows give FALSE instead of NULL.
            if (!wanted && MayHaveNulls(file, column))
            {
                return true;
            }

            op = ComparisonOperator.Equal;
        }

        if (literal is null || file.Stats is not { } stats)
        {
            // A comparison with NULL is never true or false.
            return literal is not null;
        }

        if (!wanted)
        {
            op = Negate(op);
        }

        if (stats.NumRecords is { } records && stats.NullCount(column.PhysicalPath) is { } nulls && nulls == records && records > 0)
        {
            // Every row is NULL in this column: the comparison is NULL for all of them.
            return false;
        }

        var min = stats.Min(column.PhysicalPath, column.Type);
        var max = UpperBound(stats.Max(column.PhysicalPath, column.Type), column.Type, op);
        return op switch
        {
            ComparisonOperator.Equal => AtMost(min, literal) && AtLeast(max, literal),
            ComparisonOperator.NotEqual => !(min is not null && max is not null && Cmp(min, literal) == 0 && Cmp(max, literal) == 0),
            ComparisonOperator.LessThan => min is null || Cmp(min, literal) is not { } lt || lt < 0,
            ComparisonOperator.LessThanOrEqual => AtMost(min, literal),
            ComparisonOperator.GreaterThan => max is null || Cmp(max, literal) is not { } gt || gt > 0,
            ComparisonOperator.GreaterThanOrEqual => AtLeast(max, literal),
            _ => true,
        };
    }

    private bool NullTest(IsNull n, FileView file, bool wanted)
    {
        if (Resolve(n.Column) is not { } column)
        {
            return true;
        }

        // IS NULL is never NULL itself, so "can be false" is "can be non-null".
        var lookingForNull = wanted != n.Negated;
        if (column.IsPartition)
        {
            return (file.Partition(column.Field.Name) is null) == lookingForNull;
        }

        if (file.Stats is not { } stats || stats.NullCount(column.PhysicalPath) is not { } nulls)
        {
            return true;
        }

        return lookingForNull ? nulls > 0 : stats.NumRecords is not { } records || nulls < records;
    }

    /// <summary>The literal in the column's CLR form; a literal that does not convert (<c>int_col = 'abc'</c>) stays as written and compares as unknown.</summary>
    private static object? Coerce(object? literal, DeltaType type)
    {
        try
        {
            return ValueComparer.Coerce(literal, type);
        }
        catch (DeltaException)
        {
            return literal;
        }
    }

    private static bool MayHaveNulls(FileView file, ResolvedColumn column) =>
        column.IsPartition ? file.Partition(column.Field.Name) is null : file.Stats?.NullCount(column.PhysicalPath) is not 0;

    /// <summary>
    /// Widens a maximum that the writer truncated: timestamps are cut to milliseconds (PROTOCOL.md, Per-file Statistics)
    /// and long strings to a prefix; NaN sorts above every float in Spark but is not in the stats.
    /// </summary>
    private static object? UpperBound(object? max, DeltaType type, ComparisonOperator op) => (max, type) switch
    {
        (DateTimeOffset t, _) => t.AddTicks(TimeSpan.TicksPerMillisecond - 10),
        (DateTime t, _) => t.AddTicks(TimeSpan.TicksPerMillisecond - 10),
        (string s, _) when s.Length >= 32 => null,
        (double, PrimitiveType { Name: "float" or "double" }) when op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual or ComparisonOperator.NotEqual => null,
        _ => max,
    };

    private static bool AtMost(object? bound, object literal) => bound is null || Cmp(bound, literal) is not { } c || c <= 0;

    private static bool AtLeast(object? bound, object literal) => bound is null || Cmp(bound, literal) is not { } c || c >= 0;

    private static int? Cmp(object a, object b) => ValueComparer.Compare(a, b);

    private static bool? Exact(ComparisonOperator op, object? value, object? literal)
    {
        if (op == ComparisonOperator.NullSafeEqual)
        {
            return value is null || literal is null ? value is null && literal is null : Cmp(value, literal) is { } e ? e == 0 : null;
        }

        if (value is null || literal is null || Cmp(value, literal) is not { } c)
        {
            return null;
        }

        return op switch
        {
            ComparisonOperator.Equal => c == 0,
            ComparisonOperator.NotEqual => c != 0,
            ComparisonOperator.LessThan => c < 0,
            ComparisonOperator.LessThanOrEqual => c <= 0,
            ComparisonOperator.GreaterThan => c > 0,
            ComparisonOperator.GreaterThanOrEqual => c >= 0,
            _ => null,
        };
    }

    private static ComparisonOperator Negate(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => ComparisonOperator.NotEqual,
        ComparisonOperator.NotEqual => ComparisonOperator.Equal,
        ComparisonOperator.LessThan => ComparisonOperator.GreaterThanOrEqual,
        ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThan,
        ComparisonOperator.GreaterThan => ComparisonOperator.LessThanOrEqual,
        ComparisonOperator.GreaterThanOrEqual => ComparisonOperator.LessThan,
        _ => op,
    };

    private ResolvedColumn? Resolve(ColumnRef column)
    {
        StructType current = _schema;
        StructField? field = null;
        var physical = new List<string>(column.Path.Count);
        foreach (var part in column.Path)
        {
            if (field is not null)
            {
                if (field.Type is not StructType nested)
                {
                    return null;
                }

                current = nested;
            }

            field = current.Find(part);
            if (field is null)
            {
                return null;
            }

            physical.Add(field.PhysicalName(_mode));
        }

        if (field is null)
        {
            return null;
        }

        var isPartition = column.Path.Count == 1 && _partitionColumns.Contains(field.Name);
        return new ResolvedColumn(field, physical, isPartition);
    }

    private sealed record ResolvedColumn(StructField Field, IReadOnlyList<string> PhysicalPath, bool IsPartition)
    {
        public DeltaType Type => Field.Type;
    }

    /// <summary>A file's partition values and lazily parsed stats.</summary>
    private sealed class FileView(ScanFile file)
    {
        private FileStats? _stats;
        private bool _parsed;

        public FileStats? Stats
        {
            get
            {
                if (!_parsed)
                {
                    _stats = FileStats.Parse(file.Add.Stats);
                    _parsed = true;
                }

                return _stats;
            }
        }

        public object? Partition(string name) => file.PartitionValues.GetValueOrDefault(name);
    }
}
