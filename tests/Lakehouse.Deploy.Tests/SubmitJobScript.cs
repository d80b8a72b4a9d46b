namespace Lakehouse.Deploy.Tests;

/// <summary>Runs deploy/spark/submit-job.sh and reads its <c>--dry-run</c> command line back as bash parses it.</summary>
internal static class SubmitJobScript
{
    public static string Path { get; } = RepoPaths.Of("deploy", "spark", "submit-job.sh");

    /// <summary>Runs the script with only the given Lakehouse/Spark variables set (the caller's are cleared).</summary>
    public static ProcessResult Run(IEnumerable<string> args, IDictionary<string, string?> env)
    {
        var clean = new Dictionary<string, string?>
        {
            ["SPARK_HOME"] = null,
            ["SPARK_VERSION"] = null,
            ["SPARK_MASTER"] = null,
            ["SPARK_DEPLOY_MODE"] = null,
            ["LAKEHOUSE_JOBS_DIR"] = null,
            ["LAKEHOUSE_JOBS_ARCHIVE"] = null,
            ["LAKEHOUSE_LAUNCHER_JAR"] = null,
            ["LAKEHOUSE_SPARK_DEFAULTS"] = null,
        };
        foreach (var (key, value) in env)
        {
            clean[key] = value;
        }

        return ProcessRun.Run("bash", [Path, .. args], clean);
    }

    /// <summary>The words of a printed command line, split by bash itself (so the quoting is checked too).</summary>
    public static IReadOnlyList<string> Words(string commandLine)
    {
        var result = ProcessRun.Run("bash", ["-c", "eval \"words=($1)\" && printf '%s\\0' \"${words[@]}\"", "bash", commandLine.TrimEnd('\n')]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bash could not parse the printed command: {result}");
        }

        return result.Stdout.Split('\0')[..^1];
    }
}
