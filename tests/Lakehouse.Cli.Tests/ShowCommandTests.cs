using System.Globalization;
using System.Text.Json.Nodes;

namespace Lakehouse.Cli.Tests;

public sealed class ShowCommandTests
{
    [Theory]
    [InlineData("data-reader-primitives")]
    [InlineData("data-reader-partition-values")]
    [InlineData("data-reader-map")]
    [InlineData("data-reader-array-primitives")]
    [InlineData("basic-decimal-table")]
    [InlineData("data-reader-timestamp_ntz")]
    public void Show_Json_EqualsExpectedEntry(string name)
    {
        using var table = TableCopy.Of(name);
        var expected = ConformanceData.Expected(name);

        var run = CliRun.Of("table", "show", table.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        var actual = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal(["version", "schema", "partitionColumns", "rows"], actual.Select(kv => kv.Key));
        Assert.Equal(expected["version"]!.GetValue<long>(), actual["version"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(expected["schema"], actual["schema"]));
        Assert.True(JsonNode.DeepEquals(expected["partitionColumns"], actual["partitionColumns"]));
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    [Fact]
    public void Show_JsonAtVersion_EqualsExpectedVersionEntry()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");
        var expected = ConformanceData.Expected("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "show", table.Path, "--json", "--version", "1");

        Assert.Equal(0, run.ExitCode);
        var actual = JsonNode.Parse(run.Output)!;
        Assert.Equal(1, actual["version"]!.GetValue<long>());
        var versionEntry = new JsonObject { ["schema"] = expected["schema"]!.DeepClone(), ["rows"] = expected["versions"]!["1"]!["rows"]!.DeepClone() };
        Assert.Equal(Canonical(versionEntry), Canonical(actual));
    }

    [Theory]
    [InlineData(1540417458000, 1)]
    [InlineData(1540418058000, 2)]
    public void Show_JsonAtTimestamp_EqualsTheVersionTheConformanceCaseNames(long timestampMs, long version)
    {
        const string name = "time-travel-start-start20-start40";
        using var table = TableCopy.Of(name);
        var expected = ConformanceData.Expected(name);
        foreach (var (file, mtime) in expected["checks"]!["timestampTravel"]!["setLastModifiedMs"]!.AsObject())
        {
            table.SetModified(file, mtime!.GetValue<long>());
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var run = CliRun.Of("table", "show", table.Path, "--json", "--timestamp", at);

        Assert.Equal(0, run.ExitCode);
        var actual = JsonNode.Parse(run.Output)!;
        Assert.Equal(version, actual["version"]!.GetValue<long>());
        var versionEntry = new JsonObject { ["schema"] = expected["schema"]!.DeepClone(), ["rows"] = expected["versions"]![$"{version}"]!["rows"]!.DeepClone() };
        Assert.Equal(Canonical(versionEntry), Canonical(actual));
    }

    [Fact]
    public void Show_Limit_PrintsThatManyRows()
    {
        using var table = TableCopy.Of("time-travel-start-start20-start40");

        var run = CliRun.Of("table", "show", table.Path, "--json", "--limit", "7");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, JsonNode.Parse(run.Output)!["rows"]!.AsArray().Count);
    }

    [Fact]
    public void Show_Text_HeaderThenOneLinePerRow()
    {
        using var table = TableCopy.Of("data-reader-primitives");

        var run = CliRun.Of("table", "show", table.Path);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("version 0, 11 rows", lines[0]);
        Assert.StartsWith("as_int ", lines[1], StringComparison.Ordinal);
        Assert.Equal(3 + 11, lines.Length);
    }

    [Fact]
    public void Show_DataFileMissing_ExitsNotFound()
    {
        using var table = TableCopy.Of("data-reader-primitives");
        foreach (var file in Directory.GetFiles(table.Path, "*.parquet"))
        {
            File.Delete(file);
        }

        var run = CliRun.Of("table", "show", table.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The rows as a sorted list of canonical strings: numbers re-printed by the column's type (a float compared as a
    /// 32-bit float, as the conformance README says), map entries sorted, so the multiset comparison ignores formatting.
    /// </summary>
    private static List<string> Canonical(JsonNode entry)
    {
        var types = entry["schema"]!.AsArray().Select(f => f!["type"]!).ToList();
        return entry["rows"]!.AsArray()
            .Select(row => new JsonArray(row!.AsArray().Select((v, i) => Canonical(v, types[i])).ToArray()).ToJsonString())
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static JsonNode? Canonical(JsonNode? value, JsonNode type)
    {
        if (value is null)
        {
            return null;
        }

        if (type is JsonValue primitive)
        {
            return primitive.GetValue<string>() switch
            {
                "float" when value.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
                    JsonValue.Create(float.Parse(value.ToJsonString(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)),
                "double" when value.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
                    JsonValue.Create(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)),
                _ => value.DeepClone(),
            };
        }

        return type["type"]!.GetValue<string>() switch
        {
            "array" => new JsonArray(value.AsArray().Select(v => Canonical(v, type["elementType"]!)).ToArray()),
            "map" => new JsonArray(value.AsArray()
                .Select(p => new JsonArray(Canonical(p![0], type["keyType"]!), Canonical(p[1], type["valueType"]!)))
                .OrderBy(p => p.ToJsonString(), StringComparer.Ordinal)
                .Select(p => (JsonNode)p)
                .ToArray()),
            _ => new JsonObject(type["fields"]!.AsArray().Select(f =>
                KeyValuePair.Create(f!["name"]!.GetValue<string>(), Canonical(value[f["name"]!.GetValue<string>()], f["type"]!)))),
        };
    }
}
