using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>What the loader knows while it reads one pipeline file: where each node came from (the file or a
/// <c>--set</c> override), how to resolve <c>${env:NAME}</c>, and how to turn a problem into a located error.</summary>
internal sealed partial class YamlContext(string? file, string fileDirectory, Func<string, string?> environment)
{
    private readonly Dictionary<YamlNode, string> _overrides = new(ReferenceEqualityComparer.Instance);

    public string? File { get; } = file;

    /// <summary>Marks every node of an override's value as coming from <c>--set key</c>.</summary>
    public void MarkOverride(YamlNode value, string key)
    {
        foreach (var node in value.AllNodes)
        {
            _overrides[node] = $"--set {key}";
        }
    }

    /// <summary>The directory a relative path in <paramref name="node"/> is resolved against: the file's directory,
    /// or the current directory for a command-line override (as for any path given on a command line).</summary>
    public string BaseDirectory(YamlNode node) =>
        _overrides.ContainsKey(node) ? Environment.CurrentDirectory : fileDirectory;

    public PipelineConfigException Error(YamlNode? node, string field, string problem)
    {
        if (node is not null && _overrides.TryGetValue(node, out var label))
        {
            return new PipelineConfigException(label, null, field, problem);
        }

        int? line = node is null ? null : (int)node.Start.Line;
        return new PipelineConfigException(File, line, field, problem);
    }

    /// <summary>Replaces each <c>${env:NAME}</c> with the variable's value; secrets come only from the environment.</summary>
    public string ResolvePlaceholders(YamlNode node, string field, string value) =>
        EnvPlaceholder().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            return environment(name) ?? throw Error(
                node, field, $"the environment variable {name} is not set; set it (it is read with ${{env:{name}}}) or change the value.");
        });

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvPlaceholder();
}
