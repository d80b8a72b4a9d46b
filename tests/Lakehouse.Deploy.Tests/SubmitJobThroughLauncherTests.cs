using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Demo;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Deploy.Tests;

/// <summary>
/// submit-job.sh for real (no --dry-run) against a STAND-IN spark-submit that does what SparkSubmit does in client
/// mode, minus Spark: Spark options and settings become system properties of one driver JVM that runs the main
/// class from the application jar. The launcher then runs against <c>StandInSparkSession</c>, and a shell script
/// stands in for the published job executable.
/// </summary>
[Collection(LauncherCollection.Name)]
public sealed class SubmitJobThroughLauncherTests(LauncherBuild launcher) : IDisposable
{
    private const string StandInSparkSubmit = """
        #!/usr/bin/env bash
        # STAND-IN for Spark's bin/spark-submit in client mode, for tests: settings become system properties of the
        # driver JVM, which runs --class from the application jar with the application arguments. No Spark.
        set -euo pipefail
        props=()
        class=""
        while [ $# -gt 0 ]; do
          case "$1" in
            --master) props+=("-Dspark.master=$2"); shift 2 ;;
            --deploy-mode) props+=("-Dspark.submit.deployMode=$2"); shift 2 ;;
            --name) props+=("-Dspark.app.name=$2"); shift 2 ;;
            --packages) props+=("-Dspark.jars.packages=$2"); shift 2 ;;
            --conf) props+=("-D$2"); shift 2 ;;
            --class) class="$2"; shift 2 ;;
            --*) echo "stand-in spark-submit: unexpected option $1" >&2; exit 64 ;;
            *) break ;;
          esac
        done
        jar="$1"
        shift
        exec java -cp "$jar:$STANDIN_CLASSPATH" "${props[@]}" \
          -Dspark.lakehouse.launcher.sessionClass=lakehouse.standin.StandInSparkSession \
          -Dstandin.record="$STANDIN_RECORD" "$class" "$@"
        """;

    private const string StandInJob = """
        #!/bin/sh
        # STAND-IN for a published job executable: shows what it was given and exits with $JOB_EXIT_CODE.
        echo "SPARK_REMOTE=$SPARK_REMOTE"
        printf 'arg=%s\n' "$@"
        exit "$JOB_EXIT_CODE"
        """;

    private readonly TempDirectory _dir = new("submit-run");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("3.5", "spark-core_2.12-3.5.3.jar", 0)]
    [InlineData("4", "spark-core_2.13-4.0.1.jar", 0)]
    [InlineData("4", "spark-core_2.13-4.0.1.jar", 7)]
    public void Run_ClientMode_JobRunsAgainstTheDriversConnectPortAndItsExitCodeComesBack(string version, string coreJar, int jobExitCode)
    {
        var sparkHome = _dir.Combine("spark");
        Directory.CreateDirectory(Path.Combine(sparkHome, "jars"));
        Directory.CreateDirectory(Path.Combine(sparkHome, "bin"));
        File.WriteAllBytes(Path.Combine(sparkHome, "jars", coreJar), []);
        WriteExecutable(Path.Combine(sparkHome, "bin", "spark-submit"), StandInSparkSubmit);
        var jobsDir = _dir.Combine("jobs");
        Directory.CreateDirectory(jobsDir);
        WriteExecutable(Path.Combine(jobsDir, "lakehouse-silver"), StandInJob);
        var record = _dir.Combine("session.record");

        var result = SubmitJobScript.Run(
            ["silver", "--source", "orders", "--run-id", "manual__2026-11-23T06:00:00+00:00"],
            new Dictionary<string, string?>
            {
                ["SPARK_HOME"] = sparkHome,
                ["SPARK_VERSION"] = version,
                ["LAKEHOUSE_JOBS_DIR"] = jobsDir,
                ["LAKEHOUSE_LAUNCHER_JAR"] = launcher.Jar,
                ["STANDIN_CLASSPATH"] = launcher.ClassPath,
                ["STANDIN_RECORD"] = record,
                ["JOB_EXIT_CODE"] = jobExitCode.ToString(),
            });

        Assert.True(result.ExitCode == jobExitCode, result.ToString());
        var port = File.ReadAllLines(record).Single(l => l.StartsWith("spark.connect.grpc.binding.port=", StringComparison.Ordinal)).Split('=')[1];
        Assert.Equal(
            [$"SPARK_REMOTE=sc://localhost:{port}", "arg=--source", "arg=orders", "arg=--run-id", "arg=manual__2026-11-23T06:00:00+00:00"],
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("stopped", File.ReadAllLines(record).Last());
    }

    [Fact]
    public void Run_RealJobExecutablesWithRemoteLocal_BronzeThenSilverSucceedThroughTheLauncher()
    {
        // The jobs as built (apphost + assemblies), run from the command lines submit-job.sh builds, with --remote local
        // in their own arguments so that they use the embedded engine instead of the stand-in's Connect port.
        Directory.CreateDirectory(_dir.Combine("demo"));
        var pipelineFile = _dir.Combine("demo", "lakehouse.yaml");
        File.WriteAllText(pipelineFile, DemoData.PipelineFile);
        var config = PipelineConfigLoader.Load(pipelineFile);
        DemoData.Generate(config.Landing, new DemoOptions { Rows = 50, Batch = 1 });
        var sparkHome = StandInSparkHome("spark-core_2.13-4.0.1.jar");

        foreach (var job in new[] { "bronze", "silver" })
        {
            var result = SubmitJobScript.Run(
                [job, "--source", "orders", "--config", pipelineFile, "--remote", "local", "--run-id", "deploy-test-run-1"],
                new Dictionary<string, string?>
                {
                    ["SPARK_HOME"] = sparkHome,
                    ["LAKEHOUSE_JOBS_DIR"] = BuiltExecutables.JobDirectory(job),
                    ["LAKEHOUSE_LAUNCHER_JAR"] = launcher.Jar,
                    ["STANDIN_CLASSPATH"] = launcher.ClassPath,
                    ["STANDIN_RECORD"] = _dir.Combine($"{job}.record"),
                    [BuiltExecutables.DotnetRoot.Key] = BuiltExecutables.DotnetRoot.Value,
                });

            Assert.True(result.ExitCode == 0, $"{job}: {result}");
            Assert.Equal("stopped", File.ReadAllLines(_dir.Combine($"{job}.record")).Last());
        }

        Assert.True(Directory.Exists(Path.Combine(TableLocations.Path(config, "silver.orders"), "_delta_log")));
    }

    private string StandInSparkHome(string coreJar)
    {
        var sparkHome = _dir.Combine("spark-home");
        Directory.CreateDirectory(Path.Combine(sparkHome, "jars"));
        Directory.CreateDirectory(Path.Combine(sparkHome, "bin"));
        File.WriteAllBytes(Path.Combine(sparkHome, "jars", coreJar), []);
        WriteExecutable(Path.Combine(sparkHome, "bin", "spark-submit"), StandInSparkSubmit);
        return sparkHome;
    }

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
