namespace Lakehouse.Delta.Tests;

/// <summary>A temp directory of the test's own, removed when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lakehouse-{prefix ?? "test"}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

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

/// <summary>Where the shared conformance data lives: ../shared/conformance/delta from the repository root.</summary>
internal static class Conformance
{
    public static string Root { get; } = FindRoot();

    public static string Table(string name) => System.IO.Path.Combine(Root, "tables", name);

    /// <summary>Copies a conformance table into <paramref name="into"/> (for tests that modify it) and returns the copy's path.</summary>
    public static string CopyTable(string name, TempDirectory into)
    {
        var target = into.Combine(name);
        CopyDirectory(Table(name), target);
        return target;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var dest = System.IO.Path.Combine(to, System.IO.Path.GetFileName(file));
            File.Copy(file, dest);
            File.SetAttributes(dest, FileAttributes.Normal);
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Lakehouse.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException("Lakehouse.sln not found above the test assembly; run the tests from the repository.");
        }

        var root = System.IO.Path.Combine(dir.Parent.FullName, "shared", "conformance", "delta");
        return Directory.Exists(root)
            ? root
            : throw new InvalidOperationException($"The conformance data is not at {root}: check out ../shared beside the repository.");
    }
}
