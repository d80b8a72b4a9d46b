using System.Text.Json.Nodes;

namespace Lakehouse.Cli.Tests;

public sealed class RestoreCommandTests
{
    [Fact]
    public void Restore_ToVersionJson_ReportsSparkMetricsAndTableReadsAsThatVersion()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "restore", table.Path, "--version", "0", "--json");

        Assert.Equal(0, run.ExitCode);
        var result = JsonNode.Parse(run.Output)!;
        Assert.Equal(3, result["version"]!.GetValue<long>());
        // Versions 1 and 2 each appended two files; version 0 had two.
        Assert.Equal(4, result["numRemovedFiles"]!.GetValue<long>());
        Assert.Equal(0, result["numRestoredFiles"]!.GetValue<long>());
        Assert.Equal(2, result["numOfFilesAfterRestore"]!.GetValue<long>());
        var detail = JsonNode.Parse(CliRun.Of("table", "describe", table.Path, "--json").Output)!;
        Assert.Equal(3, detail["version"]!.GetValue<long>());
        Assert.Equal(2, detail["numFiles"]!.GetValue<int>());
    }

    [Fact]
    public void Restore_ToVersionText_OneSentenceWithTheFileCountsAndSizes()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");
        // Version 0's files, from its commit; sizes from the disk.
        var keptFiles = File.ReadAllLines(Path.Combine(table.Path, "_delta_log", "00000000000000000000.json"))
            .Select(l => JsonNode.Parse(l)!["add"]?["path"]?.GetValue<string>()).OfType<string>()
            .Select(p => Path.Combine(table.Path, p)).ToList();
        long Size(IEnumerable<string> files) => files.Sum(f => new FileInfo(f).Length);
        var all = Directory.GetFiles(table.Path, "*.parquet");
        var keptBytes = Size(keptFiles);

        var run = CliRun.Of("table", "restore", table.Path, "--version", "0");

        Assert.Equal(0, run.ExitCode);
        // Version 0 is the table's first two files; the four that versions 1 and 2 appended are removed, nothing is re-added.
        Assert.Equal(2, keptFiles.Count);
        Assert.Equal(
            $"Restored version 0 as version 3: removed 4 files ({Size(all) - keptBytes} bytes), restored 0 files (0 bytes); the table now has 2 files ({keptBytes} bytes).",
            run.Output.TrimEnd());
    }

    [Fact]
    public void Restore_NeitherVersionNorTimestamp_ExitsBadInput()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "restore", table.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("exactly one of --version or --timestamp", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_TimestampAfterLatest_ExitsNotFound()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "restore", table.Path, "--timestamp", "2999-01-01T00:00:00Z");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("after the latest commit", run.Error, StringComparison.Ordinal);
    }
}
