using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Delta.Data;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Log;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Tests.ConformanceTables;

/// <summary>
/// The <c>checks</c> of expected.json, one handler per check name. A new check name fails the harness until a
/// handler is added here, so no expectation is silently ignored.
/// </summary>
internal static class ConformanceChecks
{
    /// <summary>Checks another part of the suite runs (time travel by timestamp needs copies with set mtimes).</summary>
    public static readonly IReadOnlySet<string> OwnedElsewhere = new HashSet<string> { "timestampTravel" };

    /// <summary>Check name → assertion over (table path, the check's expected value, latest snapshot).</summary>
    public static readonly IReadOnlyDictionary<string, Action<string, JsonNode, Snapshot>> Handlers =
        new Dictionary<string, Action<string, JsonNode, Snapshot>>
        {
            ["protocol"] = Protocol,
            ["activeFiles"] = (_, expected, snapshot) => Assert.Equal(expected.GetValue<int>(), snapshot.Files.Count),
            ["checkpointVersion"] = (_, expected, snapshot) => Assert.Equal(expected.GetValue<long>(), snapshot.Segment.CheckpointVersion),
            ["lastCheckpoint"] = LastCheckpointFile,
            ["stats"] = Stats,
            ["skipping"] = Skipping,
            ["configuration"] = (_, expected, snapshot) =>
            {
                foreach (var (key, value) in expected.AsObject())
                {
                    Assert.Equal(value!.GetValue<string>(), snapshot.Metadata.Configuration.GetValueOrDefault(key));
                }
            },
            ["partitionTimestampConvention"] = PartitionTimestampConvention,
        };

    private static void Protocol(string path, JsonNode expected, Snapshot snapshot)
    {
        Assert.Equal(expected["minReaderVersion"]!.GetValue<int>(), snapshot.Protocol.MinReaderVersion);
        Assert.Equal(expected["minWriterVersion"]!.GetValue<int>(), snapshot.Protocol.MinWriterVersion);
        if (expected["readerFeatures"] is JsonArray reader)
        {
            Assert.Equal(reader.Select(f => f!.GetValue<string>()).Order(), (snapshot.Protocol.ReaderFeatures ?? []).Order());
        }

        if (expected["writerFeatures"] is JsonArray writer)
        {
            Assert.Equal(writer.Select(f => f!.GetValue<string>()).Order(), (snapshot.Protocol.WriterFeatures ?? []).Order());
        }
    }

    private static void LastCheckpointFile(string path, JsonNode expected, Snapshot snapshot)
    {
        var last = LastCheckpoint.TryRead(new LocalLogStore(path));
        Assert.NotNull(last);
        Assert.Equal(expected["version"]!.GetValue<long>(), last.Version);
        Assert.Equal(expected["size"]!.GetValue<long>(), last.Size);
    }

    private static void Stats(string path, JsonNode expected, Snapshot snapshot)
    {
        var file = Assert.Single(snapshot.Files);
        var actual = JsonNode.Parse(file.Stats!)!;
        Assert.True(SameJson(expected, actual), $"stats differ:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    /// <summary>Every predicate of <c>filesMatched</c> keeps the file; every one of <c>filesSkipped</c> prunes it.</summary>
    private static void Skipping(string path, JsonNode expected, Snapshot snapshot)
    {
        var all = snapshot.Files.Count;
        foreach (var text in expected["filesMatched"]!.AsArray().Select(p => p!.GetValue<string>()))
        {
            Assert.True(all == new DeltaScan(snapshot, PredicateParser.Parse(WithoutNote(text))).Files.Count, $"'{text}' must keep every file");
        }

        foreach (var text in expected["filesSkipped"]!.AsArray().Select(p => p!.GetValue<string>()))
        {
            Assert.True(new DeltaScan(snapshot, PredicateParser.Parse(WithoutNote(text))).Files.Count == 0, $"'{text}' should prune the file");
        }
    }

    /// <summary>Timestamp partition values without a zone are instants in UTC (README, last paragraph).</summary>
    private static void PartitionTimestampConvention(string path, JsonNode expected, Snapshot snapshot)
    {
        var columns = snapshot.PartitionColumns.Where(c => snapshot.Schema[c].Type == PrimitiveType.Timestamp).ToList();
        Assert.NotEmpty(columns);
        var scan = new DeltaScan(snapshot);
        foreach (var file in scan.Files)
        {
            foreach (var column in columns)
            {
                var raw = file.Add.PartitionValues[column];
                var typed = file.PartitionValues[column];
                if (raw is null)
                {
                    Assert.Null(typed);
                    continue;
                }

                var utc = DateTime.ParseExact(raw, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None);
                Assert.Equal(new DateTimeOffset(utc, TimeSpan.Zero), Assert.IsType<DateTimeOffset>(typed));
            }
        }
    }

    // expected.json annotates some predicates with a trailing note in parentheses, e.g. "foo = 1 (unknown column: no skipping)".
    private static string WithoutNote(string text)
    {
        var open = text.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && text.EndsWith(')') && text[open..].Contains(':', StringComparison.Ordinal) ? text[..open] : text;
    }

    /// <summary>JSON equality with numbers compared by value (<c>0</c> equals <c>0.0</c>).</summary>
    private static bool SameJson(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && SameJson(p.Value, y[p.Key])),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => SameJson(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.TryGetValue<decimal>(out var m) && y.TryGetValue<decimal>(out var n) => m == n,
        (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };
}
