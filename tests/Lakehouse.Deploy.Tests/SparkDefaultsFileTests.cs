namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The spark-defaults files as Spark itself parses them (java.util.Properties, through SparkPropertiesDump),
/// against what submit-job.sh turns them into: the script's own reading of the files must agree with Spark's.
/// </summary>
[Collection(LauncherCollection.Name)]
public sealed class SparkDefaultsFileTests(LauncherBuild launcher) : IDisposable
{
    private readonly TempDirectory _dir = new("defaults");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("3.5", "spark-core_2.12-3.5.7.jar")]
    [InlineData("4", "spark-core_2.13-4.0.1.jar")]
    public void SubmitJob_PassesExactlyWhatSparkReadsFromTheFile(string version, string coreJar)
    {
        var file = RepoPaths.Of("deploy", "spark", $"spark-defaults-{version}.conf");
        var dump = ProcessRun.Run("java", ["-cp", launcher.ClassPath, "lakehouse.standin.SparkPropertiesDump", file]);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        var spark = dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        var sparkHome = _dir.Combine("spark-" + version);
        Directory.CreateDirectory(Path.Combine(sparkHome, "jars"));
        File.WriteAllBytes(Path.Combine(sparkHome, "jars", coreJar), []);

        var result = SubmitJobScript.Run(["--dry-run", "bronze"], new Dictionary<string, string?> { ["SPARK_HOME"] = sparkHome });

        Assert.True(result.ExitCode == 0, result.ToString());
        var words = SubmitJobScript.Words(result.Stdout);
        var passed = words.Select((word, i) => (word, i))
            .Where(w => w.word is "--conf" or "--packages")
            .Select(w => w.word == "--packages" ? $"spark.jars.packages={words[w.i + 1]}" : words[w.i + 1])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(spark, passed);
    }
}
