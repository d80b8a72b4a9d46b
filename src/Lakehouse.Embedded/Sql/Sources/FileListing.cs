using System.Text;
using System.Text.RegularExpressions;

namespace Lakehouse.Embedded.Sql.Sources;

/// <summary>
/// The files a file source reads, listed the way Spark lists them: a path may be a file, a directory (the files
/// under it, at any depth; a <c>key=value</c> subdirectory, which Spark reads as a partition column, is refused
/// unless <c>recursiveFileLookup=true</c>) or a Hadoop glob (<c>* ? [abc] {a,b}</c> in
/// any path segment); names starting with <c>_</c> or <c>.</c> are hidden; <c>pathGlobFilter</c> keeps the files
/// whose name matches a glob. A path or glob that matches nothing is PATH_NOT_FOUND.
/// </summary>
internal static class FileListing
{
    public static IReadOnlyList<SourceFile> List(IReadOnlyList<string> paths, IReadOnlyDictionary<string, string> options)
    {
        var recursive = options.TryGetValue("recursiveFileLookup", out var r) && r.Equals("true", StringComparison.OrdinalIgnoreCase);
        Regex? nameFilter = options.TryGetValue("pathGlobFilter", out var g) ? GlobRegex(g) : null;
        var files = new List<SourceFile>();
        foreach (var given in paths)
        {
            var path = LocalPath(given);
            var matches = IsGlob(path) ? Expand(Path.GetFullPath(path)) : Exists(Path.GetFullPath(path));
            if (matches.Count == 0)
            {
                throw Errors.PathNotFound(given);
            }

            foreach (var m in matches)
            {
                if (File.Exists(m))
                {
                    files.Add(SourceFile.Of(new FileInfo(m)));
                }
                else
                {
                    files.AddRange(DirectoryFiles(new DirectoryInfo(m), recursive));
                }
            }
        }

        return files
            .Where(f => nameFilter is null || nameFilter.IsMatch(Path.GetFileName(f.Path)))
            .DistinctBy(f => f.Path)
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A local file URI as Spark and Hadoop print it (<c>file:/dir/a%20b.json</c>, <c>file:///dir</c>) —
    /// what binaryFile's <c>path</c> and <c>_metadata.file_path</c> return — back to a path, so it can be read again.</summary>
    internal static string LocalPath(string path)
    {
        if (!path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        var rest = path["file:".Length..];
        if (rest.StartsWith("///", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        return Uri.UnescapeDataString(rest);
    }

    private static List<string> Exists(string path) => File.Exists(path) || Directory.Exists(path) ? [path] : [];

    private static IEnumerable<SourceFile> DirectoryFiles(DirectoryInfo dir, bool recursive)
    {
        foreach (var f in dir.EnumerateFiles().Where(f => !Hidden(f.Name)))
        {
            yield return SourceFile.Of(f);
        }

        foreach (var sub in dir.EnumerateDirectories().Where(d => !Hidden(d.Name)))
        {
            if (!recursive && sub.Name.Contains('=', StringComparison.Ordinal))
            {
                // Spark would turn key=value directories into partition columns.
                throw Errors.Unsupported("partition discovery",
                    $"Reading the partitioned directory '{dir.FullName}' ('{sub.Name}') as partition columns; pass recursiveFileLookup=true to read its files without them, or read it with Spark");
            }

            foreach (var f in DirectoryFiles(sub, recursive))
            {
                yield return f;
            }
        }
    }

    // Hadoop's listing (and Spark's) skips these: metadata such as _SUCCESS and hidden files.
    private static bool Hidden(string name) => (name.StartsWith('_') && !name.Contains('=', StringComparison.Ordinal)) || name.StartsWith('.');

    private static bool IsGlob(string path) => path.IndexOfAny(['*', '?', '[', '{']) >= 0;

    private static List<string> Expand(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var segments = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { root };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            foreach (var dir in current.Where(Directory.Exists))
            {
                if (!IsGlob(segment))
                {
                    var p = Path.Combine(dir, segment);
                    if (File.Exists(p) || Directory.Exists(p))
                    {
                        next.Add(p);
                    }

                    continue;
                }

                var regex = GlobRegex(segment);
                next.AddRange(Directory.EnumerateFileSystemEntries(dir).Where(e => regex.IsMatch(Path.GetFileName(e)) && !Hidden(Path.GetFileName(e))).Order(StringComparer.Ordinal));
            }

            current = next;
        }

        return current;
    }

    /// <summary>A Hadoop glob (one path segment) as an anchored regex.</summary>
    internal static Regex GlobRegex(string glob)
    {
        var sb = new StringBuilder("^");
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '\\' when i + 1 < glob.Length:
                    sb.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw Errors.InvalidArgument("glob", $"'{glob}' has an unclosed '['");
                    }

                    var set = glob[(i + 1)..end];
                    sb.Append('[').Append(set.StartsWith('^') || set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = end;
                    break;
                case '{':
                    braces++;
                    sb.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    sb.Append(')');
                    break;
                case ',' when braces > 0:
                    sb.Append('|');
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
