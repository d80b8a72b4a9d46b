using System.CommandLine;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Data.Reading;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table show PATH [--version N | --timestamp T] [--limit N] [--json]</c>: the table's schema and rows.</summary>
internal static class ShowCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var version = TableArguments.Version();
        var timestamp = TableArguments.Timestamp();
        var limit = new Option<int?>("--limit") { Description = "Print at most N rows." };
        var json = TableArguments.Json();
        var command = new Command("show", "Print the table's schema and rows (all rows unless --limit).") { path, version, timestamp, limit, json };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            if (r.GetValue(limit) is < 0)
            {
                throw new CliUsageException("--limit must be zero or more.");
            }

            var snapshot = TableArguments.Load(r.GetRequiredValue(path), r.GetValue(version), r.GetValue(timestamp));
            var rows = Rows(snapshot, r.GetValue(limit));
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, new JsonObject
                {
                    ["version"] = snapshot.Version,
                    ["schema"] = JsonOutput.Schema(snapshot.Schema),
                    ["partitionColumns"] = JsonOutput.Strings(snapshot.PartitionColumns),
                    ["rows"] = new JsonArray(rows.ToArray()),
                });
            }
            else
            {
                context.Output.WriteLine($"version {snapshot.Version}, {rows.Count} rows"
                    + (snapshot.PartitionColumns.Count > 0 ? $", partitioned by {string.Join(", ", snapshot.PartitionColumns)}" : ""));
                TextTable.Write(context.Output, snapshot.Schema.Fields.Select(f => f.Name).ToList(),
                    rows.Select(row => (IReadOnlyList<string>)row.Select(Cell).ToList()), maxWidth: 40);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The rows of <paramref name="snapshot"/> as JSON arrays in schema order, at most <paramref name="limit"/>.</summary>
    internal static List<JsonArray> Rows(Snapshot snapshot, int? limit)
    {
        var rows = new List<JsonArray>();
        if (limit == 0)
        {
            return rows;
        }

        foreach (var batch in new DeltaScan(snapshot).ReadBatches())
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add(ArrowJson.Row(batch, i, snapshot.Schema));
                if (rows.Count == limit)
                {
                    return rows;
                }
            }
        }

        return rows;
    }

    private static string Cell(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
