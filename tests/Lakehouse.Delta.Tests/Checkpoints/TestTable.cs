using System.Text.Json;

namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary>A writable copy of a conformance table (or an empty table directory) in its own temp dir, removed on dispose.</summary>
internal sealed class TestTable : IDisposable
{
    private TestTable(string path) => Path = path;

    public string Path { get; }

    public string LogPath => System.IO.Path.Combine(Path, "_delta_log");

    /// <summary>The <c>expected.json</c> entry of a conformance table.</summary>
    public static JsonElement Expected(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(ConformanceData.Root, "expected.json")));
        return doc.RootElement.GetProperty(name).Clone();
    }

    public static TestTable Empty()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lakehouse-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(path, "_delta_log"));
        return new TestTable(path);
    }

    public static TestTable CopyOf(string fixture)
    {
        var table = Empty();
        var source = ConformanceData.Table(fixture);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(table.Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            // The fixtures are read-only; the copy must be writable so tests can corrupt or delete files.
            File.SetAttributes(target, FileAttributes.Normal);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return table;
    }

    public string Log(string name) => System.IO.Path.Combine(LogPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
