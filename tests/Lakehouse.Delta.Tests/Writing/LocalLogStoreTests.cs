using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.Writing;

/// <summary>Put-if-absent: a commit file appears whole or not at all, and never replaces one that exists; listings and probes see files only.</summary>
public sealed class LocalLogStoreTests
{
    [Fact]
    public void TryCreate_NameTaken_FalseAndTheExistingFileUnchanged()
    {
        using var dir = new TempDirectory("store");
        var store = new LocalLogStore(dir.Path);

        Assert.True(store.TryCreate(LogFileName.Commit(0), "first\n"u8));
        Assert.False(store.TryCreate(LogFileName.Commit(0), "second, longer\n"u8));

        Assert.Equal("first\n", File.ReadAllText(Path.Combine(dir.Path, "_delta_log", LogFileName.Commit(0))));
        // The temporary file each attempt writes first is gone, and listings show only the commit.
        Assert.Equal([LogFileName.Commit(0)], Directory.GetFiles(Path.Combine(dir.Path, "_delta_log")).Select(Path.GetFileName));
        Assert.Equal([LogFileName.Commit(0)], store.List().Select(f => f.Name));
    }

    [Fact]
    public void TryCreate_ManyThreadsSameName_ExactlyOneWinsAndItsContentIsWhole()
    {
        using var dir = new TempDirectory("store-race");
        var store = new LocalLogStore(dir.Path);
        var contents = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 100_000 + i)).ToArray();
        var won = new bool[contents.Length];

        Parallel.For(0, contents.Length, new ParallelOptions { MaxDegreeOfParallelism = contents.Length },
            i => won[i] = store.TryCreate(LogFileName.Commit(5), System.Text.Encoding.ASCII.GetBytes(contents[i])));

        var winner = Assert.Single(Enumerable.Range(0, won.Length), i => won[i]);
        Assert.Equal(contents[winner], File.ReadAllText(Path.Combine(dir.Path, "_delta_log", LogFileName.Commit(5))));
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "_delta_log")));
    }

    [Fact]
    public void List_FromAName_FilesAtOrAfterItInNameOrderWithSizeAndTime()
    {
        using var dir = new TempDirectory("store-list");
        var store = new LocalLogStore(dir.Path);
        var log = Path.Combine(dir.Path, "_delta_log");
        for (var v = 0; v < 300; v++)
        {
            store.TryCreate(LogFileName.Commit(v), new byte[v + 1]);
        }

        store.Replace(LogFileName.Checkpoint(290), "x"u8);
        Directory.CreateDirectory(Path.Combine(log, "_sidecars"));
        var from = LogFileName.Commit(290)[..20];

        var listed = store.List(from);
        var all = store.List();

        // Independent of the store: every regular file of the directory, filtered and ordered by name.
        var expected = new DirectoryInfo(log).GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, all.Select(f => f.Name));
        Assert.Equal(expected.Where(n => string.CompareOrdinal(n, from) >= 0), listed.Select(f => f.Name));
        Assert.Equal(11, listed.Count); // commits 290–299 and the checkpoint; not the _sidecars directory
        var commit295 = new FileInfo(Path.Combine(log, LogFileName.Commit(295)));
        var info = Assert.Single(listed, f => f.Name == LogFileName.Commit(295));
        Assert.Equal(296, info.Size);
        Assert.Equal(new DateTimeOffset(commit295.LastWriteTimeUtc).ToUnixTimeMilliseconds(), info.ModificationTime);
        Assert.Null(store.TryGetInfo("_sidecars"));
        Assert.Null(store.TryGetInfo(LogFileName.Commit(300)));
    }
}
