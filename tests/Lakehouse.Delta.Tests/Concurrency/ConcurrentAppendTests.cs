using System.Diagnostics;
using Lakehouse.Delta.Storage;
using Lakehouse.Delta.Tests.Writing;

namespace Lakehouse.Delta.Tests.Concurrency;

public sealed class ConcurrentAppendTests
{
    private const int Writers = 4;
    private const int CommitsPerWriter = 5;

    [Fact]
    public async Task Append_SeveralThreads_EveryCommitLandsContiguousNoRowLostOrDuplicated()
    {
        using var dir = new TempDirectory("threads");
        DeltaTable.ForPath(dir.Path).Create(TestData.IdPartSchema);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var table = DeltaTable.ForPath(dir.Path);
            for (var i = 0; i < CommitsPerWriter; i++)
            {
                await table.AppendAsync([TestData.Ids(w * 1_000_000L + i, 1, "w" + w)]);
            }
        }));
        await Task.WhenAll(writers);

        await AssertAllCommitsLanded(dir.Path);
    }

    [Fact]
    public async Task Append_SeveralProcesses_EveryCommitLandsContiguousNoRowLostOrDuplicated()
    {
        using var dir = new TempDirectory("processes");
        DeltaTable.ForPath(dir.Path).Create(TestData.IdPartSchema);
        var probe = Path.Combine(AppContext.BaseDirectory, "Lakehouse.Delta.ConcurrencyProbe.dll");

        var processes = Enumerable.Range(0, Writers).Select(w => Process.Start(new ProcessStartInfo("dotnet", [probe, dir.Path, w.ToString(System.Globalization.CultureInfo.InvariantCulture), CommitsPerWriter.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!).ToList();
        foreach (var process in processes)
        {
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, stderr);
        }

        await AssertAllCommitsLanded(dir.Path);
    }

    private static async Task AssertAllCommitsLanded(string table)
    {
        var commits = new LocalLogStore(table).List().Select(f => LogFileName.TryParse(f.Name)).Where(n => n?.Kind == LogFileKind.Commit).Select(n => n!.Version).ToList();
        Assert.Equal(Enumerable.Range(0, Writers * CommitsPerWriter + 1).Select(v => (long)v), commits);

        var snapshot = DeltaTable.ForPath(table).Snapshot();
        var ids = new List<long>();
        foreach (var file in snapshot.Files)
        {
            var (_, _, leaves) = await ParquetReadBack.ReadAsync(TablePaths.ResolveDataFile(table, file.Path));
            ids.AddRange(leaves["id"].Values.Cast<long>());
        }

        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, CommitsPerWriter).Select(i => w * 1_000_000L + i));
        Assert.Equal(expected.Order(), ids.Order());
    }
}
