namespace Lakehouse.Delta.Storage;

/// <summary>Path helpers shared by readers and writers of a table.</summary>
public static class TablePaths
{
    /// <summary>Turns a local path or <c>file:</c> URI into an absolute local path without a trailing separator.</summary>
    public static string Normalize(string tablePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tablePath);
        var path = tablePath;
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = new Uri(path).LocalPath;
        }
        else if (path.Contains("://", StringComparison.Ordinal))
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"'{tablePath}' is not a local path. Lakehouse.Delta reads and writes local tables; run on Spark for cloud storage.");
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>
    /// The absolute local path of a data file from its <c>add.path</c>: relative paths are URI-encoded
    /// relative to the table root (PROTOCOL.md, Add File and Remove File: "path … URI"), absolute ones are URIs.
    /// </summary>
    public static string ResolveDataFile(string tableRoot, string addPath)
    {
        if (addPath.Contains(':', StringComparison.Ordinal) && Uri.TryCreate(addPath, UriKind.Absolute, out var uri))
        {
            return uri.IsFile ? uri.LocalPath : throw new DeltaException(DeltaErrorKind.InvalidRequest, $"The data file '{addPath}' is not on a local file system.");
        }

        return Path.Combine(tableRoot, Uri.UnescapeDataString(addPath));
    }

    /// <summary>The <c>add.path</c> for a file at <paramref name="relativePath"/> under the table root: '/'-separated and URI-escaped per segment, as Spark writes it.</summary>
    public static string ToAddPath(string relativePath) =>
        string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(EscapePathSegment));

    // Like java.net.URI (which Spark's Hadoop paths go through) for a relative path: characters legal in a path segment
    // stay (so "col=value" is kept), non-ASCII letters stay as URI "other" characters, and everything else (space, '%',
    // '#', '?', controls) is percent-encoded as UTF-8.
    private static string EscapePathSegment(string segment)
    {
        var sb = new System.Text.StringBuilder(segment.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in segment.EnumerateRunes())
        {
            var legalAscii = rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "-._~!$&'()*+,;=:@".Contains((char)rune.Value, StringComparison.Ordinal));
            var other = !rune.IsAscii && !System.Text.Rune.IsControl(rune) && !System.Text.Rune.IsWhiteSpace(rune);
            if (legalAscii || other)
            {
                sb.Append(rune.ToString());
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
