using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lakehouse.Pipeline.Configuration;

/// <summary>
/// Loads a pipeline file: parses the YAML, applies <c>--set key=value</c> overrides, resolves <c>${env:NAME}</c>
/// placeholders from the environment (and nowhere else), resolves relative paths against the file's directory and
/// validates every field. Any problem is a <see cref="PipelineConfigException"/> naming the file, line and field.
/// </summary>
public static class PipelineConfigLoader
{
    /// <summary>The pipeline file's default name.</summary>
    public const string DefaultFileName = "lakehouse.yaml";

    /// <summary>Loads and validates the pipeline file at <paramref name="path"/>.</summary>
    /// <param name="path">The pipeline file.</param>
    /// <param name="overrides"><c>key=value</c> overrides, applied in order (later wins).</param>
    /// <exception cref="PipelineConfigException">The file is missing, is not valid YAML, or a value is wrong.</exception>
    public static PipelineConfig Load(string path, IEnumerable<string>? overrides = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new PipelineConfigException(
                path, null, "(file)", "the pipeline file does not exist; pass --config PATH, or run `lakehouse demo` to see an example.");
        }

        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full)!, overrides, full);
    }

    /// <summary>Parses and validates pipeline YAML held in memory (e.g. a generated demo file).</summary>
    /// <param name="yaml">The pipeline file's text.</param>
    /// <param name="baseDirectory">The directory relative paths are resolved against.</param>
    /// <param name="overrides"><c>key=value</c> overrides, applied in order (later wins).</param>
    /// <param name="fileName">The name used in error messages and <see cref="PipelineConfig.SourceFile"/>.</param>
    /// <exception cref="PipelineConfigException">The text is not valid YAML or a value is wrong.</exception>
    public static PipelineConfig Parse(string yaml, string baseDirectory, IEnumerable<string>? overrides = null, string? fileName = null) =>
        Parse(yaml, baseDirectory, overrides, fileName, Environment.GetEnvironmentVariable);

    internal static PipelineConfig Parse(
        string yaml, string baseDirectory, IEnumerable<string>? overrides, string? fileName, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var context = new YamlContext(fileName, Path.GetFullPath(baseDirectory), environment);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PipelineConfigException(fileName, (int)e.Start.Line, "(syntax)", $"{e.Message}; fix the YAML syntax there.");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PipelineConfigException(
                fileName, 1, "(file)", "the pipeline file must be a mapping with at least name, warehouse, landing and sources.");
        }

        ConfigOverrides.Apply(root, overrides ?? [], context);
        return PipelineConfigParser.Read(new MapReader(context, root, ""), fileName);
    }
}
