namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The spark-submit command lines submit-job.sh builds, per job and Spark version. The expected packages and
/// settings are the ones Spark's and Delta's documentation give (docs/spark-submit.md cites them).
/// </summary>
public sealed class SubmitJobDryRunTests : IDisposable
{
    private const string Plugin = "org.apache.spark.sql.connect.SparkConnectPlugin";
    private const string JobsDir = "/opt/lakehouse/jobs";
    private const string Master = "spark://spark-master:7077";

    private static readonly string[] DeltaConfs =
    [
        "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
    ];

    private readonly TempDirectory _dir = new("submit");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string[], string> Jobs => new()
    {
        { "bronze", ["--source", "orders"], "lakehouse-bronze-orders" },
        { "silver", ["--source", "orders"], "lakehouse-silver-orders" },
        { "quality", ["--table", "silver.orders"], "lakehouse-quality-silver.orders" },
        { "gold", ["--model", "daily_revenue"], "lakehouse-gold-daily_revenue" },
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public void DryRun_Spark35_ConnectJarOfTheInstallationAndDelta3(string job, string[] jobArgs, string name)
    {
        var sparkHome = FakeSparkHome("spark-core_2.12-3.5.3.jar");

        var words = DryRun(job, jobArgs, sparkHome, version: "3.5");

        Assert.Equal(
            [
                $"{sparkHome}/bin/spark-submit", "--master", Master, "--deploy-mode", "client", "--name", name,
                "--class", "lakehouse.launcher.Launcher",
                "--packages", "org.apache.spark:spark-connect_2.12:3.5.3,io.delta:delta-spark_2.12:3.3.2",
                "--conf", $"spark.plugins={Plugin}", "--conf", DeltaConfs[0], "--conf", DeltaConfs[1],
                RepoPaths.Of("deploy", "spark", "launcher", "build", "lakehouse-launcher.jar"), $"{JobsDir}/lakehouse-{job}",
                .. jobArgs, .. AirflowStyleArgs,
            ],
            words);
    }

    [Theory]
    [MemberData(nameof(Jobs))]
    public void DryRun_Spark4_DeltaConnectPluginsAndNoConnectJar(string job, string[] jobArgs, string name)
    {
        var sparkHome = FakeSparkHome("spark-core_2.13-4.0.1.jar");

        var words = DryRun(job, jobArgs, sparkHome, version: "4");

        Assert.Equal(
            [
                $"{sparkHome}/bin/spark-submit", "--master", Master, "--deploy-mode", "client", "--name", name,
                "--class", "lakehouse.launcher.Launcher",
                "--packages", "io.delta:delta-spark_2.13:4.0.0,io.delta:delta-connect-server_2.13:4.0.0,com.google.protobuf:protobuf-java:3.25.1",
                "--conf", $"spark.plugins={Plugin}", "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                "--conf", DeltaConfs[0], "--conf", DeltaConfs[1],
                "--conf", "spark.connect.extensions.relation.classes=org.apache.spark.sql.connect.delta.DeltaRelationPlugin",
                "--conf", "spark.connect.extensions.command.classes=org.apache.spark.sql.connect.delta.DeltaCommandPlugin",
                RepoPaths.Of("deploy", "spark", "launcher", "build", "lakehouse-launcher.jar"), $"{JobsDir}/lakehouse-{job}",
                .. jobArgs, .. AirflowStyleArgs,
            ],
            words);
    }

    [Fact]
    public void DryRun_Spark35Scala213_ScalaSuffixFollowsTheInstallation()
    {
        var sparkHome = FakeSparkHome("spark-core_2.13-3.5.1.jar");

        var words = DryRun("bronze", ["--source", "orders"], sparkHome, version: null);

        Assert.Equal("org.apache.spark:spark-connect_2.13:3.5.1,io.delta:delta-spark_2.13:3.3.2", words[words.ToList().IndexOf("--packages") + 1]);
    }

    [Fact]
    public void DryRun_NoVersionGiven_VersionOfTheInstallationIsUsed()
    {
        var words = DryRun("gold", ["--model", "m"], FakeSparkHome("spark-core_2.13-4.0.1.jar"), version: null);

        Assert.Contains("spark.connect.extensions.command.classes=org.apache.spark.sql.connect.delta.DeltaCommandPlugin", words);
    }

    [Fact]
    public void DryRun_ClusterMode_ShipsTheJobsArchiveAndUsesTheUnpackedPath()
    {
        var result = SubmitJobScript.Run(
            ["--dry-run", "silver", "--source", "orders"],
            new Dictionary<string, string?>
            {
                ["SPARK_HOME"] = FakeSparkHome("spark-core_2.13-4.0.1.jar"),
                ["SPARK_MASTER"] = "yarn",
                ["SPARK_DEPLOY_MODE"] = "cluster",
                ["LAKEHOUSE_JOBS_ARCHIVE"] = "hdfs:///apps/lakehouse/jobs.tar.gz",
                ["LAKEHOUSE_LAUNCHER_JAR"] = "hdfs:///apps/lakehouse/lakehouse-launcher.jar",
            });

        Assert.Equal(0, result.ExitCode);
        var words = SubmitJobScript.Words(result.Stdout);
        Assert.Equal(["--deploy-mode", "cluster"], words.Skip(3).Take(2));
        Assert.Equal("hdfs:///apps/lakehouse/jobs.tar.gz#jobs", words[words.ToList().IndexOf("--archives") + 1]);
        Assert.Equal(["hdfs:///apps/lakehouse/lakehouse-launcher.jar", "jobs/lakehouse-silver", "--source", "orders"], words.TakeLast(4));
    }

    [Fact]
    public void DryRun_ClusterModeWithJobsInstalledOnTheNodes_UsesThatPathWithoutArchives()
    {
        var result = SubmitJobScript.Run(
            ["--dry-run", "gold", "--model", "daily_revenue"],
            new Dictionary<string, string?> { ["SPARK_DEPLOY_MODE"] = "cluster", ["LAKEHOUSE_JOBS_DIR"] = "/opt/lakehouse/jobs" });

        Assert.Equal(0, result.ExitCode);
        var words = SubmitJobScript.Words(result.Stdout);
        Assert.DoesNotContain("--archives", words);
        Assert.Equal(["/opt/lakehouse/jobs/lakehouse-gold", "--model", "daily_revenue"], words.TakeLast(3));
    }

    [Fact]
    public void DryRun_ClusterModeWithoutArchiveOrJobsDir_ExitsWith2()
    {
        var result = SubmitJobScript.Run(["--dry-run", "bronze"], new Dictionary<string, string?> { ["SPARK_DEPLOY_MODE"] = "cluster" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("LAKEHOUSE_JOBS_ARCHIVE", result.Stderr);
    }

    [Theory]
    [InlineData("platinum")]
    [InlineData("")]
    public void DryRun_UnknownJob_ExitsWith2(string job)
    {
        var result = SubmitJobScript.Run(["--dry-run", job], new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bronze, silver, quality or gold", result.Stderr);
    }

    [Fact]
    public void DryRun_VersionDisagreesWithInstallation_ExitsWith2()
    {
        var result = SubmitJobScript.Run(
            ["--dry-run", "bronze"],
            new Dictionary<string, string?> { ["SPARK_HOME"] = FakeSparkHome("spark-core_2.12-3.5.3.jar"), ["SPARK_VERSION"] = "4" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("3.5.3", result.Stderr);
    }

    [Fact]
    public void Run_NoSparkHome_ExitsWith2()
    {
        var result = SubmitJobScript.Run(["bronze", "--source", "orders"], new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SPARK_HOME", result.Stderr);
    }

    /// <summary>What the Airflow DAG appends to every job's arguments (airflow/dags/lakehouse_medallion.py).</summary>
    private static readonly string[] AirflowStyleArgs =
    [
        "--run-id", "scheduled__2026-11-23T04:00:00+00:00",
        "--data-interval-start", "2026-11-23T00:00:00+00:00", "--data-interval-end", "2026-11-23T04:00:00+00:00",
    ];

    private IReadOnlyList<string> DryRun(string job, string[] jobArgs, string sparkHome, string? version)
    {
        var result = SubmitJobScript.Run(
            ["--dry-run", job, .. jobArgs, .. AirflowStyleArgs],
            new Dictionary<string, string?>
            {
                ["SPARK_HOME"] = sparkHome,
                ["SPARK_VERSION"] = version,
                ["SPARK_MASTER"] = Master,
                ["LAKEHOUSE_JOBS_DIR"] = JobsDir,
            });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, result.Stdout.Count(c => c == '\n'));
        return SubmitJobScript.Words(result.Stdout);
    }

    /// <summary>A Spark installation as far as submit-job.sh looks: jars/spark-core_SCALA-VERSION.jar.</summary>
    private string FakeSparkHome(string coreJar)
    {
        var home = _dir.Combine("spark-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(home, "jars"));
        File.WriteAllBytes(System.IO.Path.Combine(home, "jars", coreJar), []);
        return home;
    }
}
