using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>
/// Reads landing files for bronze: PERMISSIVE, so a malformed record is kept with its raw text in
/// <c>_rescued_data</c> (Spark's <c>columnNameOfCorruptRecord</c>) instead of failing or vanishing.
/// The schema is the source's DDL when it has one; else the bronze table's columns (the schema inferred on the
/// first run, kept as the table's schema) plus any new columns inferred from these files, which the write adds
/// with mergeSchema. A value that does not fit a known column's type makes its record rescued.
/// </summary>
internal sealed class BronzeReader(SparkSession spark, SourceConfig source)
{
    /// <summary>The data columns (without bronze's own) of <paramref name="paths"/> as one DataFrame, with the rescue
    /// and source-file columns.</summary>
    public async Task<DataFrame> ReadAsync(IReadOnlyList<string> paths, DataFrame? bronze, CancellationToken ct)
    {
        DataFrame frame;
        if (source.Format == SourceFormat.Parquet)
        {
            // Parquet has no malformed records: a file reads whole or not at all.
            frame = Reader().Load([.. paths]).WithColumn(BronzeColumns.RescuedData, Lit(null).Cast("string"));
        }
        else
        {
            var ddl = source.Schema ?? await SchemaAsync(paths, bronze, ct).ConfigureAwait(false);
            var withRescue = string.IsNullOrWhiteSpace(ddl)
                ? $"{SparkTypes.Quote(BronzeColumns.RescuedData)} STRING"
                : $"{ddl}, {SparkTypes.Quote(BronzeColumns.RescuedData)} STRING";
            frame = Permissive().Schema(withRescue).Load([.. paths]);
        }

        return frame.WithColumn(BronzeColumns.SourceFile, Col("_metadata.file_path"));
    }

    private async Task<string> SchemaAsync(IReadOnlyList<string> paths, DataFrame? bronze, CancellationToken ct)
    {
        var inferred = SparkTypes.Fields(await Permissive().Load([.. paths]).SchemaAsync(ct).ConfigureAwait(false))
            .Where(f => !BronzeColumns.All.Contains(f.Name))
            .ToList();
        if (bronze is null)
        {
            return SparkTypes.Ddl(inferred);
        }

        var known = SparkTypes.Fields(await bronze.SchemaAsync(ct).ConfigureAwait(false))
            .Where(f => !BronzeColumns.All.Contains(f.Name))
            .ToList();
        var names = known.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return SparkTypes.Ddl(known.Concat(inferred.Where(f => !names.Contains(f.Name))));
    }

    private DataFrameReader Reader()
    {
        var format = LandingListing.Extension(source.Format);
        var reader = spark.Read.Format(format).Options(source.Options);
        // An HTTP source's landing files are whole response bodies (a JSON array, possibly pretty-printed), not JSON lines.
        return source.Format == SourceFormat.Http && !source.Options.ContainsKey("multiLine") ? reader.Option("multiLine", "true") : reader;
    }

    private DataFrameReader Permissive() =>
        Reader().Option("mode", "PERMISSIVE").Option("columnNameOfCorruptRecord", BronzeColumns.RescuedData);
}
