using System.IO.Enumeration;
using System.Runtime.InteropServices;

namespace Lakehouse.Delta.Storage;

/// <summary>
/// <see cref="ILogStore"/> on a local (POSIX) file system. Put-if-absent writes the content to a
/// unique temporary file in the same directory, flushes it, then hard-links it into place with
/// <c>link(2)</c>, which fails atomically when the target exists (on Windows, a move without overwrite),
/// so a reader never sees a half-written commit and two writers never both win.
/// </summary>
public sealed class LocalLogStore : ILogStore
{
    /// <summary>Creates a store for the table at <paramref name="tablePath"/> (a path or a <c>file:</c> URI).</summary>
    public LocalLogStore(string tablePath)
    {
        TablePath = TablePaths.Normalize(tablePath);
        LogPath = Path.Combine(TablePath, "_delta_log");
    }

    /// <inheritdoc />
    public string TablePath { get; }

    /// <summary>The absolute path of <c>_delta_log</c>.</summary>
    public string LogPath { get; }

    /// <inheritdoc />
    public IReadOnlyList<LogFileInfo> List(string fromName = "")
    {
        if (!Directory.Exists(LogPath))
        {
            return [];
        }

        var files = LinuxDirectory.TryListNames(LogPath, fromName) is { } names
            // Directories (_sidecars) and entries deleted since the directory was read are not listed.
            ? names.Select(TryGetInfo).OfType<LogFileInfo>().ToList()
            : Enumerate(fromName);
        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return files;
    }

    private List<LogFileInfo> Enumerate(string fromName)
    {
        // Names are compared on the directory entry itself, so a long log costs one readdir pass and no
        // allocation or stat for the entries before fromName (the usual case: listing from a checkpoint).
        var entries = new FileSystemEnumerable<LogFileInfo?>(LogPath, (ref FileSystemEntry e) => Info(ref e))
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.FileName.CompareTo(fromName, StringComparison.Ordinal) >= 0 && !e.IsDirectory,
        };
        var files = new List<LogFileInfo>();
        foreach (var f in entries)
        {
            if (f is not null)
            {
                files.Add(f);
            }
        }

        return files;
    }

    private static LogFileInfo? Info(ref FileSystemEntry entry)
    {
        try
        {
            return new LogFileInfo(entry.FileName.ToString(), entry.Length, entry.LastWriteTimeUtc.ToUnixTimeMilliseconds());
        }
        catch (FileNotFoundException)
        {
            // Deleted between enumeration and stat (another writer's temp file, log cleanup): it is gone, so it is not listed.
            return null;
        }
    }

    /// <inheritdoc />
    public LogFileInfo? TryGetInfo(string name)
    {
        var info = new FileInfo(Path.Combine(LogPath, name));
        return info.Exists
            ? new LogFileInfo(name, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds())
            : null;
    }

    /// <inheritdoc />
    public byte[] Read(string name) => File.ReadAllBytes(Path.Combine(LogPath, name));

    /// <inheritdoc />
    public Stream OpenRead(string name) => new FileStream(Path.Combine(LogPath, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);

    /// <inheritdoc />
    public bool TryCreate(string name, ReadOnlySpan<byte> content)
    {
        var target = Path.Combine(LogPath, name);
        var temp = WriteTemp(target, content);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // link(2) fails with EEXIST atomically when the target exists. File.Move(overwrite: false) is not enough
                // on Unix: it checks for the target and then renames, so two writers can both "win" the same version.
                if (NativeLink.Link(temp, target))
                {
                    return true;
                }

                return File.Exists(target) ? false : throw new IOException($"Cannot create {target}: link(2) failed with errno {Marshal.GetLastPInvokeError()}.");
            }

            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public void Replace(string name, ReadOnlySpan<byte> content)
    {
        var target = Path.Combine(LogPath, name);
        var temp = WriteTemp(target, content);
        File.Move(temp, target, overwrite: true);
    }

    /// <inheritdoc />
    public void Delete(string name) => File.Delete(Path.Combine(LogPath, name));

    private static string WriteTemp(string target, ReadOnlySpan<byte> content)
    {
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        // A dot-prefixed name keeps the temp file out of any reader's idea of a log file.
        var temp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }

        return temp;
    }
}

/// <summary>The libc <c>link(2)</c> call.</summary>
internal static class NativeLink
{
    /// <summary>Creates <paramref name="newPath"/> as a hard link to <paramref name="oldPath"/>; false (errno set) when it fails.</summary>
    public static bool Link(string oldPath, string newPath) => link(CString(oldPath), CString(newPath)) == 0;

    private static byte[] CString(string s) => System.Text.Encoding.UTF8.GetBytes(s + "\0");

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this project; byte[] arguments marshal without it.
    private static extern int link(byte[] oldPath, byte[] newPath);
#pragma warning restore SYSLIB1054
}
