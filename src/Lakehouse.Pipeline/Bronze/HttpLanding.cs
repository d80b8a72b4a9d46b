using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Pipeline.Bronze;

/// <summary>HTTP sources land their pages as files first, so bronze ingests (and can replay) them like any files.</summary>
internal static class HttpLanding
{
    public static Task FetchIfHttpAsync(JobContext ctx, SourceConfig source, CancellationToken ct)
    {
        _ = ctx;
        _ = ct;
        return source.Format == SourceFormat.Http
            ? throw new PipelineInputException($"source '{source.Name}' is an HTTP source; this build has no HTTP fetcher yet.")
            : Task.CompletedTask;
    }
}
