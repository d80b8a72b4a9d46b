using System.Text.Json.Nodes;

namespace Lakehouse.Cli.Tests;

public sealed class VacuumCommandTests
{
    private static TableCopy TableWithOrphan(out string orphan)
    {
        var table = TableCopy.Of("snapshot-vacuumed");
        orphan = Path.Combine(table.Path, "part-99999-orphan-of-a-crashed-writer.snappy.parquet");
        File.WriteAllBytes(orphan, new byte[100]);
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddDays(-8));
        return table;
    }

    [Fact]
    public void Vacuum_DryRunJson_ListsOldOrphanAndKeepsIt()
    {
        using var table = TableWithOrphan(out var orphan);

        var run = CliRun.Of("table", "vacuum", table.Path, "--dry-run", "--json");

        Assert.Equal(0, run.ExitCode);
        var result = JsonNode.Parse(run.Output)!;
        Assert.True(result["dryRun"]!.GetValue<bool>());
        Assert.Equal(168, result["retentionHours"]!.GetValue<double>());
        Assert.Equal([Path.GetFileName(orphan)], result["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(100, result["sizeInBytes"]!.GetValue<long>());
        Assert.True(File.Exists(orphan));
    }

    [Fact]
    public void Vacuum_DryRunText_ListsTheFiles()
    {
        using var table = TableWithOrphan(out var orphan);

        var run = CliRun.Of("table", "vacuum", table.Path, "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Found 1 files (100 bytes) to delete", run.Output, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(orphan), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Vacuum_Run_DeletesOrphanAndKeepsTableFiles()
    {
        using var table = TableWithOrphan(out var orphan);
        var live = Directory.GetFiles(table.Path, "*.parquet").Where(f => f != orphan).ToList();

        var run = CliRun.Of("table", "vacuum", table.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.False(File.Exists(orphan));
        Assert.All(live, f => Assert.True(File.Exists(f)));
        Assert.StartsWith("Deleted 1 files (100 bytes)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Vacuum_ShortRetentionWithoutForce_ExitsBadInputAndDeletesNothing()
    {
        using var table = TableWithOrphan(out var orphan);

        var run = CliRun.Of("table", "vacuum", table.Path, "--retain-hours", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(File.Exists(orphan));
    }
}
