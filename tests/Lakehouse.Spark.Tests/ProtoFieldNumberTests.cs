using System.Reflection;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Tests;

/// <summary>
/// Every field and enum value of our own .proto files has the number the brief's generated appendix
/// (../shared/research/spark-connect-fields.md, extracted mechanically from Spark 4.0 and Delta 4.0.0 protos)
/// gives it: wire compatibility with real servers rests on these numbers.
/// </summary>
public sealed partial class ProtoFieldNumberTests
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, int>>> Reference = new(LoadReference);

    public static TheoryData<string> Messages()
    {
        var data = new TheoryData<string>();
        foreach (var message in OurMessages().Where(m => !m.FullName.StartsWith("google.", StringComparison.Ordinal)))
        {
            data.Add(message.FullName);
        }

        return data;
    }

    public static TheoryData<string> Enums()
    {
        var data = new TheoryData<string>();
        foreach (var e in OurEnums())
        {
            data.Add(e.FullName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_FieldNumbers_MatchUpstream(string fullName)
    {
        var message = OurMessages().Single(m => m.FullName == fullName);
        if (message.Fields.InDeclarationOrder().Count == 0)
        {
            return;
        }

        Assert.True(Reference.Value.TryGetValue(fullName, out var expected), $"{fullName} is not in the reference appendix.");
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            Assert.True(expected!.TryGetValue(field.Name, out var number), $"{fullName}.{field.Name} is not an upstream field.");
            Assert.Equal((fullName, field.Name, number), (fullName, field.Name, field.FieldNumber));
        }
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Enum_Values_MatchUpstream(string fullName)
    {
        var type = OurEnums().Single(e => e.FullName == fullName);

        Assert.True(Reference.Value.TryGetValue("enum:" + fullName, out var expected), $"{fullName} is not in the reference appendix.");
        foreach (var value in type.Values)
        {
            Assert.True(expected!.TryGetValue(value.Name, out var number), $"{fullName}.{value.Name} is not an upstream value.");
            Assert.Equal((value.Name, number), (value.Name, value.Number));
        }
    }

    private static IEnumerable<FileDescriptor> Files() =>
        typeof(Relation).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!);

    private static IEnumerable<MessageDescriptor> OurMessages() =>
        Files().SelectMany(f => f.MessageTypes).SelectMany(Flatten).Where(m => !m.IsMapEntry);

    private static IEnumerable<EnumDescriptor> OurEnums() =>
        Files().Where(f => !f.Package.StartsWith("google.", StringComparison.Ordinal))
            .SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(Flatten).SelectMany(m => m.EnumTypes)));

    private static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor m) => [m, .. m.NestedTypes.SelectMany(Flatten)];

    private static Dictionary<string, Dictionary<string, int>> LoadReference()
    {
        var path = Path.Combine(RepositoryRoot(), "..", "shared", "research", "spark-connect-fields.md");
        var result = new Dictionary<string, Dictionary<string, int>>();
        var package = "";
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                package = line.Contains("delta/connect", StringComparison.Ordinal) ? "delta.connect" : "spark.connect";
                continue;
            }

            var row = Row().Match(line);
            if (!row.Success || row.Groups["name"].Value == "message")
            {
                continue;
            }

            var isEnum = row.Groups["enum"].Success;
            var key = (isEnum ? "enum:" : "") + package + "." + row.Groups["name"].Value;
            var entries = (isEnum ? EnumValue() : Field()).Matches(row.Groups["body"].Value)
                .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            result[key] = entries;
        }

        return result;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lakehouse.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Lakehouse.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"^\| (?<enum>enum:)?(?<name>[\w.]+)(?: \([\w.]+\))?(?: \*\*\(4\.0 only\)\*\*)? \| (?<body>.*) \|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"`(\w+)`=(\d+)")]
    private static partial Regex Field();

    [GeneratedRegex(@"(\w+)=(\d+)")]
    private static partial Regex EnumValue();
}
