namespace Lakehouse.Cli.Tests;

public sealed class TableCommandErrorTests
{
    [Fact]
    public void Describe_PathWithoutLog_ExitsNotFoundWithOneLine()
    {
        using var dir = TableCopy.Empty();
        Directory.CreateDirectory(dir.Path);

        var run = CliRun.Of("table", "describe", dir.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not a Delta table", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_VersionAndTimestampTogether_ExitsBadInput()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "describe", table.Path, "--version", "1", "--timestamp", "2020-01-01");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("either --version or --timestamp", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_VersionPastLatest_ExitsNotFound()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "describe", table.Path, "--version", "3");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("latest version is 2", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownOption_ExitsBadInput()
    {
        var run = CliRun.Of("table", "history", "somewhere", "--no-such-option");

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual("", run.Error);
    }

    [Fact]
    public void Describe_UnparsableTimestamp_ExitsBadInput()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "describe", table.Path, "--timestamp", "yesterday-ish");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a timestamp", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deltalog-invalid-protocol-version", 4)]
    [InlineData("deltalog-state-reconstruction-without-metadata", 5)]
    public void Show_ConformanceErrorTable_ExitsWithTheKindsCode(string name, int exitCode)
    {
        using var table = TableCopy.Of(name);

        var run = CliRun.Of("table", "show", table.Path, "--json");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
