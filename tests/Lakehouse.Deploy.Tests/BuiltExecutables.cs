namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The executables this test project's build also builds (project references without their assemblies), found in
/// their own output directories for the configuration the tests run in.
/// </summary>
internal static class BuiltExecutables
{
    /// <summary>bin/&lt;Configuration&gt;/&lt;TargetFramework&gt; of the test assembly, reused for the other projects.</summary>
    private static readonly string OutputSuffix = Path.Combine(
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name,
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name);

    /// <summary>The directory holding <c>lakehouse</c>, the CLI.</summary>
    public static string CliDirectory => Output("src", "Lakehouse.Cli");

    /// <summary>The directory holding <c>lakehouse-JOB</c> (JOB: bronze, silver, quality, gold).</summary>
    public static string JobDirectory(string job) =>
        Output("jobs", "Lakehouse.Jobs." + char.ToUpperInvariant(job[0]) + job[1..]);

    /// <summary>The environment an apphost needs to find the runtime these tests run on.</summary>
    public static KeyValuePair<string, string?> DotnetRoot { get; } = new(
        "DOTNET_ROOT",
        Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")));

    private static string Output(string folder, string project)
    {
        var dir = RepoPaths.Of(folder, project, "bin", OutputSuffix);
        return Directory.Exists(dir) ? dir : throw new InvalidOperationException($"{project} is not built at {dir}; build the solution first.");
    }
}
