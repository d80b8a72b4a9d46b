using System.Globalization;

namespace Lakehouse.Delta.Storage;

/// <summary>The kinds of files in <c>_delta_log</c> (PROTOCOL.md, Delta Log Entries and Checkpoints).</summary>
public enum LogFileKind
{
    /// <summary><c>NNNNNNNNNNNNNNNNNNNN.json</c></summary>
    Commit,
    /// <summary><c>N.checkpoint.parquet</c></summary>
    ClassicCheckpoint,
    /// <summary><c>N.checkpoint.P.T.parquet</c> (part P of T)</summary>
    MultiPartCheckpoint,
    /// <summary><c>N.checkpoint.UUID.json|parquet</c></summary>
    V2Checkpoint,
    /// <summary><c>N.crc</c></summary>
    Checksum,
    /// <summary><c>X.Y.compacted.json</c></summary>
    LogCompaction,
}

/// <summary>A parsed log file name.</summary>
/// <param name="Name">The file name.</param>
/// <param name="Kind">What kind of log file it is.</param>
/// <param name="Version">The version it belongs to (for compactions, the first version).</param>
/// <param name="Part">Multi-part checkpoints: the part number (1-based).</param>
/// <param name="Parts">Multi-part checkpoints: the number of parts.</param>
public sealed record LogFileName(string Name, LogFileKind Kind, long Version, int Part = 1, int Parts = 1)
{
    /// <summary>The commit file name of a version: 20 zero-padded digits and <c>.json</c>.</summary>
    public static string Commit(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The classic single-file checkpoint name of a version.</summary>
    public static string Checkpoint(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";

    /// <summary>The name of part <paramref name="part"/> of a <paramref name="parts"/>-part checkpoint (PROTOCOL.md, Multi-part checkpoint: 10-digit part numbers).</summary>
    public static string CheckpointPart(long version, int part, int parts) =>
        string.Create(CultureInfo.InvariantCulture, $"{version:D20}.checkpoint.{part:D10}.{parts:D10}.parquet");

    /// <summary>Parses a name; null for files that are not log entries (temp files, <c>_last_checkpoint</c>, …).</summary>
    public static LogFileName? TryParse(string name)
    {
        if (name.Length < 21 || name[20] != '.' || !long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }

        var rest = name[21..];
        if (rest == "json")
        {
            return new LogFileName(name, LogFileKind.Commit, version);
        }

        if (rest == "crc")
        {
            return new LogFileName(name, LogFileKind.Checksum, version);
        }

        if (rest == "checkpoint.parquet")
        {
            return new LogFileName(name, LogFileKind.ClassicCheckpoint, version);
        }

        var parts = rest.Split('.');
        if (parts.Length == 4 && parts[0] == "checkpoint" && parts[3] == "parquet"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            return new LogFileName(name, LogFileKind.MultiPartCheckpoint, version, part, total);
        }

        if (parts.Length == 3 && parts[0] == "checkpoint" && parts[2] is "json" or "parquet" && Guid.TryParse(parts[1], out _))
        {
            return new LogFileName(name, LogFileKind.V2Checkpoint, version);
        }

        if (parts.Length == 3 && parts[1] == "compacted" && parts[2] == "json"
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return new LogFileName(name, LogFileKind.LogCompaction, version);
        }

        return null;
    }
}
