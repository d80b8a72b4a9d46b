using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Spark;

namespace Lakehouse.Embedded.Tests;

/// <summary>
/// The golden tables written by Apache Spark + Delta (../shared/conformance/delta) read through the embedded engine
/// must give the rows in expected.json (a multiset for tables with primitive columns, the row count otherwise).
/// </summary>
public sealed class DeltaConformanceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static TheoryData<string> Tables()
    {
        var data = new TheoryData<string>();
        foreach (var (name, value) in ConformanceData.AllExpected)
        {
            if (value!["error"] is null)
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task ReadDelta_GoldenTable_MatchesExpectedRows(string table)
    {
        var expected = ConformanceData.Expected(table).AsObject();
        var schema = expected["schema"]!.AsArray().Select(f => (Name: f!["name"]!.GetValue<string>(), Type: f["type"]!)).ToList();
        await using var spark = await server.SessionAsync();
        var rows = await spark.Read.Delta(ConformanceData.Table(table)).CollectAsync();
        Assert.Equal(expected["rowCount"]!.GetValue<int>(), rows.Count);
        Assert.Equal(schema.Select(s => s.Name), rows.Count > 0 ? rows[0].Columns : schema.Select(s => s.Name));
        if (schema.Any(s => s.Type is not JsonValue))
        {
            return;
        }

        var want = expected["rows"]!.AsArray().Select(r => string.Join("|", r!.AsArray().Select((v, i) => Render(v, schema[i].Type.GetValue<string>())))).Order(StringComparer.Ordinal).ToList();
        var got = rows.Select(r => string.Join("|", schema.Select((s, i) => Render(r[i], s.Type.GetValue<string>())))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(want, got);
    }

    private static string Render(JsonNode? v, string type)
    {
        if (v is null)
        {
            return "null";
        }

        return type switch
        {
            "float" => ((float)v.GetValue<double>()).ToString("R", CultureInfo.InvariantCulture),
            "double" => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
            "boolean" => v.GetValue<bool>() ? "true" : "false",
            "integer" or "long" or "short" or "byte" => v.GetValue<long>().ToString(CultureInfo.InvariantCulture),
            _ => v.GetValue<string>(),
        };
    }

    private static string Render(object? v, string type) => v switch
    {
        null => "null",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d when type == "float" => ((float)d).ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        decimal m => m.ToString("F" + type[(type.IndexOf(',', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
