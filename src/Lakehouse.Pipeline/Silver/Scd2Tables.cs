using Lakehouse.Pipeline.Configuration;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>Which tables hold SCD type 2 history, and their current rows: what gold models and table checks read.</summary>
internal static class Scd2Tables
{
    /// <summary>The silver tables of the sources with <c>scd2: true</c>.</summary>
    public static IReadOnlySet<string> Of(PipelineConfig config) =>
        config.Sources.Where(s => s.Scd2).Select(s => s.SilverTable).ToHashSet(StringComparer.Ordinal);

    /// <summary>The current rows of an SCD2 table: one per key that is not deleted, as a latest-only silver table has.</summary>
    public static DataFrame Current(DataFrame history) => history.Filter(Col(SilverColumns.IsCurrent));
}
