using System.CommandLine;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Observability;

namespace Lakehouse.Pipeline.Tests.Hosting;

public sealed class CommonOptionsTests
{
    [Fact]
    public void Read_NoLogFormatOption_LeavesTheChoiceToTheEnvironment()
    {
        var options = Parse("--config", "p.yaml");

        Assert.Equal("auto", options.LogFormat);

        // docs/metrics.md: LAKEHOUSE_LOG_FORMAT forces the format when --log-format is absent, also when
        // stdout is redirected (as under Airflow or spark-submit).
        var writer = new StringWriter();
        using (var logger = JobLogging.Create(
            new JobLoggingOptions { RunId = "r", Job = "bronze", Layer = "bronze", Source = "orders", Format = JobLoggingOptions.ParseFormat(options.LogFormat), Output = writer },
            new Dictionary<string, string> { [JobLoggingOptions.FormatVariable] = "text" },
            outputRedirected: true))
        {
            logger.Information("hello");
        }

        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] bronze orders hello", writer.ToString());
    }

    [Fact]
    public void Read_LogFormatOption_WinsOverTheEnvironment()
    {
        var options = Parse("--log-format", "json");

        var writer = new StringWriter();
        using (var logger = JobLogging.Create(
            new JobLoggingOptions { RunId = "r", Job = "bronze", Layer = "bronze", Source = "orders", Format = JobLoggingOptions.ParseFormat(options.LogFormat), Output = writer },
            new Dictionary<string, string> { [JobLoggingOptions.FormatVariable] = "text" },
            outputRedirected: false))
        {
            logger.Information("hello");
        }

        Assert.StartsWith("{", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedPushgatewayUrl_IsBadInputBeforeAnythingRuns()
    {
        var e = Assert.Throws<PipelineInputException>(() => Parse("--pushgateway", "pushgateway:9091"));

        Assert.Equal("--pushgateway 'pushgateway:9091' is not a Pushgateway URL; give its base URL, e.g. http://pushgateway:9091.", e.Message);
    }

    private static JobOptions Parse(params string[] args)
    {
        var common = new CommonOptions();
        var command = new RootCommand();
        common.AddTo(command);
        return common.Read(command.Parse(args));
    }
}
