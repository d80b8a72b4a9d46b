namespace Lakehouse.Cli.Tests;

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

    /// <summary>The conformance data directory (../shared/conformance/delta from the repository root).</summary>
    public static string ConformanceDir
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lakehouse.sln")))
                {
                    return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "conformance", "delta"));
                }
            }

            throw new InvalidOperationException("Lakehouse.sln not found above the test binaries.");
        }
    }

    /// <summary>Copies the conformance table <paramref name="name"/>.</summary>
    public static TableCopy Of(string name)
    {
        var root = Empty();
        var target = System.IO.Path.Combine(root.Root, name);
        Copy(System.IO.Path.Combine(ConformanceDir, "tables", name), target);
        return new TableCopy(root.Root, target);
    }

    /// <summary>An empty temp directory whose <see cref="Path"/> is a not-yet-existing table root inside it.</summary>
    public static TableCopy Empty()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lakehouse-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new TableCopy(root, System.IO.Path.Combine(root, "table"));
    }

    /// <summary>The expected.json entry of a conformance table.</summary>
    public static System.Text.Json.Nodes.JsonNode Expected(string name) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(ConformanceDir, "expected.json")))![name]!;

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
