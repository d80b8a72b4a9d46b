namespace Lakehouse.Testing;

/// <summary>A private copy of a conformance table in its own temp directory, deleted on dispose.</summary>
internal sealed class TableCopy : IDisposable
{
    private TableCopy(string root, string path)
    {
        Root = root;
        Path = path;
    }

    /// <summary>The temp directory that holds the copy.</summary>
    public string Root { get; }

    /// <summary>The table root of the copy.</summary>
    public string Path { get; }

    /// <summary>Copies the conformance table <paramref name="name"/>.</summary>
    public static TableCopy Of(string name)
    {
        var root = Empty();
        var target = System.IO.Path.Combine(root.Root, name);
        Copy(ConformanceData.Table(name), target);
        return new TableCopy(root.Root, target);
    }

    /// <summary>An empty temp directory whose <see cref="Path"/> is a not-yet-existing table root inside it.</summary>
    public static TableCopy Empty()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lakehouse-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new TableCopy(root, System.IO.Path.Combine(root, "table"));
    }

    /// <summary>Sets a file's modification time (ms since the epoch).</summary>
    public void SetModified(string relativePath, long epochMs) =>
        File.SetLastWriteTimeUtc(System.IO.Path.Combine(Path, relativePath), DateTime.UnixEpoch.AddMilliseconds(epochMs));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            Copy(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
        }
    }
}
