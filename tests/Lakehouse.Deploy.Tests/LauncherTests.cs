using System.Net;
using System.Net.Sockets;

namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The spark-submit launcher run as spark-submit runs it in client mode (its class as the main class, Spark
/// properties as system properties), with <c>StandInSparkSession</c> in place of Spark and /bin/sh scripts in place
/// of the .NET job, so that arguments, environment, exit codes and process lifetimes are real.
/// </summary>
[Collection(LauncherCollection.Name)]
public sealed class LauncherTests(LauncherBuild launcher) : IDisposable
{
    private const string ConnectPlugin = "org.apache.spark.sql.connect.SparkConnectPlugin";

    private readonly TempDirectory _dir = new("launcher");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Main_JobArguments_ReachTheJobUnchanged()
    {
        string[] jobArgs = ["--source", "orders", "--run-id", "scheduled__2026-11-23T04:00:00+00:00", "two words", "", "quote'\"s", "ünïcode"];

        var result = launcher.Run([.. Sh("printf '%s\\n' \"$@\""), .. jobArgs], Props());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(jobArgs.Select(a => a + "\n"), SplitKeepingNewlines(result.Stdout));
    }

    [Fact]
    public void Main_NoPortSet_JobGetsSparkRemoteOfTheConnectPortTheSessionWasGiven()
    {
        var result = launcher.Run(Sh("printf %s \"$SPARK_REMOTE\""), Props());

        Assert.Equal(0, result.ExitCode);
        var port = int.Parse(Recorded()["spark.connect.grpc.binding.port"]);
        Assert.InRange(port, 1, 65535);
        Assert.Equal($"sc://localhost:{port}", result.Stdout);
    }

    [Fact]
    public void Main_PortSet_ThatPortIsUsed()
    {
        var port = FreePort();

        var result = launcher.Run(Sh("printf %s \"$SPARK_REMOTE\""), Props(("spark.connect.grpc.binding.port", port.ToString())));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(port.ToString(), Recorded()["spark.connect.grpc.binding.port"]);
        Assert.Equal($"sc://localhost:{port}", result.Stdout);
    }

    [Fact]
    public void Main_NoPluginsSet_SessionGetsTheConnectPlugin()
    {
        var result = launcher.Run(Sh("exit 0"), Props());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ConnectPlugin, Recorded()["spark.plugins"]);
    }

    [Fact]
    public void Main_OtherPluginsSet_ConnectPluginIsAddedToThem()
    {
        var result = launcher.Run(Sh("exit 0"), Props(("spark.plugins", "com.example.MetricsPlugin")));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"com.example.MetricsPlugin,{ConnectPlugin}", Recorded()["spark.plugins"]);
    }

    [Fact]
    public void Main_ConnectPluginAlreadySet_PluginsAreLeftAsTheyAre()
    {
        var plugins = $"{ConnectPlugin},com.example.MetricsPlugin";

        var result = launcher.Run(Sh("exit 0"), Props(("spark.plugins", plugins)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(plugins, Recorded()["spark.plugins"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(7)]
    public void Main_JobExitsWithCode_LauncherExitsWithTheSameCodeAfterStoppingSpark(int code)
    {
        var result = launcher.Run(Sh($"echo out; echo err >&2; exit {code}"), Props());

        Assert.Equal(code, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err\n", result.Stderr);
        Assert.Equal("stopped", File.ReadAllLines(RecordFile).Last());
    }

    [Fact]
    public void Main_JobKilledBySignal_LauncherExitsWith128PlusTheSignal()
    {
        var result = launcher.Run(Sh("kill -KILL $$"), Props());

        Assert.Equal(128 + 9, result.ExitCode);
        Assert.Equal("stopped", File.ReadAllLines(RecordFile).Last());
    }

    [Fact]
    public void Main_JobLeavesAProcessHoldingItsOutput_LauncherStillEndsWithTheJobsCode()
    {
        var pidFile = _dir.Combine("leftover.pid");

        var result = launcher.Run(Sh($"sleep 600 & echo $! > '{pidFile}'; exit 3"), Props());

        Assert.Equal(3, result.ExitCode);
        Signal("KILL", int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    [Fact]
    public void Main_NoArguments_ExitsWithUsageErrorBeforeStartingSpark()
    {
        var result = launcher.Run([], Props());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage:", result.Stderr);
        Assert.False(File.Exists(RecordFile));
    }

    [Fact]
    public void Main_ExecutableMissing_ExitsWithCode2NamingItBeforeStartingSpark()
    {
        var missing = _dir.Combine("jobs", "lakehouse-bronze");

        var result = launcher.Run([missing, "--source", "orders"], Props());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Stderr);
        Assert.False(File.Exists(RecordFile));
    }

    [Fact]
    public void Main_BadPortSetting_ExitsWithCode2()
    {
        var result = launcher.Run(Sh("exit 0"), Props(("spark.connect.grpc.binding.port", "fifteen")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("spark.connect.grpc.binding.port", result.Stderr);
    }

    [Fact]
    public void Main_ConnectNeverListens_ExitsWithCode1AndStopsSparkWithoutStartingTheJob()
    {
        var marker = _dir.Combine("job-ran");

        var result = launcher.Run(
            Sh($"touch '{marker}'"),
            Props(("standin.listen", "false"), ("spark.lakehouse.launcher.connectTimeoutSeconds", "1")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(ConnectPlugin, result.Stderr);
        Assert.False(File.Exists(marker));
        Assert.Equal("stopped", File.ReadAllLines(RecordFile).Last());
    }

    [Fact]
    public void Main_SessionClassMissing_ExitsWithCode1NamingIt()
    {
        var result = launcher.Run(Sh("exit 0"), Props(("spark.lakehouse.launcher.sessionClass", "org.apache.spark.sql.SparkSession")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("org.apache.spark.sql.SparkSession", result.Stderr);
    }

    [Fact]
    public void Main_RelativeExecutable_IsResolvedInTheWorkingDirectory()
    {
        // Cluster mode: --archives jobs.tar.gz#jobs unpacks into the driver's working directory.
        Directory.CreateDirectory(_dir.Combine("jobs"));
        var job = _dir.Combine("jobs", "lakehouse-gold");
        File.WriteAllText(job, "#!/bin/sh\nprintf '%s' \"$1\"\n");
        File.SetUnixFileMode(job, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var props = Props(("spark.lakehouse.launcher.sessionClass", LauncherBuild.StandInSessionClass)).Select(p => $"-D{p.Key}={p.Value}");

        var result = ProcessRun.Run("java", ["-cp", launcher.ClassPath, .. props, "lakehouse.launcher.Launcher", "jobs/lakehouse-gold", "daily_revenue"], workingDirectory: _dir.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("daily_revenue", result.Stdout);
    }

    [Fact]
    public void Main_LauncherGetsSigterm_JobIsStoppedAndNoProcessIsLeft()
    {
        var pidFile = _dir.Combine("job.pid");
        using var process = launcher.Start(Sh($"echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}' && exec sleep 600"), Props());
        Assert.True(ProcessRun.WaitUntil(() => File.Exists(pidFile)), "the job did not start");
        var jobPid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(ProcessRun.IsRunning(jobPid));

        Signal("TERM", process.Id);
        var result = ProcessRun.Finish(process);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(ProcessRun.WaitUntil(() => !ProcessRun.IsRunning(jobPid)), $"job pid {jobPid} outlived the launcher\n{result}");
        Assert.Contains("shutting down", result.Stderr);
    }

    [Fact]
    public void Main_JobIgnoresSigterm_IsKilledAfterTheGracePeriod()
    {
        var pidFile = _dir.Combine("job.pid");
        using var process = launcher.Start(
            Sh($"trap '' TERM; echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}'; while :; do sleep 1; done"),
            Props(("spark.lakehouse.launcher.killGraceSeconds", "1")));
        Assert.True(ProcessRun.WaitUntil(() => File.Exists(pidFile)), "the job did not start");
        var jobPid = int.Parse(File.ReadAllText(pidFile).Trim());

        Signal("TERM", process.Id);
        var result = ProcessRun.Finish(process);

        Assert.True(ProcessRun.WaitUntil(() => !ProcessRun.IsRunning(jobPid)), $"job pid {jobPid} outlived the launcher\n{result}");
        Assert.Contains("did not stop", result.Stderr);
    }

    [Fact]
    public void Main_SparkApplicationStops_JobIsStoppedAndLauncherEnds()
    {
        var pidFile = _dir.Combine("job.pid");
        var stopSignal = _dir.Combine("stop-application");
        using var process = launcher.Start(
            Sh($"echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}' && exec sleep 600"),
            Props(("standin.stopWhenFileExists", stopSignal)));
        Assert.True(ProcessRun.WaitUntil(() => File.Exists(pidFile)), "the job did not start");
        var jobPid = int.Parse(File.ReadAllText(pidFile).Trim());

        File.WriteAllText(stopSignal, "");
        var result = ProcessRun.Finish(process);

        Assert.Equal(128 + 15, result.ExitCode);
        Assert.False(ProcessRun.IsRunning(jobPid));
        Assert.Contains("Spark application stopped", result.Stderr);
    }

    private string RecordFile => _dir.Combine("session.record");

    /// <summary>The settings the stand-in session was built with (the record's key=value lines).</summary>
    private Dictionary<string, string> Recorded() =>
        File.ReadAllLines(RecordFile)
            .Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    private Dictionary<string, string> Props(params (string Key, string Value)[] extra)
    {
        var props = new Dictionary<string, string> { ["standin.record"] = RecordFile };
        foreach (var (key, value) in extra)
        {
            props[key] = value;
        }

        return props;
    }

    /// <summary>A job that is a shell script: /bin/sh -c SCRIPT sh, so the job's own arguments become $1, $2, ….</summary>
    private static string[] Sh(string script) => ["/bin/sh", "-c", script, "sh"];

    private static IEnumerable<string> SplitKeepingNewlines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }
    }

    private static void Signal(string signal, int pid)
    {
        var kill = ProcessRun.Run("kill", [$"-{signal}", pid.ToString()]);
        Assert.Equal(0, kill.ExitCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
