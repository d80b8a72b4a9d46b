using Lakehouse.Pipeline.Observability;

namespace Lakehouse.Pipeline.Tests.Observability;

public sealed class MetricsPublishOptionsTests
{
    private static readonly Func<string, string?> WithEnvironmentUrl =
        name => name == MetricsPublishOptions.PushgatewayVariable ? "http://from-env:9091" : null;

    [Fact]
    public void FromCommandLine_NoOption_TakesTheEnvironment()
    {
        var options = MetricsPublishOptions.FromCommandLine(null, null, WithEnvironmentUrl);

        Assert.Equal(new Uri("http://from-env:9091"), options.PushgatewayUrl);
        Assert.Null(options.MetricsFile);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
    }

    [Fact]
    public void FromCommandLine_Option_WinsOverTheEnvironment()
    {
        var options = MetricsPublishOptions.FromCommandLine("https://gw.example:443", "/var/lib/node/lakehouse.prom", WithEnvironmentUrl);

        Assert.Equal(new Uri("https://gw.example:443"), options.PushgatewayUrl);
        Assert.Equal("/var/lib/node/lakehouse.prom", options.MetricsFile);
    }

    [Fact]
    public void FromCommandLine_Neither_PublishesNothing()
    {
        var options = MetricsPublishOptions.FromCommandLine(null, null, _ => null);

        Assert.Null(options.PushgatewayUrl);
        Assert.Null(options.MetricsFile);
    }

    [Theory]
    [InlineData("pushgateway:9091")]
    [InlineData("ftp://gw/")]
    public void FromCommandLine_NotAnHttpUrl_ThrowsSayingWhatToGive(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => MetricsPublishOptions.FromCommandLine(url, null, _ => null));

        Assert.Contains("--pushgateway", e.Message, StringComparison.Ordinal);
        Assert.Contains("http://pushgateway:9091", e.Message, StringComparison.Ordinal);
    }
}
