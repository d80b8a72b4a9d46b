using System.Text.Json.Nodes;

namespace Lakehouse.Testing;

/// <summary>The Delta conformance data: <c>../shared/conformance/delta</c> from the repository root, as CI has it.</summary>
internal static class ConformanceData
{
    /// <summary>The conformance data directory.</summary>
    public static string Root { get; } = FindRoot();

    private static readonly Lazy<JsonObject> ExpectedJson = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "expected.json")))!.AsObject());

    /// <summary>The directory of a conformance table (read it in place; copy it with <see cref="TableCopy"/> to modify it).</summary>
    public static string Table(string name) => Path.Combine(Root, "tables", name);

    /// <summary>expected.json: one entry per table.</summary>
    public static JsonObject AllExpected => ExpectedJson.Value;

    /// <summary>The expected.json entry of a conformance table.</summary>
    public static JsonNode Expected(string name) => ExpectedJson.Value[name] ?? throw new ArgumentException($"expected.json has no table '{name}'.", nameof(name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lakehouse.sln")))
            {
                var root = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "delta"));
                return Directory.Exists(root)
                    ? root
                    : throw new InvalidOperationException($"The conformance data is not at {root}: check out ../shared beside the repository.");
            }
        }

        throw new InvalidOperationException("Lakehouse.sln not found above the test binaries; run the tests from the repository.");
    }
}
