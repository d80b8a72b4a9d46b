using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Http;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>HTTP sources land their pages as files first, so bronze ingests (and can replay) them like any files.</summary>
internal static class HttpLanding
{
    /// <summary>
    /// Fetches an HTTP source's pages into its landing path (local storage: the fetcher writes files) before bronze
    /// lists it. The batch id is the data interval's end when there is one, so a retry of the same interval rewrites
    /// the same files instead of adding new ones; else the run id.
    /// </summary>
    public static async Task FetchIfHttpAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        if (source.Format != SourceFormat.Http)
        {
            return;
        }

        var http = source.Http
            ?? throw new PipelineInputException($"source '{source.Name}' has format http but no http settings; add sources.{source.Name}.http to the pipeline file.");
        var batch = ctx.Settings.Interval is { } interval ? $"interval-{interval.End.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}" : ctx.Settings.RunId;
        var pages = await HttpSourceFetcher.FetchAsync(http, source.Path, batch, ctx.Log, ct).ConfigureAwait(false);
        ctx.Log.Information("Landed {Pages} pages of {Source} ({Malformed} malformed)", pages.Count, source.Name, pages.Count(p => p.Malformed));
    }
}
