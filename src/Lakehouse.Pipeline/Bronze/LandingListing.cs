using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>Lists a source's landing files through the engine (the <c>binaryFile</c> source without its content
/// column), never through System.IO, so the same code lists a local directory or cluster storage.</summary>
internal static class LandingListing
{
    public static string Extension(SourceFormat format) => format switch
    {
        SourceFormat.Csv => "csv",
        SourceFormat.Parquet => "parquet",
        _ => "json",
    };

    public static async Task<IReadOnlyList<LandingFile>> ListAsync(SparkSession spark, SourceConfig source, CancellationToken ct)
    {
        var listing = spark.Read.Format("binaryFile")
            .Option("recursiveFileLookup", "true")
            .Option("pathGlobFilter", $"*.{Extension(source.Format)}")
            .Load(source.Path)
            .Select("path", "length", "modificationTime");
        IReadOnlyList<Row> rows;
        try
        {
            rows = await listing.CollectAsync(ct).ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (e.ErrorClass?.Contains("PATH_NOT_FOUND", StringComparison.Ordinal) == true)
        {
            throw new PipelineInputException(
                $"the landing path of source '{source.Name}' ({source.Path}) does not exist; create it or fix sources.{source.Name}.path in the pipeline file.", e);
        }

        return rows
            .Select(r => new LandingFile(r.Get<string>("path")!, r.Get<long>("length"), r.Get<DateTimeOffset>("modificationTime")))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
    }
}
