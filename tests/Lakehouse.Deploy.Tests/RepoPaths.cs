namespace Lakehouse.Deploy.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the directory that holds Lakehouse.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lakehouse.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lakehouse.sln not found above the test binaries; run the tests from the repository.");
    }
}
