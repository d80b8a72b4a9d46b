using System.Text.RegularExpressions;

namespace Lakehouse.Deploy.Tests;

/// <summary>
/// deploy/docker-compose.yml cannot run here (no Docker), so its structure is checked: the services, pinned image
/// tags (also in the Dockerfile it builds), ports on localhost only, bind mounts of files that exist, and the
/// Spark and Delta versions agreeing with deploy/spark/spark-defaults-4.conf.
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>Paths the observability work (branch obs) provides; they exist once it is merged.</summary>
    private static readonly string[] ExpectedFromObs = ["./prometheus", "./grafana/provisioning", "./grafana/dashboards"];

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Services_AreTheClusterTheDocsDescribe()
    {
        Assert.Equal(
            ["airflow", "grafana", "prometheus", "pushgateway", "spark-connect", "spark-master", "spark-worker", "volumes-init"],
            _compose.Services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Images_HavePinnedVersionTags()
    {
        foreach (var (name, service) in _compose.Services)
        {
            if (service.ContainsKey("build"))
            {
                continue;
            }

            Assert.True(service.TryGetValue("image", out var image), $"{name} has neither image nor build");
            AssertPinned((string)image, name);
        }
    }

    [Fact]
    public void BuiltImages_DockerfileBaseImagesArePinnedAndCopiedPathsExist()
    {
        foreach (var (name, service) in _compose.Services.Where(s => s.Value.ContainsKey("build")))
        {
            var build = ComposeFile.Map(service, "build");
            var context = ComposeFile.HostPath((string)build["context"]);
            var dockerfile = Path.Combine(context, (string)build["dockerfile"]);
            Assert.True(File.Exists(dockerfile), $"{name}: no Dockerfile at {dockerfile}");
            var stages = new HashSet<string>();
            foreach (var line in File.ReadAllLines(dockerfile).Select(l => l.Trim()))
            {
                var from = FromLine().Match(line);
                if (from.Success)
                {
                    if (!stages.Contains(from.Groups[1].Value))
                    {
                        AssertPinned(from.Groups[1].Value, $"{name} Dockerfile");
                    }

                    if (from.Groups[2].Success)
                    {
                        stages.Add(from.Groups[2].Value);
                    }
                }

                var copy = CopyLine().Match(line);
                if (copy.Success && copy.Groups[1].Value != ".")
                {
                    Assert.True(Path.Exists(Path.Combine(context, copy.Groups[1].Value)), $"{name} Dockerfile copies {copy.Groups[1].Value}, which does not exist");
                }
            }

            Assert.NotEmpty(stages);
        }
    }

    [Fact]
    public void Ports_AreBoundToLocalhostOnly()
    {
        var all = _compose.Services.SelectMany(s => ComposeFile.Strings(s.Value, "ports").Select(p => (Service: s.Key, Port: p))).ToList();

        Assert.NotEmpty(all);
        Assert.All(all, p => Assert.Matches(@"^127\.0\.0\.1:\d+:\d+$", p.Port));
        Assert.Equal(all.Count, all.Select(p => p.Port.Split(':')[1]).Distinct().Count());
    }

    [Fact]
    public void BindMounts_PointAtPathsInTheRepository()
    {
        var mounts = BindMounts().Where(m => !ExpectedFromObs.Contains(m.Source)).ToList();

        Assert.NotEmpty(mounts);
        Assert.All(mounts, m => Assert.True(Path.Exists(ComposeFile.HostPath(m.Source)), $"{m.Service} mounts {m.Source}, which is not in the repository"));
    }

    [Fact]
    public void BindMounts_ObservabilityConfigFromTheObsWorkExists()
    {
        var sources = BindMounts().Select(m => m.Source).ToHashSet();
        Assert.All(ExpectedFromObs, s => Assert.Contains(s, sources));

        Assert.All(ExpectedFromObs, s => Assert.True(Directory.Exists(ComposeFile.HostPath(s)), $"{s} (from the obs work) is missing"));
        Assert.True(File.Exists(ComposeFile.HostPath("./prometheus/prometheus.yml")), "deploy/prometheus/prometheus.yml is missing");
    }

    [Fact]
    public void Grafana_DashboardsAreMountedWhereTheProvisioningLooks()
    {
        var provisioning = ComposeFile.HostPath("./grafana/provisioning/dashboards");
        Assert.True(Directory.Exists(provisioning), "deploy/grafana/provisioning/dashboards (from the obs work) is missing");
        var paths = Directory.EnumerateFiles(provisioning, "*.y*ml")
            .SelectMany(f => Providers(f))
            .ToList();
        var dashboards = ComposeFile.Strings(_compose.Services["grafana"], "volumes").Select(ComposeFile.Volume).Single(v => v.Source == "./grafana/dashboards");

        Assert.Contains(dashboards.Target, paths);
    }

    private static IEnumerable<string> Providers(string file)
    {
        using var reader = File.OpenText(file);
        var root = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(reader);
        return root.TryGetValue("providers", out var providers) && providers is List<object> list
            ? list.Cast<Dictionary<object, object>>().Select(p => (string)ComposeFile.Map(p, "options")["path"])
            : [];
    }

    [Fact]
    public void NamedVolumes_AreDeclared()
    {
        var declared = ComposeFile.Map(_compose.Root, "volumes").Keys.Cast<string>().ToHashSet();
        var used = _compose.Services.SelectMany(s => ComposeFile.Strings(s.Value, "volumes")).Select(ComposeFile.Volume).Where(v => !v.IsBind).Select(v => v.Source).ToHashSet();

        Assert.NotEmpty(used);
        Assert.Equal(used.Order(), declared.Order());
    }

    [Fact]
    public void DependsOn_NamesServicesOfTheFile()
    {
        foreach (var (name, service) in _compose.Services)
        {
            var dependencies = service.TryGetValue("depends_on", out var value)
                ? value switch
                {
                    List<object> list => list.Cast<string>(),
                    Dictionary<object, object> map => map.Keys.Cast<string>(),
                    _ => [],
                }
                : [];
            Assert.All(dependencies, d => Assert.True(_compose.Services.ContainsKey(d), $"{name} depends on unknown service {d}"));
        }
    }

    [Fact]
    public void ConnectServer_HasTheDeltaPackagesAndSettingsOfSparkDefaults4()
    {
        var defaults = SparkDefaults(RepoPaths.Of("deploy", "spark", "spark-defaults-4.conf"));
        var command = ComposeFile.Strings(_compose.Services["spark-connect"], "command");

        Assert.Equal(defaults["spark.jars.packages"], command[command.ToList().IndexOf("--packages") + 1]);
        var confs = command.Select((word, i) => (word, i)).Where(w => w.word == "--conf").Select(w => command[w.i + 1]).ToHashSet();
        // Not the driver-only settings: the standalone server starts Connect itself and serves the host.
        foreach (var (key, value) in defaults.Where(d => d.Key is not ("spark.jars.packages" or "spark.plugins" or "spark.connect.grpc.binding.address")))
        {
            Assert.Contains($"{key}={value}", confs);
        }
    }

    [Fact]
    public void SparkImages_AreTheSparkLineOfSparkDefaults4()
    {
        // Delta 4.0 is built for Spark 4.0 (docs/spark-submit.md).
        Assert.Contains("io.delta:delta-spark_2.13:4.0.", SparkDefaults(RepoPaths.Of("deploy", "spark", "spark-defaults-4.conf"))["spark.jars.packages"]);
        foreach (var name in new[] { "spark-master", "spark-worker", "spark-connect" })
        {
            Assert.StartsWith("apache/spark:4.0.", (string)_compose.Services[name]["image"]);
        }
    }

    [Fact]
    public void Airflow_SettingsPointAtMountedFiles()
    {
        var airflow = _compose.Services["airflow"];
        var environment = ComposeFile.Map(airflow, "environment");
        var targets = ComposeFile.Strings(airflow, "volumes").Select(ComposeFile.Volume).Select(v => v.Target).ToList();

        foreach (var key in new[] { "LAKEHOUSE_PLAN", "LAKEHOUSE_SPARK_DEFAULTS", "LAKEHOUSE_CONFIG" })
        {
            var path = (string)environment[key];
            Assert.True(targets.Any(t => path == t || path.StartsWith(t + "/", StringComparison.Ordinal)), $"{key}={path} is not under a mount of the airflow service");
        }

        Assert.Equal("http://pushgateway:9091", environment["LAKEHOUSE_PUSHGATEWAY"]);
    }

    private IEnumerable<(string Service, string Source)> BindMounts() =>
        _compose.Services.SelectMany(s => ComposeFile.Strings(s.Value, "volumes").Select(ComposeFile.Volume).Where(v => v.IsBind).Select(v => (s.Key, v.Source)));

    private static Dictionary<string, string> SparkDefaults(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => p[1].Trim());

    private static void AssertPinned(string image, string where)
    {
        var tag = image.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : "";
        Assert.True(PinnedTag().IsMatch(tag), $"{where}: image {image} has no pinned version tag");
    }

    /// <summary>A version tag: starts with a digit (or v and a digit), so never "latest" or a bare name.</summary>
    [GeneratedRegex(@"^v?\d+(\.\d+)+[\w.\-]*$")]
    private static partial Regex PinnedTag();

    [GeneratedRegex(@"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^COPY\s+(?!--from)(?:--\S+\s+)*(\S+)\s+\S+$")]
    private static partial Regex CopyLine();
}
