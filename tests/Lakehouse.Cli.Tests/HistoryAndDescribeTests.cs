using System.Text.Json.Nodes;

namespace Lakehouse.Cli.Tests;

public sealed class HistoryAndDescribeTests
{
    [Fact]
    public void History_Json_ListsCommitsNewestFirstWithTheirCommitInfo()
    {
        using var table = TableCopy.Of("snapshot-vacuumed");

        var run = CliRun.Of("table", "history", table.Path, "--json", "--limit", "3");

        Assert.Equal(0, run.ExitCode);
        var history = JsonNode.Parse(run.Output)!["history"]!.AsArray();
        Assert.Equal([5L, 4, 3], history.Select(h => h!["version"]!.GetValue<long>()));
        foreach (var entry in history)
        {
            var info = CommitInfo(table.Path, entry!["version"]!.GetValue<long>());
            Assert.Equal(info["operation"]!.GetValue<string>(), entry["operation"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(info["operationParameters"], entry["operationParameters"]));
            Assert.Equal(info["readVersion"]!.GetValue<long>(), entry["readVersion"]!.GetValue<long>());
            Assert.Equal(info["isBlindAppend"]!.GetValue<bool>(), entry["isBlindAppend"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void History_Text_ShowsOneLinePerCommitAfterTheHeader()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "history", table.Path);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + 3, lines.Length);
        Assert.StartsWith("version", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2 ", lines[2], StringComparison.Ordinal);
        Assert.Contains("mode=Append", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data-reader-partition-values")]
    [InlineData("data-reader-map")]
    [InlineData("basic-decimal-table")]
    public void Describe_Json_VersionSchemaAndPartitioningMatchExpected(string name)
    {
        using var table = TableCopy.Of(name);
        var expected = ConformanceData.Expected(name);

        var run = CliRun.Of("table", "describe", table.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        var detail = JsonNode.Parse(run.Output)!;
        Assert.Equal(expected["version"]!.GetValue<long>(), detail["version"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(expected["schema"], detail["schema"]), detail["schema"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected["partitionColumns"], detail["partitionColumns"]));
        Assert.Equal(Directory.GetFiles(table.Path, "*.parquet", SearchOption.AllDirectories).Length, detail["numFiles"]!.GetValue<int>());
        Assert.Equal("delta", detail["format"]!.GetValue<string>());
    }

    [Fact]
    public void Describe_Text_NamesVersionAndColumns()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "describe", table.Path, "--version", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("version:", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^version:\s+1$", run.Output);
        Assert.Matches(@"(?m)^id\s+\|\s+long\s+\|\s+true$", run.Output);
    }

    private static JsonNode CommitInfo(string tablePath, long version) =>
        File.ReadLines(Path.Combine(tablePath, "_delta_log", $"{version:D20}.json"))
            .Select(l => JsonNode.Parse(l)!)
            .First(n => n["commitInfo"] is not null)["commitInfo"]!;
}
