namespace Lakehouse.Pipeline.Observability;

/// <summary>Writes metrics for node_exporter's textfile collector, which may read the file at any moment.</summary>
internal static class MetricsTextFile
{
    /// <summary>Writes <paramref name="body"/> next to <paramref name="path"/> and renames it over the file, so a
    /// reader sees the old metrics or the new ones, never half a file.</summary>
    public static async Task WriteAsync(string path, byte[] body, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // The textfile collector reads only *.prom, so the temporary file is invisible to it.
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(body, ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
