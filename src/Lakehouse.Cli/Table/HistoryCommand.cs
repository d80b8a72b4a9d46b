using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Maintenance;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table history PATH [--limit N] [--json]</c>: what Spark's DESCRIBE HISTORY shows, newest first.</summary>
internal static class HistoryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var limit = new Option<int?>("--limit") { Description = "Show only the newest N commits." };
        var json = TableArguments.Json();
        var command = new Command("history", "List the table's commits, newest first (DESCRIBE HISTORY).") { path, limit, json };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            var history = TableHistory.Read(r.GetRequiredValue(path), r.GetValue(limit));
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, new JsonObject { ["history"] = new JsonArray(history.Select(ToJson).ToArray()) });
            }
            else
            {
                TextTable.Write(context.Output, ["version", "timestamp", "operation", "parameters", "readVersion", "metrics"],
                    history.Select(h => (IReadOnlyList<string>)
                    [
                        h.Version.ToString(CultureInfo.InvariantCulture),
                        h.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        h.Operation ?? "",
                        Pairs(h.OperationParameters),
                        h.ReadVersion?.ToString(CultureInfo.InvariantCulture) ?? "",
                        Pairs(h.OperationMetrics),
                    ]));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One history entry as JSON, with Spark's column names; absent fields are null.</summary>
    internal static JsonNode ToJson(HistoryEntry h) => new JsonObject
    {
        ["version"] = h.Version,
        ["timestamp"] = Timestamps.Iso(h.Timestamp),
        ["userId"] = h.UserId,
        ["userName"] = h.UserName,
        ["operation"] = h.Operation,
        ["operationParameters"] = JsonOutput.Map(h.OperationParameters),
        ["readVersion"] = h.ReadVersion,
        ["isolationLevel"] = h.IsolationLevel,
        ["isBlindAppend"] = h.IsBlindAppend,
        ["operationMetrics"] = JsonOutput.Map(h.OperationMetrics),
        ["userMetadata"] = h.UserMetadata,
        ["engineInfo"] = h.EngineInfo,
    };

    private static string Pairs(IReadOnlyDictionary<string, string> map) =>
        string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
