namespace Lakehouse.Pipeline.Bronze;

/// <summary>File paths as engines print them: Spark writes local files as <c>file:/p</c> or <c>file:///p</c> in one
/// place and <c>/p</c> in another, so comparisons use one form.</summary>
internal static class EnginePaths
{
    public static string Normalize(string path)
    {
        if (path.StartsWith("file://", StringComparison.Ordinal))
        {
            return path["file://".Length..];
        }

        return path.StartsWith("file:", StringComparison.Ordinal) ? path["file:".Length..] : path;
    }
}
