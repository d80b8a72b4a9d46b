namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>The Debian binaries the monitoring tests run (packages prometheus and prometheus-pushgateway).</summary>
internal static class MonitoringTools
{
    public const string Prometheus = "/usr/bin/prometheus";
    public const string Pushgateway = "/usr/bin/prometheus-pushgateway";
    public const string Promtool = "/usr/bin/promtool";

    public static bool Installed { get; } = File.Exists(Prometheus) && File.Exists(Pushgateway) && File.Exists(Promtool);

    /// <summary>CI must run these tests: there a missing binary fails them instead of skipping them.</summary>
    public static bool InCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string MissingMessage =
        "prometheus, prometheus-pushgateway and promtool must be in /usr/bin: install the Debian packages prometheus and "
        + "prometheus-pushgateway (.ci/run does)";

    /// <summary>The repository root (where Lakehouse.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Deploy(params string[] parts) => Path.Combine([RepositoryRoot, "deploy", .. parts]);

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
