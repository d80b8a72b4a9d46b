using System.Diagnostics;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Maintenance;
using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Concurrency;

/// <summary>A real writer process killed between writing its data files and committing them (issue 2, crash safety).</summary>
public sealed class KilledWriterTests
{
    [Fact]
    public async Task Append_WriterKilledBeforeCommit_TableAtPreviousVersionAndVacuumRemovesTheOrphans()
    {
        using var dir = new TempDirectory("killed-writer");
        var table = DeltaTable.ForPath(dir.Path);
        table.Create(TestData.IdPartSchema);
        await table.AppendAsync([TestData.Ids(0, 2)]);
        var before = table.Snapshot();
        var liveFiles = before.Files.Select(f => Path.Combine(dir.Path, f.Path)).ToHashSet();

        var probe = Path.Combine(AppContext.BaseDirectory, "Lakehouse.Delta.ConcurrencyProbe.dll");
        using var writer = Process.Start(new ProcessStartInfo("dotnet", [probe, dir.Path, "crash"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var line = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (line != "files written")
        {
            writer.Kill();
            Assert.Fail($"the writer did not reach its data files: {line} {await writer.StandardError.ReadToEndAsync()}");
        }

        writer.Kill();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            await writer.WaitForExitAsync(timeout.Token);
        }

        Assert.True(writer.HasExited);

        // The table reads at the version before the killed write: no commit, same rows.
        var after = table.Snapshot();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(2, new DeltaScan(after).ReadBatches().Sum(b => b.Length));
        var orphans = Directory.GetFiles(dir.Path, "*.parquet", SearchOption.AllDirectories).Where(f => !liveFiles.Contains(f)).ToList();
        Assert.NotEmpty(orphans);

        // The table keeps working, and vacuum removes the orphans once the retention has passed, but nothing live.
        await table.AppendAsync([TestData.Ids(10, 1)]);
        liveFiles = table.Snapshot().Files.Select(f => Path.Combine(dir.Path, f.Path)).ToHashSet();
        var later = new DateTimeOffset(orphans.Max(File.GetLastWriteTimeUtc), TimeSpan.Zero).AddDays(8);
        var result = Vacuum.Run(dir.Path, new VacuumOptions { TimeProvider = new FixedClock(later) });

        Assert.Equal(orphans.Select(f => Path.GetRelativePath(dir.Path, f)).Order(StringComparer.Ordinal), result.Files.Order(StringComparer.Ordinal));
        Assert.Equal(liveFiles.Order(StringComparer.Ordinal), Directory.GetFiles(dir.Path, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Equal(3, new DeltaScan(table.Snapshot()).ReadBatches().Sum(b => b.Length));
    }
}
