using System.Text.Json.Nodes;

namespace Lakehouse.Cli.Tests;

public sealed class OptimizeCommandTests
{
    [Fact]
    public void Optimize_SparkTableJson_CompactsAndRowsStayTheSame()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");
        var rowsBefore = Rows(table.Path);

        var run = CliRun.Of("table", "optimize", table.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        var result = JsonNode.Parse(run.Output)!;
        Assert.Equal(3, result["version"]!.GetValue<long>());
        Assert.Equal(6, result["numRemovedFiles"]!.GetValue<long>());
        Assert.Equal(1, result["numAddedFiles"]!.GetValue<long>());
        Assert.Equal(rowsBefore, Rows(table.Path));
        var history = JsonNode.Parse(CliRun.Of("table", "history", table.Path, "--json", "--limit", "1").Output)!["history"]![0]!;
        Assert.Equal("OPTIMIZE", history["operation"]!.GetValue<string>());
    }

    [Fact]
    public void Optimize_SparkTableText_OneSentenceWithTheFileCountsAndSizes()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");
        var before = Directory.GetFiles(table.Path, "*.parquet").ToDictionary(f => f, f => new FileInfo(f).Length);

        var run = CliRun.Of("table", "optimize", table.Path);

        Assert.Equal(0, run.ExitCode);
        // The table is unpartitioned: its six small files are one bin, compacted into the one file that is new on disk.
        var added = new FileInfo(Directory.GetFiles(table.Path, "*.parquet").Except(before.Keys).Single()).Length;
        Assert.Equal(
            $"Optimized 1 partitions as version 3: 6 files ({before.Values.Sum()} bytes) compacted into 1 files ({added} bytes).",
            run.Output.TrimEnd());
    }

    [Fact]
    public void Optimize_NothingToDo_SaysSoAndCommitsNothing()
    {
        // One file per partition: no bin has two files.
        using var table = TableCopy.Of("basic-decimal-table");

        var run = CliRun.Of("table", "optimize", table.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Nothing to optimize", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, JsonNode.Parse(CliRun.Of("table", "describe", table.Path, "--json").Output)!["version"]!.GetValue<long>());
    }

    [Fact]
    public void Optimize_WhereOnDataColumn_ExitsBadInput()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "optimize", table.Path, "--where", "id > 3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("only partition columns", run.Error, StringComparison.Ordinal);
    }

    private static List<string> Rows(string path) =>
        JsonNode.Parse(CliRun.Of("table", "show", path, "--json").Output)!["rows"]!.AsArray()
            .Select(r => r!.ToJsonString()).Order(StringComparer.Ordinal).ToList();
}
