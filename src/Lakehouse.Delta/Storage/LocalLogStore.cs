namespace Lakehouse.Delta.Storage;

/// <summary>
/// <see cref="ILogStore"/> on a local (POSIX) file system. Put-if-absent writes the content to a
/// unique temporary file in the same directory, flushes it, then moves it into place without
/// overwrite: on Linux .NET implements that move with <c>link(2)</c>, which fails atomically when the
/// target exists, so a reader never sees a half-written commit and two writers never both win.
/// </summary>
public sealed class LocalLogStore : ILogStore
{
    /// <summary>Creates a store for the table at <paramref name="tablePath"/> (a path or a <c>file:</c> URI).</summary>
    public LocalLogStore(string tablePath)
    {
        TablePath = TablePaths.Normalize(tablePath);
        LogPath = Path.Combine(TablePath, "_delta_log");
    }

    /// <inheritdoc />
    public string TablePath { get; }

    /// <summary>The absolute path of <c>_delta_log</c>.</summary>
    public string LogPath { get; }

    /// <inheritdoc />
    public IReadOnlyList<LogFileInfo> List(string fromName = "")
    {
        var dir = new DirectoryInfo(LogPath);
        if (!dir.Exists)
        {
            return [];
        }

        var files = new List<LogFileInfo>();
        foreach (var f in dir.EnumerateFiles())
        {
            if (string.CompareOrdinal(f.Name, fromName) >= 0)
            {
                files.Add(new LogFileInfo(f.Name, f.Length, f.LastWriteTimeUtc.Ticks / TimeSpan.TicksPerMillisecond - DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }

    /// <inheritdoc />
    public byte[] Read(string name) => File.ReadAllBytes(Path.Combine(LogPath, name));

    /// <inheritdoc />
    public Stream OpenRead(string name) => new FileStream(Path.Combine(LogPath, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);

    /// <inheritdoc />
    public bool TryCreate(string name, ReadOnlySpan<byte> content)
    {
        var target = Path.Combine(LogPath, name);
        var temp = WriteTemp(target, content);
        try
        {
            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public void Replace(string name, ReadOnlySpan<byte> content)
    {
        var target = Path.Combine(LogPath, name);
        var temp = WriteTemp(target, content);
        File.Move(temp, target, overwrite: true);
    }

    /// <inheritdoc />
    public void Delete(string name) => File.Delete(Path.Combine(LogPath, name));

    private static string WriteTemp(string target, ReadOnlySpan<byte> content)
    {
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        // A dot-prefixed name keeps the temp file out of any reader's idea of a log file.
        var temp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }

        return temp;
    }
}
