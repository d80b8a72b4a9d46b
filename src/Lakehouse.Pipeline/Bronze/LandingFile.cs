namespace Lakehouse.Pipeline.Bronze;

/// <summary>A landing file as the engine lists it; the three values together identify one version of a file.</summary>
/// <param name="Path">The path as the engine names it.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="ModificationTime">When it was last written.</param>
internal sealed record LandingFile(string Path, long Size, DateTimeOffset ModificationTime);
