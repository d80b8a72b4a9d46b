using System.Globalization;

namespace Lakehouse.Cli.Output;

/// <summary>How the CLI prints instants: ISO-8601 UTC with milliseconds, the precision of Delta's commit timestamps.</summary>
internal static class Timestamps
{
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Iso(long epochMs) => Iso(DateTimeOffset.FromUnixTimeMilliseconds(epochMs));
}
