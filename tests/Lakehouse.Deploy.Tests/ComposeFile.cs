using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Lakehouse.Deploy.Tests;

/// <summary>deploy/docker-compose.yml as plain data (YAML merge keys resolved, as Compose resolves them).</summary>
internal sealed class ComposeFile
{
    private ComposeFile(Dictionary<object, object> root) => Root = root;

    public static string Path { get; } = RepoPaths.Of("deploy", "docker-compose.yml");

    /// <summary>The directory relative host paths in the file are resolved against.</summary>
    public static string Directory { get; } = RepoPaths.Of("deploy");

    public Dictionary<object, object> Root { get; }

    public IReadOnlyDictionary<string, Dictionary<object, object>> Services =>
        Map(Root, "services").ToDictionary(s => (string)s.Key, s => (Dictionary<object, object>)s.Value);

    public static ComposeFile Load()
    {
        using var reader = File.OpenText(Path);
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return new ComposeFile(root);
    }

    public static Dictionary<object, object> Map(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is Dictionary<object, object> map ? map : [];

    public static IReadOnlyList<string> Strings(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list ? list.Select(v => (string)v).ToList() : [];

    /// <summary>A volume entry "SOURCE:TARGET[:MODE]": bind mounts have a path as source, named volumes a name.</summary>
    public static (string Source, string Target, bool IsBind) Volume(string entry)
    {
        var parts = entry.Split(':');
        var isBind = parts[0].StartsWith('.') || parts[0].StartsWith('/');
        return (parts[0], parts[1], isBind);
    }

    /// <summary>A bind mount's source as a full host path.</summary>
    public static string HostPath(string source) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, source));
}
