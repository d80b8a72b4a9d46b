using System.CommandLine;
using System.Globalization;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Cli.Table;

/// <summary>Arguments and options several table commands share, and how they select a snapshot.</summary>
internal static class TableArguments
{
    /// <summary>The table root directory.</summary>
    public static Argument<string> Path() => new("PATH") { Description = "The table root directory (the one that holds _delta_log)." };

    /// <summary><c>--json</c>: machine-readable output.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write one JSON object instead of text." };

    /// <summary><c>--version N</c>: time travel by version.</summary>
    public static Option<long?> Version(string description = "Read the table as of this version.") => new("--version") { Description = description };

    /// <summary><c>--timestamp T</c>: time travel by commit timestamp.</summary>
    public static Option<string?> Timestamp(string description = "Read the table as of this time (ISO-8601; UTC unless an offset is given).") =>
        new("--timestamp") { Description = description };

    /// <summary>Loads the snapshot that <paramref name="version"/> or <paramref name="timestamp"/> select (latest when neither).</summary>
    /// <exception cref="CliUsageException">Both are given, or the timestamp cannot be parsed.</exception>
    public static Snapshot Load(string path, long? version, string? timestamp)
    {
        if (version is not null && timestamp is not null)
        {
            throw new CliUsageException("Give either --version or --timestamp, not both.");
        }

        return timestamp is null ? Snapshot.Load(path, version) : Snapshot.LoadAtTimestamp(path, ParseTimestamp(timestamp));
    }

    /// <summary>Parses a user timestamp: ISO-8601 date or date-time, UTC unless an offset is given.</summary>
    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new CliUsageException($"'{text}' is not a timestamp. Use ISO-8601, e.g. 2024-05-01T12:00:00Z or 2024-05-01.");
}
