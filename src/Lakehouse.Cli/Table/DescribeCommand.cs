using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Lakehouse.Cli.Output;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Cli.Table;

/// <summary><c>lakehouse table describe PATH [--version N | --timestamp T] [--json]</c>: what Spark's DESCRIBE DETAIL shows, plus the schema.</summary>
internal static class DescribeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var path = TableArguments.Path();
        var version = TableArguments.Version();
        var timestamp = TableArguments.Timestamp();
        var json = TableArguments.Json();
        var command = new Command("describe", "Show the table's details: version, schema, partitioning, files, properties, protocol (DESCRIBE DETAIL).")
        {
            path, version, timestamp, json,
        };
        command.SetAction(r => CliApp.Guard(context, () =>
        {
            var snapshot = TableArguments.Load(r.GetRequiredValue(path), r.GetValue(version), r.GetValue(timestamp));
            var detail = Detail(snapshot);
            if (r.GetValue(json))
            {
                JsonOutput.Write(context.Output, detail);
            }
            else
            {
                WriteText(context.Output, detail, snapshot.Schema);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The details of <paramref name="snapshot"/> with DESCRIBE DETAIL's names.</summary>
    internal static JsonObject Detail(Snapshot snapshot)
    {
        var metadata = snapshot.Metadata;
        var protocol = snapshot.Protocol;
        var features = (protocol.ReaderFeatures ?? []).Concat(protocol.WriterFeatures ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new JsonObject
        {
            ["format"] = "delta",
            ["id"] = metadata.Id,
            ["name"] = metadata.Name,
            ["description"] = metadata.Description,
            ["location"] = snapshot.TablePath,
            ["version"] = snapshot.Version,
            ["createdAt"] = metadata.CreatedTime is { } created ? Timestamps.Iso(created) : null,
            ["lastModified"] = Timestamps.Iso(snapshot.Timestamp),
            ["partitionColumns"] = JsonOutput.Strings(snapshot.PartitionColumns),
            ["numFiles"] = snapshot.Files.Count,
            ["sizeInBytes"] = snapshot.Files.Sum(f => f.Size),
            ["properties"] = JsonOutput.Map(metadata.Configuration),
            ["minReaderVersion"] = protocol.MinReaderVersion,
            ["minWriterVersion"] = protocol.MinWriterVersion,
            ["tableFeatures"] = JsonOutput.Strings(features),
            ["schema"] = JsonOutput.Schema(snapshot.Schema),
        };
    }

    private static void WriteText(TextWriter output, JsonObject detail, StructType schema)
    {
        foreach (var (key, value) in detail.Where(kv => kv.Key != "schema"))
        {
            var text = value switch
            {
                null => "",
                JsonValue v => v.ToString(),
                _ => value.ToJsonString(),
            };
            output.WriteLine($"{key + ":",-18} {text}");
        }

        output.WriteLine();
        TextTable.Write(output, ["column", "type", "nullable"],
            schema.Fields.Select(f => (IReadOnlyList<string>)[f.Name, f.Type.ToString()!, f.Nullable ? "true" : "false"]), maxWidth: 100);
    }
}
