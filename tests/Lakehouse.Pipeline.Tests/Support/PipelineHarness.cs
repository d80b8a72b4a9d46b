using Lakehouse.Embedded;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Runs;
using Lakehouse.Spark;
using Serilog;

namespace Lakehouse.Pipeline.Tests.Support;

/// <summary>
/// A pipeline of the test's own: a temp directory with a landing zone and a warehouse, a real embedded engine
/// served on loopback over that warehouse (one per test, so tests run in parallel), and a session to it.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("pipeline");
    private ConnectServer? _server;

    private PipelineHarness()
    {
        Directory.CreateDirectory(Landing);
    }

    public string Root => _dir.Path;

    public string Landing => _dir.Combine("landing");

    public string Warehouse => _dir.Combine("warehouse");

    public SparkSession Spark { get; private set; } = null!;

    /// <summary>Every event the jobs logged, rendered, so a failing assertion can show them.</summary>
    public CollectingSink Logs { get; } = new();

    public string Remote => _server!.ConnectionString;

    public static async Task<PipelineHarness> StartAsync()
    {
        var harness = new PipelineHarness();
        harness._server = await ConnectServer.StartAsync(new ConnectServerOptions { Port = 0, Engine = new EmbeddedOptions { Warehouse = harness.Warehouse } });
        harness.Spark = await SparkSession.Builder().Remote(harness._server.ConnectionString).CreateAsync();
        return harness;
    }

    /// <summary>Writes <paramref name="content"/> to a landing file (relative to the landing root).</summary>
    public string Land(string relative, string content)
    {
        var path = Path.Combine(Landing, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public PipelineConfig Config(string yaml, params string[] overrides) =>
        PipelineConfigLoader.Parse(yaml, Root, ["warehouse=" + Warehouse, "landing=" + Landing, .. overrides], "lakehouse.yaml");

    public PipelineRunner Runner(PipelineConfig config, string runId = "test-run", DataInterval? interval = null, TimeProvider? clock = null) =>
        new(config, Spark, new RunSettings { RunId = runId, Interval = interval, Clock = clock ?? TimeProvider.System }, new LoggerConfiguration().WriteTo.Sink(Logs).CreateLogger());

    public async Task<JobRunReport> RunAsync(PipelineConfig config, JobKind kind, string target, DataInterval? interval = null, string runId = "test-run")
    {
        var report = await Runner(config, runId, interval).RunAsync(new JobRequest(kind, target));
        return report;
    }

    /// <summary>A graph runner whose tasks each open their own session to this harness's engine.</summary>
    public GraphRunner Graph(PipelineConfig config, RunSettings settings) =>
        new(config, ct => SparkSession.Builder().Remote(Remote).CreateAsync(ct), settings, new LoggerConfiguration().WriteTo.Sink(Logs).CreateLogger());

    public DataFrame Table(PipelineConfig config, string table) => Spark.Read.Format("delta").Load(TableLocations.Path(config, table));

    public async ValueTask DisposeAsync()
    {
        await Spark.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
    }
}
