using System.Text.Json.Nodes;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Tests.ConformanceTables;

/// <summary>expected.json of the conformance suite, and the helpers that compare a table read with it.</summary>
internal static class ExpectedTables
{
    /// <summary>Every table name (the folders under tables/).</summary>
    public static IEnumerable<string> Names => ConformanceData.AllExpected.Select(p => p.Key).OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>The expectation of one table.</summary>
    public static JsonObject Of(string table) => ConformanceData.Expected(table).AsObject();

    /// <summary>The README's error kinds as <see cref="DeltaErrorKind"/>.</summary>
    public static DeltaErrorKind ErrorKind(string kind) => kind switch
    {
        "unsupported-protocol" => DeltaErrorKind.UnsupportedProtocol,
        "non-contiguous-versions" => DeltaErrorKind.NonContiguousVersions,
        "missing-metadata" => DeltaErrorKind.MissingMetadata,
        "data-file-not-found" => DeltaErrorKind.DataFileNotFound,
        "version-not-found" => DeltaErrorKind.VersionNotFound,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an error kind the conformance README does not define"),
    };

    /// <summary>The expected schema as (name, logical type JSON, nullable) triples.</summary>
    public static List<(string Name, string Type, bool Nullable)> Schema(JsonArray schema) =>
        schema.Select(f => (f!["name"]!.GetValue<string>(), TypeText(f["type"]!), f["nullable"]!.GetValue<bool>())).ToList();

    /// <summary>The snapshot's schema in the same form as <see cref="Schema(JsonArray)"/>.</summary>
    public static List<(string Name, string Type, bool Nullable)> Schema(StructType schema) =>
        schema.Fields.Select(f => (f.Name, TypeText(SchemaJson.ToNode(f.Type, includeMetadata: false)), f.Nullable)).ToList();

    /// <summary>Expected rows in canonical form, sorted (multiset comparison).</summary>
    public static List<string> Rows(JsonArray rows, StructType schema) =>
        rows.Select(r => Row(schema, c => CanonicalValues.FromExpected(r!.AsArray()[c], schema.Fields[c].Type)))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Every row of <paramref name="snapshot"/> read through <see cref="DeltaScan"/>, canonical and sorted.</summary>
    public static List<string> ReadRows(Snapshot snapshot)
    {
        var schema = snapshot.Schema;
        var rows = new List<string>();
        foreach (var batch in new DeltaScan(snapshot).ReadBatches())
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(Row(schema, c => CanonicalValues.FromArrow(batch.Column(c), i, schema.Fields[c].Type)));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Row(StructType schema, Func<int, JsonNode?> value) =>
        new JsonArray(Enumerable.Range(0, schema.Fields.Count).Select(value).ToArray()).ToJsonString();

    // Compares types structurally: primitives by name, nested types as their JSON without field metadata.
    private static string TypeText(JsonNode type) => type is JsonValue v ? v.GetValue<string>() : Strip(type).ToJsonString();

    private static JsonNode Strip(JsonNode node)
    {
        if (node is JsonObject o)
        {
            return new JsonObject(o.Where(p => p.Key != "metadata").Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Strip(p.Value))));
        }

        return node is JsonArray a ? new JsonArray(a.Select(e => e is null ? null : Strip(e)).ToArray()) : node.DeepClone();
    }
}
