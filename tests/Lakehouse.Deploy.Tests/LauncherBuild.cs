using System.Diagnostics;

namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The launcher jar built by deploy/spark/launcher/build.sh (javac, as a user builds it) and the
/// <c>StandInSparkSession</c> compiled beside it, once for all launcher tests.
/// </summary>
public sealed class LauncherBuild : IDisposable
{
    /// <summary>The class the launcher is told to use instead of org.apache.spark.sql.SparkSession.</summary>
    public const string StandInSessionClass = "lakehouse.standin.StandInSparkSession";

    private readonly TempDirectory _dir = new("launcher-build");

    public LauncherBuild()
    {
        var build = ProcessRun.Run("bash", [RepoPaths.Of("deploy", "spark", "launcher", "build.sh"), _dir.Combine("jar")]);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"build.sh failed: {build}");
        }

        Jar = _dir.Combine("jar", "lakehouse-launcher.jar");
        var standInClasses = _dir.Combine("standin");
        var sources = Directory.GetFiles(RepoPaths.Of("tests", "Lakehouse.Deploy.Tests", "StandIn"), "*.java");
        var javac = ProcessRun.Run("javac", ["--release", "11", "-d", standInClasses, .. sources]);
        if (javac.ExitCode != 0)
        {
            throw new InvalidOperationException($"javac of the stand-in failed: {javac}");
        }

        ClassPath = Jar + Path.PathSeparator + standInClasses;
    }

    /// <summary>lakehouse-launcher.jar as build.sh makes it.</summary>
    public string Jar { get; }

    /// <summary>The jar plus the test-only Java classes (the stand-in, SparkPropertiesDump).</summary>
    public string ClassPath { get; }

    /// <summary>
    /// Starts <c>java lakehouse.launcher.Launcher ARGS</c> as spark-submit would in client mode: the Spark properties
    /// as system properties; the stand-in session class unless <paramref name="properties"/> says otherwise.
    /// </summary>
    public Process Start(IEnumerable<string> args, IDictionary<string, string>? properties = null)
    {
        var props = new Dictionary<string, string> { ["spark.lakehouse.launcher.sessionClass"] = StandInSessionClass };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            props[key] = value;
        }

        List<string> javaArgs = ["-cp", ClassPath, .. props.Select(p => $"-D{p.Key}={p.Value}"), "lakehouse.launcher.Launcher", .. args];
        return ProcessRun.Start("java", javaArgs);
    }

    /// <summary>Runs the launcher to its end.</summary>
    public ProcessResult Run(IEnumerable<string> args, IDictionary<string, string>? properties = null)
    {
        using var process = Start(args, properties);
        return ProcessRun.Finish(process);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>The tests that share one <see cref="LauncherBuild"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LauncherCollection : ICollectionFixture<LauncherBuild>
{
    public const string Name = "launcher";
}
