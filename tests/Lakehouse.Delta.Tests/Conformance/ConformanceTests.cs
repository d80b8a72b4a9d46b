using System.Text.Json.Nodes;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Tests.ConformanceTables;

/// <summary>
/// Every table of ../shared/conformance/delta (written by Spark + Delta Lake) must read back as expected.json says,
/// or fail with the expected error kind. Tables are read in place; nothing here writes to them.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Tables() => new(ExpectedTables.Names);

    public static TheoryData<string, long> Versions()
    {
        var data = new TheoryData<string, long>();
        foreach (var table in ExpectedTables.Names)
        {
            if (ExpectedTables.Of(table)["versions"] is JsonObject versions)
            {
                foreach (var (version, _) in versions)
                {
                    data.Add(table, long.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> Checks()
    {
        var data = new TheoryData<string, string>();
        foreach (var table in ExpectedTables.Names)
        {
            if (ExpectedTables.Of(table)["checks"] is JsonObject checks)
            {
                foreach (var (check, _) in checks)
                {
                    if (!ConformanceChecks.OwnedElsewhere.Contains(check))
                    {
                        data.Add(table, check);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Table_LatestVersion_ReadsAsExpected(string table)
    {
        var expected = ExpectedTables.Of(table);
        var path = ConformanceData.Table(table);
        if (expected["error"] is { } error)
        {
            AssertFails(ExpectedTables.ErrorKind(error.GetValue<string>()), () => ExpectedTables.ReadRows(Snapshot.Load(path)));
            return;
        }

        var snapshot = Snapshot.Load(path);
        Assert.Equal(expected["version"]!.GetValue<long>(), snapshot.Version);
        AssertContent(expected, expected, snapshot);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Table_TimeTravelByVersion_ReadsAsExpected(string table, long version)
    {
        var latest = ExpectedTables.Of(table);
        var expected = latest["versions"]![version.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsObject();
        var path = ConformanceData.Table(table);
        if (expected["error"] is { } error)
        {
            AssertFails(ExpectedTables.ErrorKind(error.GetValue<string>()), () => ExpectedTables.ReadRows(Snapshot.Load(path, version)));
            return;
        }

        var snapshot = Snapshot.Load(path, version);
        Assert.Equal(version, snapshot.Version);
        AssertContent(expected, latest, snapshot);
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void Table_Check_Holds(string table, string check)
    {
        var expected = ExpectedTables.Of(table)["checks"]![check]!;
        Assert.True(ConformanceChecks.Handlers.TryGetValue(check, out var handler),
            $"expected.json has a check '{check}' this harness does not know; add a handler to {nameof(ConformanceChecks)}.");
        handler(ConformanceData.Table(table), expected, Snapshot.Load(ConformanceData.Table(table)));
    }

    /// <summary>Compares schema, partition columns and rows; an entry of <c>versions</c> inherits what it omits from the latest.</summary>
    private static void AssertContent(JsonObject expected, JsonObject latest, Snapshot snapshot)
    {
        var schema = (expected["schema"] ?? latest["schema"])!.AsArray();
        Assert.Equal(ExpectedTables.Schema(schema), ExpectedTables.Schema(snapshot.Schema));
        var partitionColumns = (expected["partitionColumns"] ?? latest["partitionColumns"])!.AsArray().Select(c => c!.GetValue<string>());
        Assert.Equal(partitionColumns, snapshot.PartitionColumns);
        var rows = ExpectedTables.ReadRows(snapshot);
        if (expected["rowCount"] is { } count)
        {
            Assert.Equal(count.GetValue<int>(), rows.Count);
        }

        Assert.Equal(ExpectedTables.Rows(expected["rows"]!.AsArray(), snapshot.Schema), rows);
    }

    private static void AssertFails(DeltaErrorKind kind, Action read)
    {
        var e = Assert.Throws<DeltaException>(read);
        Assert.True(e.Kind == kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
