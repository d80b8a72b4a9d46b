using System.Text.Json.Nodes;
using Lakehouse.Pipeline.Observability;

namespace Lakehouse.Pipeline.Tests.Observability;

public sealed class JobLoggingTests
{
    [Fact]
    public void Create_Json_EveryEventIsACompactJsonLineWithTheRunContext()
    {
        using var log = new LogCapture(job: "silver", source: "orders");

        log.Logger.Information("merged {Rows} rows", 12);
        JobLogging.ForTable(log.Logger, "silver.orders", 4).Warning("late records");

        var events = log.Lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("run-7", (string?)e["RunId"]);
            Assert.Equal("silver", (string?)e["Job"]);
            Assert.Equal("silver", (string?)e["Layer"]);
            Assert.Equal("orders", (string?)e["Source"]);
            Assert.NotNull(e["@t"]);
        });
        Assert.Equal("merged 12 rows", (string?)events[0]["@m"]);
        Assert.Equal(12, (int?)events[0]["Rows"]);
        Assert.Equal("silver.orders", (string?)events[1]["Table"]);
        Assert.Equal(4, (long?)events[1]["Version"]);
        Assert.Equal("Warning", (string?)events[1]["@l"]);
    }

    [Fact]
    public void Create_Text_WritesReadableLines()
    {
        using var log = new LogCapture(job: "bronze", source: "orders", format: LogFormat.Text);

        log.Logger.Information("ingested {Files} files", 3);

        var line = Assert.Single(log.Lines);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] bronze orders ingested 3 files", line);
    }

    [Fact]
    public void Create_SecretsInPropertiesTemplatesAndExceptions_AreMasked()
    {
        var environment = new Dictionary<string, string> { ["API_TOKEN"] = "env-secret-4711", ["HOME"] = "/root" };
        using var log = new LogCapture(secrets: ["pipeline-secret-0815"], environment: environment);

        log.Logger.Information("connecting to {Remote}", "sc://spark:15002/;token=abc123xyz;use_ssl=true");
        log.Logger.Information("header {Header}", "Authorization: Bearer eyJhbGciOi.payload.sig");
        log.Logger.Information($"interpolated sc://h:1/;token=tok987 and env-secret-4711 in {"the template"}");
        log.Logger.Information("config {@Http}", new { Url = "https://user:pw1234@api.example.com/x", Key = "pipeline-secret-0815" });
        log.Logger.Information("home {Home}", "/root");
        log.Logger.Error(new InvalidOperationException("cannot reach sc://spark:15002/;token=abc123xyz"), "failed");

        var text = log.Text;
        foreach (var secret in new[] { "abc123xyz", "eyJhbGciOi", "tok987", "env-secret-4711", "pipeline-secret-0815", "pw1234" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains("token=***;use_ssl=true", text, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", text, StringComparison.Ordinal);
        // Values of variables whose names do not say "secret" stay.
        Assert.Contains("/root", text, StringComparison.Ordinal);
        var error = JsonNode.Parse(log.Lines[^1])!;
        Assert.Contains("InvalidOperationException", (string?)error["@x"], StringComparison.Ordinal);
        Assert.Contains("token=***", (string?)error["@x"], StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LevelFromEnvironment_FiltersBelowIt()
    {
        var environment = new Dictionary<string, string> { [JobLoggingOptions.LevelVariable] = "warn" };
        using var log = new LogCapture(environment: environment, level: null);

        log.Logger.Information("hidden");
        log.Logger.Warning("shown");

        Assert.Equal("shown", (string?)JsonNode.Parse(Assert.Single(log.Lines))!["@m"]);
    }

    [Fact]
    public void Create_SerilogStyleMinimumLevel_IsTheFallback()
    {
        var environment = new Dictionary<string, string> { ["Serilog__MinimumLevel__Default"] = "Error" };
        using var log = new LogCapture(environment: environment, level: null);

        log.Logger.Warning("hidden");
        log.Logger.Error("shown");

        Assert.Single(log.Lines);
    }

    [Fact]
    public void Create_UnknownLevel_ThrowsNamingTheVariable()
    {
        var environment = new Dictionary<string, string> { [JobLoggingOptions.LevelVariable] = "loud" };

        var e = Assert.Throws<ArgumentException>(() => new LogCapture(environment: environment, level: null));

        Assert.Contains("LAKEHOUSE_LOG_LEVEL 'loud'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, LogFormat.Auto)]
    [InlineData("json", LogFormat.Json)]
    [InlineData("TEXT", LogFormat.Text)]
    public void ParseFormat_KnownValues_Parse(string? value, LogFormat expected) =>
        Assert.Equal(expected, JobLoggingOptions.ParseFormat(value));

    [Fact]
    public void ParseFormat_Unknown_Throws() =>
        Assert.Throws<ArgumentException>(() => JobLoggingOptions.ParseFormat("xml"));

    [Fact]
    public void Create_AutoFormatNotOnATerminal_IsJson()
    {
        var writer = new StringWriter();
        using (var logger = JobLogging.Create(
            new JobLoggingOptions { RunId = "r", Job = "gold", Layer = "gold", Output = writer },
            new Dictionary<string, string>(),
            outputRedirected: true))
        {
            logger.Information("x");
        }

        Assert.Equal("gold", (string?)JsonNode.Parse(writer.ToString())!["Job"]);
    }

    [Fact]
    public void Summary_FailedRun_OneErrorEventWithTheRunsFigures()
    {
        using var log = new LogCapture();
        var report = SampleReports.QualityGate("orders", DateTimeOffset.UnixEpoch.AddDays(1));

        JobLogging.Summary(log.Logger, report);

        var summary = JsonNode.Parse(Assert.Single(log.Lines))!;
        Assert.Equal("run_summary", (string?)summary["EventType"]);
        Assert.Equal("Error", (string?)summary["@l"]);
        Assert.Equal("QualityGateFailed", (string?)summary["Status"]);
        Assert.Equal(3.0, (double?)summary["DurationSeconds"]);
        Assert.Equal(118, (long?)summary["RecordsRead"]);
        Assert.Equal(1, (int?)summary["ChecksFailed"]);
        Assert.Equal(2, (int?)summary["ChecksRun"]);
        Assert.Equal("silver.orders:order_id_unique", (string?)summary["FailedChecks"]![0]);
        Assert.Equal("quality_gate", (string?)summary["ErrorKind"]);
        Assert.Equal("run-7", (string?)summary["RunId"]);
    }

    [Fact]
    public void Summary_SucceededRun_IsInformation()
    {
        using var log = new LogCapture();
        var report = SampleReports.Silver("orders", DateTimeOffset.UnixEpoch.AddDays(1));

        JobLogging.Summary(log.Logger, report);

        var summary = JsonNode.Parse(Assert.Single(log.Lines))!;
        Assert.Null(summary["@l"]);
        Assert.Equal(5, (long?)summary["TableVersion"]);
        Assert.Equal(7, (long?)summary["RecordsQuarantined"]);
    }
}
